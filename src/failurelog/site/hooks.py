"""MkDocs hook functions: ``mkdocs build`` and ``mkdocs serve`` generate the tree first.

``on_config`` validates and writes the generated tree (see
:func:`failurelog.site.generate.prepare`), then points MkDocs at it.
It also adds :mod:`failurelog.site.mdext`, which passes the generated HTML
blocks through Python-Markdown unparsed. ``on_post_build`` indexes the built
incident pages for the site search (:mod:`failurelog.site.search_index`).
``on_serve`` makes the live server watch the
sources (incidents, schema, templates, hand-written docs) instead of the
generated tree.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from failurelog.cli.main import explain
from failurelog.core.errors import FailurelogError
from failurelog.core.paths import INCIDENTS_DIR, SCHEMA_FILE, TEMPLATE_FILE
from failurelog.site.generate import DOCS_DIR, prepare
from failurelog.site.search_index import build_search_index

__all__ = ["on_config", "on_post_build", "on_serve"]

log = logging.getLogger("mkdocs.hooks.failurelog")

#: The Python-Markdown extension that passes the generated HTML blocks through unparsed.
GENERATED_BLOCKS = "failurelog.site.mdext"


def _root(config: MkDocsConfig) -> Path:
    path = config.config_file_path
    return Path(path).resolve().parent if path else Path.cwd().resolve()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Generate the incident pages and build from the generated tree."""
    root = _root(config)
    try:
        prepared = prepare(root)
    except FailurelogError as exc:  # MkDocs reports it: the same report main() prints, through PluginError
        report, _errors = explain(exc, quiet=True)
        raise PluginError(f"{exc}\n{report}" if report else str(exc)) from None
    written = prepared.written
    log.info(
        "failurelog: %d incidents; %d pages written, %d unchanged, %d removed",
        len(prepared.model.incidents),
        written.written,
        written.unchanged,
        written.removed,
    )
    config.docs_dir = str(prepared.docs_dir)
    if GENERATED_BLOCKS not in config.markdown_extensions:
        config.markdown_extensions.append(GENERATED_BLOCKS)
    return config


def on_post_build(config: MkDocsConfig) -> None:
    """Write the search index of the built incident pages into the site."""
    try:
        done = build_search_index(Path(config.site_dir), directory_urls=config.use_directory_urls)
    except FailurelogError as exc:
        raise PluginError(str(exc)) from None
    log.info("failurelog: search index of %d pages, %d bytes, in %.1f s", done.pages, done.bytes, done.seconds)


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Watch the sources of the generated pages rather than the pages themselves."""
    root = _root(config)
    server.unwatch(config.docs_dir)
    for source in (INCIDENTS_DIR, SCHEMA_FILE.parent, TEMPLATE_FILE.parent, DOCS_DIR):
        if (root / source).exists():
            server.watch(str(root / source))
    return server
