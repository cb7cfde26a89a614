"""The index of the validation cache: every file's stamp and id, apart from its problems and facts.

``failurelog validate FILE`` still judges FILE against every other incident (a
duplicate id, a reference to it), so it must know what every other file holds
now, but not their problems. ``.failurelog-cache/index.json`` holds, per file of
``validate.json`` (:mod:`failurelog.validate.cache`), its stamp (size,
modification time, inode, change time), when it was checked, its id, and where
its entry lies in the text of ``validate.json``; a one-file run reads the index,
compares the stamps, and parses only the entries of the files it needs (the
file itself, and those holding an id it holds or names).

The index names the SHA-256 of the ``validate.json`` it was written with, and is
used only beside that very file: one edited, forged, written by another version
or left by a write cut short is read whole instead, as if there were no index.
The stamps are packed arrays of 64-bit integers (base64), the layout of this
machine: the cache is never trusted in another checkout anyway.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: The layout of the index; any other is not used (and is rewritten by the next run that saves).
INDEX_FORMAT = 1
INDEX_FILE = "index.json"
#: The columns of a stamp, with what ``checked_ns`` adds, as array type codes (the inode is unsigned).
COLUMNS = ("size", "mtime", "inode", "ctime", "checked")
_CODES = ("q", "q", "Q", "q", "q")

#: An entry as written: its name, its JSON value or the text of that value, its stamp and checked_ns, its id.
Row = tuple[str, list[Any] | str, tuple[int, int, int, int, int], str | None]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def serialize(header: dict[str, Any], rows: Sequence[Row]) -> tuple[str, str | None]:
    """The text of ``validate.json`` (``header`` with an ``entries`` object of ``rows``) and of its index.

    The index is None when a stamp does not fit its column (no index is written: runs read the cache whole).
    """
    head = _dumps(header)[:-1] + ',"entries":{'
    parts, spans, at = [head], array("q"), len(head)
    for number, (name, value, _stamp, _id) in enumerate(rows):
        key = ("," if number else "") + _dumps(name) + ":"
        text = value if isinstance(value, str) else _dumps(value)
        parts += (key, text)
        spans.extend((at + len(key), at + len(key) + len(text)))
        at += len(key) + len(text)
    parts.append("}}")
    cache_text = "".join(parts)
    try:
        columns = [array(code, (row[2][column] for row in rows)) for column, code in enumerate(_CODES)]
    except OverflowError:
        return cache_text, None
    index = {
        "format": INDEX_FORMAT,
        "sha256": hashlib.sha256(cache_text.encode("utf-8")).hexdigest(),
        "names": [row[0] for row in rows],
        "ids": [row[3] for row in rows],
        **{name: _packed(column) for name, column in zip(COLUMNS, columns, strict=True)},
        "spans": _packed(spans),
    }
    return cache_text, _dumps(index)


def _packed(values: array[int]) -> str:
    return base64.b64encode(values.tobytes()).decode("ascii")


def _unpacked(text: Any, code: str, length: int) -> array[int]:
    values = array(code)
    values.frombytes(base64.b64decode(text, validate=True))
    if len(values) != length:
        raise ValueError("column of another length")
    return values


@dataclass
class Index:
    """The index of one ``validate.json``: by position, each file's name, id, stamp columns and entry span."""

    names: list[str]
    ids: list[str | None]
    columns: list[array[int]]  # size, mtime, inode, ctime, checked: see COLUMNS
    spans: array[int]  # start and end of each entry's value in the text of validate.json
    position: dict[str, int]

    def stamp(self, at: int) -> tuple[int, int, int, int]:
        """The stamp of the file at position ``at``."""
        size, mtime, inode, ctime, _checked = self.columns
        return (size[at], mtime[at], inode[at], ctime[at])


def read_index(text: str, cache_data: bytes) -> Index | None:
    """The index in ``text`` if it describes the cache whose bytes are ``cache_data``, else None."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT:
            return None
        if data.get("sha256") != hashlib.sha256(cache_data).hexdigest():
            return None
        names, ids = data["names"], data["ids"]
        if not isinstance(names, list) or not isinstance(ids, list) or len(ids) != len(names):
            return None
        if not all(isinstance(name, str) for name in names):
            return None
        if not all(found is None or isinstance(found, str) for found in ids):
            return None
        columns = [_unpacked(data[name], code, len(names)) for name, code in zip(COLUMNS, _CODES, strict=True)]
        spans = _unpacked(data["spans"], "q", 2 * len(names))
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None
    return Index(names, ids, columns, spans, {name: at for at, name in enumerate(names)})
