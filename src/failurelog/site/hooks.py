"""MkDocs hook functions: ``mkdocs build`` and ``mkdocs serve`` generate the tree first.

``on_config`` validates and writes the generated tree (see
:func:`failurelog.site.generate.prepare`), then points MkDocs at it.
``on_serve`` makes the live server watch the sources (incidents, schema,
templates, hand-written docs) instead of the generated tree.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from failurelog.site.generate import DOCS_DIR, ValidationFailed, prepare

log = logging.getLogger("mkdocs.hooks.failurelog")


def _root(config: MkDocsConfig) -> Path:
    path = config.config_file_path
    return Path(path).resolve().parent if path else Path.cwd().resolve()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Generate the incident pages and build from the generated tree."""
    from failurelog import output

    root = _root(config)
    try:
        prepared = prepare(root)
    except ValidationFailed as exc:
        text = output.render_text(exc.report, color=False, quiet=True)
        raise PluginError(f"{exc}\n{text}") from None
    written = prepared.written
    log.info(
        "failurelog: %d incidents; %d pages written, %d unchanged, %d removed",
        len(prepared.model.incidents),
        written.written,
        written.unchanged,
        written.removed,
    )
    config.docs_dir = str(prepared.docs_dir)
    return config


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Watch the sources of the generated pages rather than the pages themselves."""
    from failurelog.paths import INCIDENTS_DIR, SCHEMA_FILE, TEMPLATE_FILE

    root = _root(config)
    server.unwatch(config.docs_dir)
    for source in (INCIDENTS_DIR, SCHEMA_FILE.parent, TEMPLATE_FILE.parent, DOCS_DIR):
        if (root / source).exists():
            server.watch(str(root / source))
    return server
