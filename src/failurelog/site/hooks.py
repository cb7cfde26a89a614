"""MkDocs hook functions: ``mkdocs build`` and ``mkdocs serve`` generate the tree first.

``on_config`` validates and writes the generated tree (see
:func:`failurelog.site.generate.prepare`), then points MkDocs at it.
It also adds :mod:`failurelog.site.mdext`, which passes the generated HTML
blocks through Python-Markdown unparsed. ``on_page_context`` shows the search
plugin the page with each generated block as plain text
(:func:`failurelog.site.search_text.search_view`) and puts the page's HTML
back before the theme renders it. ``on_serve`` makes the live server watch the
sources (incidents, schema, templates, hand-written docs) instead of the
generated tree.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.pages import Page

from failurelog.core.errors import FailurelogError
from failurelog.site.generate import DOCS_DIR, prepare
from failurelog.site.search_text import search_view

__all__ = ["on_config", "on_page_context", "on_serve"]

log = logging.getLogger("mkdocs.hooks.failurelog")

#: The Python-Markdown extension that passes the generated HTML blocks through unparsed.
GENERATED_BLOCKS = "failurelog.site.mdext"


def _root(config: MkDocsConfig) -> Path:
    path = config.config_file_path
    return Path(path).resolve().parent if path else Path.cwd().resolve()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Generate the incident pages and build from the generated tree."""
    from failurelog.cli.main import explain

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


#: A page's own HTML while the search plugin reads its search view, by ``id(page)``.
_SHOWN: dict[int, str | None] = {}


@event_priority(100)  # before Material's search plugin (priority 0) reads page.content
def _search_reads_text(context: dict[str, Any], /, *, page: Page, **_: Any) -> dict[str, Any]:
    _SHOWN[id(page)] = page.content
    if page.content:
        page.content = search_view(page.content)
    return context


@event_priority(-100)  # after the search plugin, before the theme renders page.content
def _page_shows_html(context: dict[str, Any], /, *, page: Page, **_: Any) -> dict[str, Any]:
    if id(page) in _SHOWN:
        page.content = _SHOWN.pop(id(page))
        context["page"] = page
    return context


on_page_context = CombinedEvent(_search_reads_text, _page_shows_html)


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Watch the sources of the generated pages rather than the pages themselves."""
    from failurelog.core.paths import INCIDENTS_DIR, SCHEMA_FILE, TEMPLATE_FILE

    root = _root(config)
    server.unwatch(config.docs_dir)
    for source in (INCIDENTS_DIR, SCHEMA_FILE.parent, TEMPLATE_FILE.parent, DOCS_DIR):
        if (root / source).exists():
            server.watch(str(root / source))
    return server
