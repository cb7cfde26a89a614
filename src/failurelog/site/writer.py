"""Write the generated tree to disk: only the files whose content changed, and remove what is no longer generated.

The manifest (``manifest.json`` beside the tree) records the hash of every
file written, so an unchanged page is neither rewritten nor touched (its
mtime stays, and ``mkdocs serve`` does not rebuild in a loop).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"


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
