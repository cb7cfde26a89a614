"""The folder a build writes the site into: never one that holds anything but an earlier build.

MkDocs empties its ``--site-dir`` before building, so ``failurelog build
--site-dir incidents`` would delete every incident, uncommitted work
included. :func:`check_site_dir` refuses, before anything is written, a
folder that is the repository root, that contains or lies inside a source
folder (incidents, schema, templates, docs, ``.git``, or any folder holding
a file git tracks), or that is not empty and was not made by a build (every
build leaves :data:`MARKER` in its site folder; :func:`mark` writes it).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from failurelog.core.errors import UsageError
from failurelog.core.paths import INCIDENTS_DIR, SCHEMA_FILE, TEMPLATE_FILE

MARKER = ".failurelog-site"
_SOURCES = (INCIDENTS_DIR, SCHEMA_FILE.parent, TEMPLATE_FILE.parent, Path("docs"), Path(".git"), Path("src"))


def _tracked_folders(root: Path) -> set[Path]:
    """Every folder (resolved) that holds a file git tracks; empty outside git."""
    try:
        done = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return set()
    if done.returncode != 0:
        return set()
    folders = set()
    for name in done.stdout.decode("utf-8", "replace").split("\0"):
        if "/" in name:
            folders.add((root / name).parent.resolve())
    return folders


def _overlaps(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def check_site_dir(root: Path, site_dir: Path) -> None:
    """Raise UsageError when building into ``site_dir`` could delete anything a build did not make."""
    target, base = site_dir.resolve(), root.resolve()
    hint = "choose a new folder, e.g. --site-dir site"
    if base.is_relative_to(target):
        raise UsageError(f"--site-dir {site_dir}: it is (or contains) the repository itself; {hint}")
    for source in _SOURCES:
        folder = (base / source).resolve()
        if _overlaps(target, folder):
            raise UsageError(f"--site-dir {site_dir}: it overlaps {source}/, which the build would empty; {hint}")
    for folder in _tracked_folders(base):
        if folder != base and _overlaps(target, folder):
            shown = folder.relative_to(base) if folder.is_relative_to(base) else folder
            raise UsageError(f"--site-dir {site_dir}: it overlaps {shown}/, which holds files git tracks; {hint}")
    if target.exists() and not target.is_dir():
        raise UsageError(f"--site-dir {site_dir}: not a folder; {hint}")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise UsageError(
            f"--site-dir {site_dir}: a folder no failurelog build made (no {MARKER} in it) and not empty; "
            f"the build would empty it: {hint}, or empty it yourself"
        )


def mark(site_dir: Path) -> None:
    """Leave the marker that says a build made ``site_dir``."""
    (site_dir / MARKER).write_text("made by failurelog build; the next build empties this folder\n", encoding="utf-8")
