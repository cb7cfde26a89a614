"""Whether a site folder already holds what a build would write: then ``failurelog build`` has nothing to do.

A build's output is a function of its inputs: the files it reads (incidents,
docs, schema, inventory, template, ``mkdocs.yml`` and what it names: hooks
and a theme override folder), the build date, the git refs (history pages,
ids on other branches), failurelog's own source, the versions of the engine
and of every library that renders, the engine and its options, and the target
folder. :func:`build_key` digests all of them; a build that succeeds leaves
the key in the site folder's marker together with a digest of every file it
wrote (:func:`record`). The next build with the same key over an untouched
folder is skipped (:func:`is_current`). Anything in doubt (no key, another
key, a file of the site added, removed or changed, a marker that does not
parse) means a full build; :func:`forget` removes the key before a build
starts, so an interrupted build never looks finished.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from failurelog.core.siteconfig import read_config
from failurelog.site.generate import git_state, input_signature
from failurelog.site.sitedir import MARKER, mark
from failurelog.validate.cache import code_version

#: The distributions whose version changes what a build writes.
LIBRARIES = (
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "pygments",
    "nh3",
    "jinja2",
    "pagefind",
    "pagefind-bin",
    "zensical",
)
#: The marker's first line (what :func:`failurelog.site.sitedir.mark` writes); the record is the JSON line after it.
_FORMAT = 1


def _named_by_config(root: Path) -> list[tuple[str, int, int]]:
    """Stats of the files ``mkdocs.yml`` names outside the generated inputs: hooks and the theme's custom_dir."""
    config = read_config(root)
    names = [str(h) for h in config.get("hooks") or [] if isinstance(h, str)]
    theme = config.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        names.append(theme["custom_dir"])
    stats = []
    for name in names:
        path = root / name
        for p in sorted(path.rglob("*")) if path.is_dir() else [path]:
            try:
                st = p.stat()
            except OSError:
                continue
            if p.is_file():
                stats.append((str(p), st.st_mtime_ns, st.st_size))
    return stats


def _versions() -> list[str]:
    out = []
    for name in LIBRARIES:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return out


def build_key(root: Path, *, engine: str, strict: bool, site_dir: Path, today: date) -> str:
    """A digest of everything a build of ``root`` into ``site_dir`` reads (see the module's docstring)."""
    parts: list[Any] = [
        _FORMAT,
        input_signature(root, today),
        _named_by_config(root),
        git_state(root, index=False),
        code_version(),
        _versions(),
        engine,
        strict,
        str(site_dir.resolve()),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def site_digest(site_dir: Path) -> str:
    """A digest of every file in the site folder but the marker: its path, size and modification time."""
    hasher = hashlib.sha256()
    for path in sorted(site_dir.rglob("*")):
        if path.name == MARKER and path.parent == site_dir:
            continue
        try:
            st = path.lstat()
        except OSError:
            continue
        hasher.update(f"{path.relative_to(site_dir).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return hasher.hexdigest()


def _record_of(site_dir: Path) -> dict[str, Any] | None:
    try:
        lines = (site_dir / MARKER).read_text(encoding="utf-8").splitlines()
        record = json.loads(lines[1]) if len(lines) > 1 else None
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def is_current(site_dir: Path, key: str) -> int | None:
    """The number of incidents of the build ``site_dir`` holds when it was made with ``key`` and is untouched."""
    record = _record_of(site_dir)
    if record is None or record.get("key") != key or not isinstance(record.get("incidents"), int):
        return None
    if record.get("site") != site_digest(site_dir):
        return None
    count: int = record["incidents"]
    return count


def forget(site_dir: Path) -> None:
    """Before a build: drop the record, so that a build stopped half-way is never taken for a finished one."""
    if _record_of(site_dir) is not None:
        mark(site_dir)


def record(site_dir: Path, key: str, incidents: int) -> None:
    """After a build that succeeded: the marker, with the key and a digest of what the folder now holds."""
    mark(site_dir)
    entry = {"key": key, "incidents": incidents, "site": site_digest(site_dir)}
    with (site_dir / MARKER).open("a", encoding="utf-8") as marker:
        marker.write(json.dumps(entry) + "\n")
