"""Atomic file writes: a user's file is never half-written, and never overwritten by accident."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _naming(exc: OSError, path: Path) -> OSError:
    """The error as it is, but naming ``path`` (a full disk's error on ``write`` names no file)."""
    return OSError(exc.errno, exc.strerror or str(exc), str(path)) if exc.errno is not None else exc


def temp_beside(path: Path, text: str) -> str:
    """Write ``text`` to a new temporary file in ``path``'s folder, flushed to disk; its name.

    An ``OSError`` (a read-only folder, a full disk) names ``path``, the file being written, and leaves
    no temporary file behind.
    """
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _naming(exc, path) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as exc:
        os.unlink(temp)
        raise _naming(exc, path) from None
    except BaseException:
        os.unlink(temp)
        raise
    return temp


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text`` atomically; raise FileExistsError rather than overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_beside(path, text)
    try:
        os.link(temp, path)  # atomic, and fails if the name is taken
    finally:
        os.unlink(temp)


def replace(path: Path, text: str) -> None:
    """Replace the content of an existing ``path`` atomically, keeping its permissions."""
    mode = path.stat().st_mode
    temp = temp_beside(path, text)
    try:
        os.chmod(temp, mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def write_text(path: Path, text: str) -> None:
    """Create or replace ``path`` with ``text`` atomically (for files failurelog owns, such as its journal)."""
    temp = temp_beside(path, text)
    try:
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
