"""Validate, analyse and write the site's Markdown tree: the one step MkDocs and Zensical both build from.

:func:`render_tree` is pure (model in, ``{path: text}`` out); :func:`prepare`
loads and validates the repository, renders, and writes the tree into
``.failurelog-build/docs`` next to the hand-written pages from ``docs/``,
touching only files whose content changed (so ``mkdocs serve`` does not
rebuild in a loop) and removing files no longer generated. Within one process
a second call with unchanged inputs returns at once, so ``failurelog build``
and the MkDocs hook it triggers do the work once.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

from failurelog.core.bodyhtml import extension_spec
from failurelog.core.errors import ValidationFailed
from failurelog.core.parallel import fork_map
from failurelog.core.paths import INCIDENTS_DIR, SCHEMA_FILE, TEMPLATE_FILE
from failurelog.core.siteconfig import CONFIG_FILE, read_config
from failurelog.model.incident import Model, build_model
from failurelog.site import context as c
from failurelog.site.history_pages import audit_page
from failurelog.site.home_page import home_page
from failurelog.site.incident_page import incident_page
from failurelog.site.index_pages import field_index, incident_index, pattern_overview, value_page_text
from failurelog.site.report_pages import actions_page, data_page, related_page
from failurelog.site.signature_pages import signatures_page
from failurelog.site.stats_page import statistics_page

#: Where the generated tree and its manifest live, relative to the repository root.
BUILD_DIR = Path(".failurelog-build")
DOCS_DIR = Path("docs")
MANIFEST = "manifest.json"
ASSET_FILES = ("failurelog.js", "failurelog.css", "search.js", "search.css")


def build_date() -> date:
    """Today in UTC, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return datetime.now(UTC).date()


def edit_base(config: dict[str, Any]) -> str | None:
    """URL prefix for editing a repository file, from ``repo_url`` and ``edit_uri`` (repository-relative)."""
    repo, edit = config.get("repo_url"), config.get("edit_uri")
    if not isinstance(edit, str) or not edit:
        return None
    if edit.startswith(("http://", "https://")):
        base = edit
    elif isinstance(repo, str) and repo:
        base = repo.rstrip("/") + "/" + edit.lstrip("/")
    else:
        return None
    return base if base.endswith("/") else base + "/"


def _render_page(job: tuple[str, Callable[[], str]]) -> str:
    return job[1]()


def render_tree(ctx: c.Context, *, with_home: bool = True) -> dict[str, str]:
    """Every generated page and export as ``{tree path: text}``; pure."""
    from failurelog.model import export

    files: dict[str, str] = {}
    # One page per incident and per grouped value: most of the work, spread over the CPUs.
    pages: list[tuple[str, Callable[[], str]]] = [
        (incident.page, partial(incident_page, ctx, incident)) for incident in ctx.model.incidents
    ]
    for index in ctx.patterns:
        pages += [(c.value_page(index, value), partial(value_page_text, ctx, index, value)) for value in index.values]
    for (path, _render), text in zip(pages, fork_map(_render_page, pages), strict=True):
        files[path] = text
    files[c.INCIDENT_INDEX] = incident_index(ctx)
    files[c.PATTERN_INDEX] = pattern_overview(ctx)
    for index in ctx.patterns:
        files[c.field_page(index)] = field_index(ctx, index)
    files[c.RELATED] = related_page(ctx)
    files[c.SIGNATURES] = signatures_page(ctx)
    files[c.ACTIONS] = actions_page(ctx)
    files[c.STATISTICS] = statistics_page(ctx)
    files[c.DATA] = data_page(ctx)
    files[c.AUDIT] = audit_page(ctx)
    metas = sorted((i.meta for i in ctx.model.incidents), key=lambda meta: str(meta.get("id", "")))
    files[c.EXPORT_JSON] = export.to_json(metas)
    files[c.EXPORT_CSV] = export.to_csv(ctx.model.schema, metas)
    for name in ASSET_FILES:
        files[f"{c.ASSETS}/{name}"] = (
            resources.files("failurelog.site").joinpath("assets").joinpath(name).read_text("utf-8")
        )
    if with_home:
        files[c.HOME] = home_page(ctx)
    return files


@dataclass
class Written:
    """What :func:`write_tree` did."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0


def write_tree(files: dict[str, str | bytes], out: Path) -> Written:
    """Make ``out`` hold exactly ``files``, rewriting only what changed (a manifest of hashes says what)."""
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out.parent / MANIFEST
    try:
        old = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    except (OSError, ValueError):
        old = {}
    new: dict[str, str] = {}
    done = Written()
    for rel, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        new[rel] = digest
        target = out / rel
        if old.get(rel) == digest and target.is_file():
            done.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        done.written += 1
    for folder, _dirs, names in os.walk(out, topdown=False):
        for name in names:
            rel = Path(folder, name).relative_to(out).as_posix()
            if rel not in new:
                Path(folder, name).unlink()
                done.removed += 1
        if folder != str(out) and not os.listdir(folder):
            os.rmdir(folder)
    manifest_path.write_text(json.dumps(new, sort_keys=True), encoding="utf-8")
    return done


def hand_written(root: Path) -> dict[str, str | bytes]:
    """Every file under ``docs/`` (hand-written pages, images, overrides of the home page)."""
    folder = root / DOCS_DIR
    files: dict[str, str | bytes] = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts):
                files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


@dataclass
class Prepared:
    """The outcome of :func:`prepare`."""

    root: Path
    docs_dir: Path
    model: Model
    written: Written = field(default_factory=Written)
    site_dir: Path | None = None  # where the engine wrote the site (set by build_site)


def load_model(root: Path, today: date | None = None) -> Model:
    """Load and validate every incident; raise :class:`ValidationFailed` when any is invalid."""
    from failurelog.core.schema import load_schema
    from failurelog.validate.run import validate_documents

    report, docs = validate_documents(root)
    if not report.ok:
        raise ValidationFailed(report)
    schema = load_schema(root)
    return build_model(docs, schema, today or build_date())


def _signature(root: Path, today: date) -> tuple[Any, ...]:
    stats = []
    for base in (INCIDENTS_DIR, DOCS_DIR, SCHEMA_FILE, TEMPLATE_FILE, CONFIG_FILE):
        path = root / base
        paths = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for p in paths:
            try:
                st = p.stat()
            except OSError:
                continue
            stats.append((str(p), st.st_mtime_ns, st.st_size))
    return (today, tuple(stats))


_MEMO: dict[Path, tuple[tuple[Any, ...], Prepared]] = {}


def prepare(root: Path, *, today: date | None = None, out: Path | None = None) -> Prepared:
    """Validate, analyse and write the Markdown tree of the repository at ``root``.

    Raises :class:`ValidationFailed` (nothing written) when an incident is invalid.
    """
    root = root.resolve()
    day = today or build_date()
    docs_dir = (out or root / BUILD_DIR / "docs").resolve()
    key = _signature(root, day)
    memo = _MEMO.get(docs_dir)
    if memo is not None and memo[0] == key and docs_dir.is_dir():
        return memo[1]
    model = load_model(root, day)
    config = read_config(root)
    from failurelog.history.read import read_history

    ctx = c.build_context(
        model,
        edit_base(config),
        directory_urls=config.get("use_directory_urls") is not False,
        history=read_history(root, schema=model.schema),
        markdown=extension_spec(config),
    )
    extra = hand_written(root)
    files: dict[str, str | bytes] = dict(render_tree(ctx, with_home=c.HOME not in extra))
    for rel, data in extra.items():
        files.setdefault(rel, data)
    result = Prepared(root=root, docs_dir=docs_dir, model=model, written=write_tree(files, docs_dir))
    _MEMO[docs_dir] = (key, result)
    return result
