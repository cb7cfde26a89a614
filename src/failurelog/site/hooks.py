"""MkDocs hook functions: ``mkdocs build`` and ``mkdocs serve`` generate the tree first.

``on_config`` validates and writes the generated tree (see
:func:`failurelog.site.generate.prepare`), then points MkDocs at it.
It also adds :mod:`failurelog.site.mdext`, which passes the generated HTML
blocks through Python-Markdown unparsed. ``on_post_build`` indexes the built
incident pages for the site search (:mod:`failurelog.site.search_index`).
``on_serve`` makes the live server watch the
sources (incidents, schema, templates, hand-written docs) instead of the
generated tree.

While serving (``on_startup`` with ``serve``), a failed preparation never
raises: MkDocs' live server would then hold every request until a build
succeeds. The hook logs the messages instead, builds the last good tree (or
an error page, :func:`failurelog.site.generate.prepare_broken`), and
``on_post_page`` puts the messages at the top of every page
(:mod:`failurelog.site.broken`) until a rebuild succeeds. MkDocs calls hooks
as module functions, so that state (serving or not, the current failure) is
this module's.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from failurelog.cli.main import explain
from failurelog.core.errors import FailurelogError
from failurelog.core.paths import INCIDENTS_DIR, SCHEMA_FILE, TEMPLATE_FILE
from failurelog.site import broken as b
from failurelog.site import pagecache
from failurelog.site.generate import DOCS_DIR, prepare, prepare_broken
from failurelog.site.search_index import BUNDLE_DIR, BackgroundIndex, build_search_index

__all__ = [
    "on_config",
    "on_post_build",
    "on_post_page",
    "on_post_template",
    "on_pre_build",
    "on_serve",
    "on_shutdown",
    "on_startup",
]

log = logging.getLogger("mkdocs.hooks.failurelog")

#: The Python-Markdown extension that passes the generated HTML blocks through unparsed.
GENERATED_BLOCKS = "failurelog.site.mdext"


@dataclass
class _State:
    """What the hook knows between MkDocs' calls: whether it serves, and why the last preparation failed."""

    serving: bool = False
    broken: b.Broken | None = None
    shown: b.Broken | None = None  # the failure the served pages show (None: none)
    gone: list[str] = field(default_factory=list)  # tree paths the last preparation removed
    indexer: BackgroundIndex | None = None


_STATE = _State()


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this is ``mkdocs serve`` (failures are shown on the pages, not raised)."""
    _STATE.serving = command == "serve"
    _STATE.broken = _STATE.shown = None
    _STATE.gone = []
    _STATE.indexer = BackgroundIndex(log.info) if _STATE.serving else None
    pagecache.enable(_STATE.serving)  # a rebuild renders only the pages whose inputs changed


def on_shutdown() -> None:
    """Forget the serve state."""
    _STATE.serving = False
    _STATE.broken = _STATE.shown = None
    _STATE.indexer = None
    pagecache.enable(False)


def _broken(exc: FailurelogError) -> b.Broken:
    """The failure as a headline and ``file:line: field: message`` lines (what ``failurelog validate`` prints)."""
    report, _errors = explain(exc, quiet=True)
    message = str(exc).splitlines() or [type(exc).__name__]
    lines = [line for line in report.splitlines() if line] if report else message[1:]
    return b.Broken(message[0], tuple(lines))


def _root(config: MkDocsConfig) -> Path:
    path = config.config_file_path
    return Path(path).resolve().parent if path else Path.cwd().resolve()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Generate the incident pages and build from the generated tree."""
    root = _root(config)
    if GENERATED_BLOCKS not in config.markdown_extensions:
        config.markdown_extensions.append(GENERATED_BLOCKS)
    try:
        prepared = prepare(root)
    except FailurelogError as exc:  # MkDocs reports it: the same report main() prints, through PluginError
        if not _STATE.serving:
            report, _errors = explain(exc, quiet=True)
            raise PluginError(f"{exc}\n{report}" if report else str(exc)) from None
        _STATE.broken = _broken(exc)
        for line in b.terminal_lines(_STATE.broken):
            log.error(line)
        config.docs_dir = str(prepare_broken(root, b.error_page(_STATE.broken)))
        return config
    if _STATE.broken is not None:
        log.info("failurelog: the incidents validate again")
    _STATE.broken = None
    written = prepared.written
    _STATE.gone = list(written.gone)
    log.info(
        "failurelog: %d incidents; %d pages written, %d unchanged, %d removed",
        len(prepared.model.incidents),
        written.written,
        written.unchanged,
        written.removed,
    )
    config.docs_dir = str(prepared.docs_dir)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """While serving: make a dirty build right (every page again when the banner comes or goes; no stale page)."""
    if not _STATE.serving:
        return
    site = Path(config.site_dir)
    if _STATE.broken != _STATE.shown:
        for entry in site.iterdir() if site.is_dir() else ():
            if entry.name.startswith(BUNDLE_DIR):  # the search index (and the indexer's next and old) stays
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        _STATE.shown = _STATE.broken
    for rel in _STATE.gone:
        if rel.endswith(".md"):
            built = File(rel, config.docs_dir, config.site_dir, config.use_directory_urls)
            Path(built.abs_dest_path).unlink(missing_ok=True)
    _STATE.gone = []


def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    """While serving a failed preparation: the messages at the top of the page."""
    return output if _STATE.broken is None else b.with_banner(output, _STATE.broken)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """While serving a failed preparation: the messages at the top of the theme's own pages (404)."""
    if _STATE.broken is None or not template_name.endswith(".html"):
        return output_content
    return b.with_banner(output_content, _STATE.broken)


def on_post_build(config: MkDocsConfig) -> None:
    """Write the search index of the built incident pages into the site (while serving: in the background)."""
    if _STATE.indexer is not None:
        if _STATE.broken is None:
            _STATE.indexer.request(Path(config.site_dir), directory_urls=config.use_directory_urls)
        return
    try:
        done = build_search_index(Path(config.site_dir), directory_urls=config.use_directory_urls)
    except FailurelogError as exc:
        if not _STATE.serving:
            raise PluginError(str(exc)) from None
        if _STATE.broken is None:  # with only an error page there is nothing to index: no message
            log.error("failurelog: no search index: %s", exc)
        return
    log.info("failurelog: search index of %d pages, %d bytes, in %.1f s", done.pages, done.bytes, done.seconds)


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Watch the sources of the generated pages rather than the pages themselves."""
    root = _root(config)
    server.unwatch(config.docs_dir)
    for source in (INCIDENTS_DIR, SCHEMA_FILE.parent, TEMPLATE_FILE.parent, DOCS_DIR):
        if (root / source).exists():
            server.watch(str(root / source))
    return server
