"""Write the generated tree to disk: only the files whose content changed, and remove what is no longer generated.

A page whose content is already on disk is neither rewritten nor touched, so
its mtime stays and ``mkdocs serve`` (which watches mtimes) rebuilds only what
changed. The manifest (``manifest.json`` beside the tree) records each file's
hash, size and mtime as written, so an unchanged file costs one ``stat``; a
file whose size or mtime differs from the manifest (edited by hand, or no
manifest yet) is compared byte for byte. A changed file is replaced
atomically (a temporary file beside it, then a rename), so a server reading
the tree never sees half a page. The tree's folder belongs to the build: a
file there that is no longer generated is removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"

#: One manifest entry: the content's hash, and the size and mtime (ns) of the file as written.
Entry = tuple[str, int, int]


@dataclass
class Written:
    """What :func:`write_tree` did; ``changed`` lists the tree paths written or removed, ``gone`` those removed."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0
    changed: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)


def _digest(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def _read_manifest(path: Path) -> dict[str, Entry]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    entries: dict[str, Entry] = {}
    for rel, entry in raw.items():
        if isinstance(entry, list) and len(entry) == 3 and all(isinstance(v, str | int) for v in entry):
            entries[str(rel)] = (str(entry[0]), int(entry[1]), int(entry[2]))
    return entries  # an entry of another shape (an older manifest) is compared byte for byte


def _same_on_disk(target: Path, data: bytes, digest: str, old: Entry | None) -> os.stat_result | None:
    """The file's stat when ``target`` already holds ``data``; None when it must be written."""
    try:
        st = target.stat()
    except OSError:
        return None
    if st.st_size != len(data):
        return None
    if old is not None and old == (digest, st.st_size, st.st_mtime_ns):
        return st
    try:
        return st if target.read_bytes() == data else None
    except OSError:
        return None


def write_bytes_atomic(target: Path, data: bytes) -> os.stat_result:
    """Replace ``target`` with ``data`` through a temporary file beside it (no fsync: the tree can be rebuilt)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return target.stat()


def write_tree(files: Iterable[tuple[str, str | bytes]], out: Path) -> Written:
    """Make ``out`` hold exactly ``files`` (``(tree path, content)`` pairs, consumed one by one); write only changes."""
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out.parent / MANIFEST
    old = _read_manifest(manifest_path)
    new: dict[str, Entry] = {}
    done = Written()
    for rel, content in files:
        if rel in new:
            continue  # the first of two files with one path wins (generated pages before hand-written ones)
        data = content.encode("utf-8") if isinstance(content, str) else content
        digest = _digest(data)
        target = out / rel
        st = _same_on_disk(target, data, digest, old.get(rel))
        if st is None:
            st = write_bytes_atomic(target, data)
            done.written += 1
            done.changed.append(rel)
        else:
            done.unchanged += 1
        new[rel] = (digest, st.st_size, st.st_mtime_ns)
    done.gone = _remove_stale(out, new)
    done.removed = len(done.gone)
    done.changed += done.gone
    write_bytes_atomic(manifest_path, json.dumps(new, sort_keys=True).encode("utf-8"))
    return done


def _remove_stale(out: Path, keep: dict[str, Entry]) -> list[str]:
    """Remove every file under ``out`` not in ``keep``, and the folders left empty; the files' tree paths."""
    removed: list[str] = []
    for folder, _dirs, names in os.walk(out, topdown=False):
        for name in names:
            rel = Path(folder, name).relative_to(out).as_posix()
            if rel not in keep:
                Path(folder, name).unlink()
                removed.append(rel)
        if folder != str(out) and not os.listdir(folder):
            os.rmdir(folder)
    return removed
