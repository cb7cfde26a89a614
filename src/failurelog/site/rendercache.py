"""The render cache: the expensive pure leaves of page rendering, kept by their exact inputs.

The profile of one regeneration at 1,000 incidents (bench/README.md, "Serve")
puts about two thirds of the page rendering in one leaf: an incident's body
through Python-Markdown and nh3 (:func:`failurelog.core.bodyhtml.render_parts`).
That is a pure function of two strings (the body and the extension spec), so
this module keeps its result under a hash of exactly those two strings: a hit
is correct by construction, whatever else changed in the repository. Every
page is still assembled afresh from the model and the analyses on each
build; only the leaf is reused.

The bodies are kept in this process (``serve`` rebuilding) and on disk in
``.failurelog-cache/render.json`` (a warm ``failurelog build``), keyed as a
whole on this module's format, failurelog's own source (:func:`code_version`)
and the versions of the libraries that render and clean (Markdown,
pymdown-extensions, Pygments, nh3). A file of another key, one that does not
parse, one whose entries are of another shape or whose checksum does not match
is discarded and rewritten. Only the bodies used by the last build are kept.

The exports are kept by incident in :mod:`failurelog.site.exports`.

Pages render in forked workers (:func:`failurelog.site.tree.iter_tree`), so a
worker hands the bodies it rendered back with each page (:func:`take`) and
the parent keeps them (:func:`adopt`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from failurelog.core import atomic
from failurelog.core.bodyhtml import Heading, Part, render_parts
from failurelog.validate.cache import CACHE_DIR, code_version

CACHE_FILE = "render.json"
#: The layout of the file; a file of another format is discarded.
FORMAT = 1
#: The libraries whose output is kept: a new version renders anew.
RENDERERS = ("markdown", "pymdown-extensions", "pygments", "nh3")
#: Written only by a page whose top heading was not cut out (see :func:`body_parts`): never kept.
_HEADING_MARK = "data-fl-heading"

Parts = tuple[Part, ...]


@dataclass
class Stats:
    """What the cache did in the current build: bodies rendered afresh, bodies shown, and the disk file's state."""

    rendered: int = 0
    used: int = 0
    disk: str = "off"  # fresh, missing, stale, corrupt (see :func:`begin`), or off (not read)


_bodies: dict[str, Parts] = {}
_new: dict[str, Parts] = {}
_used: set[str] = set()
_outbox: tuple[dict[str, Parts], set[str]] = ({}, set())  # what take() hands over next
_counted: set[str] = set()  # the bodies counted as rendered in this build
_disk_key: str | None = None
stats = Stats()


def cache_key() -> str:
    """The key of the whole cache file: its format, failurelog's source and the renderers' versions."""
    hasher = hashlib.sha256(f"{FORMAT}\0{code_version()}".encode())
    for name in RENDERERS:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        hasher.update(f"\0{name}={version}".encode())
    return hasher.hexdigest()


def _body_key(body: str, spec: str) -> str:
    return hashlib.sha256(f"{spec}\0{body}".encode()).hexdigest()


def body_parts(body: str, spec: str) -> list[Part]:
    """:func:`failurelog.core.bodyhtml.render_parts` of ``body`` and ``spec``, from the cache when rendered before."""
    key = _body_key(body, spec)
    found = _bodies.get(key)
    if found is None:
        parts = tuple(render_parts(body, spec))
        if any(isinstance(part, str) and _HEADING_MARK in part for part in parts):
            return list(parts)  # the mark's token is this process' own: another would render it differently
        found = _bodies[key] = _new[key] = _outbox[0][key] = parts
    _used.add(key)
    _outbox[1].add(key)
    return list(found)


def take() -> tuple[dict[str, Parts], set[str]]:
    """The bodies rendered and the keys used since the last call (a worker sends them back with its page)."""
    global _outbox
    given, _outbox = _outbox, ({}, set())
    return given


def adopt(new: dict[str, Parts], used: Iterable[str]) -> None:
    """Keep what :func:`take` gave in a worker (or in this process)."""
    stats.rendered += len(new.keys() - _counted)
    _counted.update(new)
    _bodies.update(new)
    _new.update(new)
    _used.update(used)


def begin(root: Path, *, disk: bool = True) -> None:
    """Start a build: read the disk cache of ``root`` unless this process holds a cache of the same key."""
    global _disk_key
    key = cache_key()
    stats.rendered = stats.used = 0
    _new.clear()
    _used.clear()
    _counted.clear()
    take()
    if _disk_key == key and _bodies:
        stats.disk = "kept"
        return
    _bodies.clear()
    _disk_key = key
    stats.disk = _read(root / CACHE_DIR / CACHE_FILE, key) if disk else "off"


def _part(raw: Any) -> Part:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, list) and len(raw) == 2 and isinstance(raw[0], int) and isinstance(raw[1], str):
        return Heading(raw[0], raw[1])
    raise ValueError("not a part")


def _checksum(bodies: Any) -> str:
    return hashlib.sha256(json.dumps(bodies, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def _read(path: Path, key: str) -> str:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "missing"
    except (OSError, ValueError):
        return "corrupt"
    if not isinstance(data, dict):
        return "corrupt"
    if data.get("format") != FORMAT or data.get("key") != key:
        return "stale"
    bodies = data.get("bodies")
    if not isinstance(bodies, dict) or data.get("checksum") != _checksum(bodies):
        return "corrupt"
    try:
        kept = {str(k): tuple(_part(p) for p in v) for k, v in bodies.items() if isinstance(v, list)}
    except ValueError:
        return "corrupt"
    if len(kept) != len(bodies):
        return "corrupt"
    _bodies.update(kept)
    return "fresh"


def finish(root: Path, *, disk: bool = True) -> None:
    """End a build: forget the bodies it did not use; write the disk cache when it changed (errors ignored)."""
    stats.used = len(_used)
    unused = set(_bodies) - _used
    for key in unused:
        del _bodies[key]
    changed = bool(_new or unused) or stats.disk not in ("fresh", "kept")
    _new.clear()
    if not disk or not changed:
        return
    bodies = {k: [[p.level, p.text] if isinstance(p, Heading) else p for p in v] for k, v in sorted(_bodies.items())}
    data = {"format": FORMAT, "key": _disk_key, "checksum": _checksum(bodies), "bodies": bodies}
    path = root / CACHE_DIR / CACHE_FILE
    try:
        path.parent.mkdir(exist_ok=True)
        atomic.write_text(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    except OSError:
        pass  # a read-only checkout builds without a cache


def forget() -> None:
    """Drop everything this process keeps (tests: the next build starts cold, from the disk cache if any)."""
    global _disk_key
    _bodies.clear()
    _new.clear()
    _used.clear()
    _disk_key = None
