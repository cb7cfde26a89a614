"""The parsed documents of a validated run, for callers that build from them (the site, the model).

A file whose outcome came from the validation cache was not read by the run
(:mod:`failurelog.validate.cache`), so its document is parsed here, without
checking it again: only what the site needs. Within one process (``failurelog
serve`` rebuilding after each edit) a document is parsed once per content: it
is kept by path with the SHA-256 of its bytes and reused while the bytes are
the same. A kept document is handed out as a copy, so nothing a caller does to
it reaches the next run (:func:`copied`: its containers copied, the immutable
values shared, which costs a tenth of ``copy.deepcopy``).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from failurelog.core.loader import Document, load, parse_bytes
from failurelog.core.parallel import fork_imap
from failurelog.validate.cache import Entry, digest

#: Path of a file -> (SHA-256 of its bytes, its document as parsed).
_MEMO: dict[str, tuple[str, Document]] = {}


def _parse(job: tuple[Path, str, bytes | None, Path]) -> Document:
    path, display, data, root = job
    doc = load(path, display, root) if data is None else parse_bytes(Document(path=path, display=display), data)
    doc.text = ""  # as a checked document comes back: the site reads meta and body
    return doc


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


#: What a front matter holds that cannot change in place (shared by a copy); dates and times are ``date``s.
_IMMUTABLE = (str, int, float, bool, type(None), date, bytes)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value if isinstance(value, _IMMUTABLE) else copy.deepcopy(value)


def copied(doc: Document) -> Document:
    """A copy of ``doc`` that shares nothing a caller can change with it (as ``copy.deepcopy``, faster)."""
    return dataclasses.replace(doc, meta=_plain(doc.meta), lines=dict(doc.lines), problems=list(doc.problems))


def _remember(key: str, sha: str | None, doc: Document) -> Document:
    if sha is None:
        _MEMO.pop(key, None)
        return doc
    _MEMO[key] = (sha, doc)
    return copied(doc)


def documents_of(root: Path, files: Sequence[tuple[Path, str, Entry]]) -> list[Document]:
    """The document of each ``(path, display name, outcome)``, in order: the one checked, kept, or parsed now."""
    out: list[Document | None] = [None] * len(files)
    todo: list[tuple[int, str | None, tuple[Path, str, bytes | None, Path]]] = []
    for index, (path, display, entry) in enumerate(files):
        key = str(path)
        if entry.doc is not None:
            out[index] = _remember(key, entry.sha256, entry.doc)
            continue
        data = _read(path)
        sha = digest(data) if data is not None else None
        kept = _MEMO.get(key)
        if kept is not None and sha is not None and kept[0] == sha:
            out[index] = copied(kept[1])
        else:
            todo.append((index, sha, (path, display, data, root)))
    for (index, sha, _job), doc in zip(todo, fork_imap(_parse, [job for _i, _s, job in todo]), strict=True):
        out[index] = _remember(str(files[index][0]), sha, doc)
    return [doc for doc in out if doc is not None]


def forget() -> None:
    """Drop every kept document (tests, and callers that want a cold run)."""
    _MEMO.clear()
