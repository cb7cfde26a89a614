"""Validate, analyse and write the site's Markdown tree: the one step MkDocs and Zensical both build from.

:func:`prepare` loads and validates the repository, renders the pages
(:func:`failurelog.site.tree.render_tree`, pure) and writes them into
``.failurelog-build/docs`` next to the hand-written pages from ``docs/``
(:func:`failurelog.site.writer.write_tree`: only files whose content changed,
removing files no longer generated). The bodies' HTML and the exports come from
the render cache when their inputs are unchanged (:mod:`failurelog.site.rendercache`). Within one process
a second call with unchanged inputs (the files read, the build date, the engine, and the git state: every
ref and the index, so a commit that changes no file is seen) returns at once, so ``failurelog build``
and the MkDocs hook it triggers do the work once.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import chain
from pathlib import Path
from typing import Any

from failurelog.core.bodyhtml import extension_spec
from failurelog.core.errors import ValidationFailed
from failurelog.core.inventory import INVENTORY_FILE, INVENTORY_SCHEMA, asset_kind_names, read_inventory
from failurelog.core.paths import INCIDENTS_DIR, SCHEMA_FILE, TEMPLATE_FILE
from failurelog.core.progress import Advance, phase
from failurelog.core.schema import load_schema
from failurelog.core.siteconfig import CONFIG_FILE, edit_base, read_config
from failurelog.history.read import read_history
from failurelog.model.incident import Model, build_model
from failurelog.site import context as c
from failurelog.site import rendercache
from failurelog.site.tree import iter_tree, page_count
from failurelog.site.writer import MANIFEST, Written, write_tree
from failurelog.validate.run import validate_documents

#: Where the generated tree and its manifest live, relative to the repository root.
BUILD_DIR = Path(".failurelog-build")
DOCS_DIR = Path("docs")
#: The engines that read a relative link of raw HTML from the page's source file (see ``site.html.href``).
LINKS_FROM_SOURCE = ("zensical",)
#: Beside the tree while it holds only an error page (see :func:`prepare_broken`).
BROKEN_MARK = "broken"


def build_date() -> date:
    """Today in UTC, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return datetime.now(UTC).date()


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


def load_model(root: Path, today: date | None = None) -> Model:
    """Load and validate every incident; raise :class:`ValidationFailed` when any is invalid."""
    report, docs = validate_documents(root)
    if not report.ok:
        raise ValidationFailed(report)
    schema = load_schema(root)
    return build_model(docs, schema, today or build_date())


def site_context(root: Path, model: Model, *, links_from_source: bool = False) -> c.Context:
    """The model's analyses and the site settings of ``mkdocs.yml``: what every page reads.

    ``links_from_source``: the engine reads raw HTML's relative links from the page's source file (Zensical).
    """
    config = read_config(root)
    with phase("reading git history", unit="step"):
        history = read_history(root, schema=model.schema)
    with phase("analysing", unit="step"):
        return c.build_context(
            model,
            edit_base(config),
            directory_urls=config.get("use_directory_urls") is not False,
            links_from_source=links_from_source,
            history=history,
            markdown=extension_spec(config),
            inventory=read_inventory(root, asset_kind_names(model.schema)),
        )


def git_state(root: Path, *, index: bool = True) -> tuple[Any, ...]:
    """Every ref's commit (HEAD first) and, with ``index``, the index's stat; empty outside git.

    A commit or a staged change leaves the files alone and still changes the history the pages show (other
    branches: the ids they hold, which validation checks against). Without ``index``: what a build's output
    depends on across processes (``git status`` rewrites the index's stat cache on every build).
    """
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--git-path", "index", "HEAD", "--all"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    lines = done.stdout.decode("utf-8", "replace").split()  # a damaged ref file may hold any bytes
    if not lines:  # not a repository
        return ()
    if not index:
        return tuple(lines[1:])
    try:
        st = (root / lines[0]).stat()
    except OSError:
        return tuple(lines[1:])
    return (*lines[1:], st.st_mtime_ns, st.st_size, st.st_ino)


def input_signature(root: Path, today: date) -> tuple[Any, ...]:
    """The build date and the path, time and size of every file the tree is generated from."""
    stats = []
    for base in (INCIDENTS_DIR, DOCS_DIR, SCHEMA_FILE, INVENTORY_SCHEMA, INVENTORY_FILE, TEMPLATE_FILE, CONFIG_FILE):
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


def _counted(files: Iterable[tuple[str, str | bytes]], advance: Advance) -> Iterator[tuple[str, str | bytes]]:
    for item in files:
        yield item
        advance(1)


def prepare(root: Path, *, today: date | None = None, out: Path | None = None, engine: str = "mkdocs") -> Prepared:
    """Validate, analyse and write the Markdown tree of the repository at ``root``, for ``engine`` to build.

    Raises :class:`ValidationFailed` (nothing written) when an incident is invalid.
    """
    root = root.resolve()
    day = today or build_date()
    docs_dir = (out or root / BUILD_DIR / "docs").resolve()
    inputs = input_signature(root, day)
    key = (engine, inputs, git_state(root))
    memo = _MEMO.get(docs_dir)
    if memo is not None and memo[0] == key and docs_dir.is_dir():
        return memo[1]
    model = load_model(root, day)
    ctx = site_context(root, model, links_from_source=engine in LINKS_FROM_SOURCE)
    extra = hand_written(root)
    with_home = c.HOME not in extra
    rendercache.begin(root)
    with phase("writing pages", page_count(ctx, with_home=with_home) + len(extra), unit="page") as advance:
        # Generated pages first: a hand-written page of the same path is skipped (the writer keeps the first),
        # except the home page, which docs/index.md replaces.
        files = _counted(chain(iter_tree(ctx, with_home=with_home), extra.items()), advance)
        result = Prepared(root=root, docs_dir=docs_dir, model=model, written=write_tree(files, docs_dir))
    rendercache.finish(root)
    (docs_dir.parent / BROKEN_MARK).unlink(missing_ok=True)
    # Reading the history ran ``git status``, which may rewrite the index (its stat cache): keep the git state
    # as the build left it, or the next call would build again for nothing (a commit made during the build is
    # then taken as built: the price of not locking the repository).
    _MEMO[docs_dir] = ((engine, inputs, git_state(root)), result)
    return result


def prepare_broken(root: Path, home: str, *, out: Path | None = None) -> Path:
    """After :func:`prepare` failed (while serving): keep the last good tree, or write one whose home page is ``home``.

    Returns the tree's folder. A tree that held only an earlier error page gets the new one.
    """
    root = root.resolve()
    docs_dir = (out or root / BUILD_DIR / "docs").resolve()
    _MEMO.pop(docs_dir, None)
    mark = docs_dir.parent / BROKEN_MARK
    if (docs_dir.parent / MANIFEST).is_file() and (docs_dir / c.HOME).is_file() and not mark.exists():
        return docs_dir
    write_tree(chain([(c.HOME, home)], hand_written(root).items()), docs_dir)
    mark.write_text("the tree holds only an error page; the next good build replaces it\n", encoding="utf-8")
    return docs_dir
