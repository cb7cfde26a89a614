"""``failurelog renumber OLD NEW``: give an incident another id and update every reference to it.

The file moves to ``incidents/<NEW's year>/NEW.md``, its ``id:`` line is
rewritten, and so is every line of another incident that mentions OLD
(a reference field, ``x-incident-ref`` in the schema, or prose).
Edits are made to the text, line by line, so comments, quoting and layout
are kept; every edited file is parsed again and must read back as before
except for the id, or nothing is written. Every mention of OLD in any
incident, prose and comments included, is rewritten too, and listed. All
files change together or not at all: see :mod:`failurelog.core.journal`.

The id's date is the day the incident began (UTC), so NEW must carry the date
of ``occurred_at``: renumbering changes the number, and a wrong date is fixed
by correcting ``occurred_at`` first.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from failurelog.core.branches import ids_on_branches
from failurelog.core.errors import FailurelogError, UsageError
from failurelog.core.ids import IdFormat
from failurelog.core.journal import Step, Transaction, digest
from failurelog.core.loader import Document, parse_text
from failurelog.core.paths import INCIDENTS_DIR, display_path
from failurelog.core.repository import holding, load_all
from failurelog.core.schema import Schema, load_schema
from failurelog.core.values import parse_time

_ID_LINE = re.compile(r"""^(?P<key>\s*(?P<q>["']?)id(?P=q)\s*:[ \t]*)(?P<value>.*?)(?P<tail>[ \t]+#.*)?$""")


@dataclass
class Renumbered:
    """What ``renumber`` did, for the command to report."""

    old_id: str
    new_id: str
    old_path: Path
    new_path: Path
    #: files whose references to OLD now name NEW
    updated: list[Path] = field(default_factory=list)
    #: files that could not be read, so were not searched for references
    unreadable: list[Path] = field(default_factory=list)
    #: files referring to OLD that were left alone because another incident still has OLD
    ambiguous: list[Path] = field(default_factory=list)
    #: every (file, line) where a mention of OLD (a reference, or prose) now names NEW
    mentions: list[tuple[Path, int]] = field(default_factory=list)


def _check_new_id(ids: IdFormat, new_id: str) -> str:
    """The canonical spelling of NEW, refused when it names no date or the number 0."""
    parsed = ids.require(new_id)
    if parsed.date is None:
        raise UsageError(f"{parsed} names no calendar date")
    if parsed.number == 0:
        raise UsageError(f"{parsed}: numbers start at {ids.make(parsed.day, 1).number:0{ids.digits}d}")
    return str(parsed)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):  # a symbolic-link loop
        return False


def _find(root: Path, ids: IdFormat, docs: list[Document], old: str) -> Document:
    """The document OLD names: an id (any case) held by exactly one file, or a path to an incident file."""
    if ids.parse(old) is not None or not old.endswith(".md"):
        old = ids.canonical(old)
        holders = holding(docs, old)
        if not holders:
            raise FailurelogError(f"no incident has the id {old} in {root / INCIDENTS_DIR}")
        if len(holders) > 1:
            files = ", ".join(d.display for d in holders)
            raise FailurelogError(
                f"{old} is the id of {len(holders)} files ({files}): name the file to renumber, "
                f"e.g. failurelog renumber {holders[-1].display} NEW-ID"
            )
        return holders[0]
    wanted = Path(old).absolute()
    for doc in docs:
        if doc.path.absolute() == wanted or _same_file(doc.path, wanted):
            if doc.meta is None:
                first = doc.problems[0].message if doc.problems else "unreadable"
                raise FailurelogError(f"cannot renumber {doc.display}: {first} (fix it first)")
            return doc
    raise FailurelogError(f"{old} is not an incident file under {root / INCIDENTS_DIR}")


def _day(ids: IdFormat, incident_id: str) -> str | None:
    parsed = ids.parse(incident_id)
    return parsed.day if parsed else None


def _expected_day(ids: IdFormat, doc: Document, old_id: str) -> str | None:
    """The date (YYYYMMDD) the id must carry: occurred_at's UTC date, else the old id's."""
    when = parse_time((doc.meta or {}).get("occurred_at"))
    if when is not None:
        return when.astimezone(UTC).strftime("%Y%m%d")
    return _day(ids, old_id)


def _taken(ids: IdFormat, docs: list[Document], branches: set[str]) -> set[str]:
    held = {ids.canonical(str(d.meta["id"])) for d in docs if d.meta is not None and isinstance(d.meta.get("id"), str)}
    return held | {ids.canonical(d.path.stem) for d in docs} | branches


def _rewrite_id_line(doc: Document, new_id: str) -> str:
    lines = doc.text.split("\n")
    index = doc.lines.get(("id",), 0) - 1
    match = _ID_LINE.match(lines[index]) if index >= 0 else None
    if match is None:
        raise FailurelogError(f"{doc.display}: cannot find the `id:` line to rewrite; edit it by hand")
    value = match.group("value")
    quote = value[0] if len(value) >= 2 and value[0] in "'\"" and value[-1] == value[0] else ""
    lines[index] = match.group("key") + quote + new_id + quote + (match.group("tail") or "")
    return "\n".join(lines)


def _verified(doc: Document, text: str, expected: dict[str, Any]) -> str:
    """``text`` if it reads back as ``expected`` with the same body; otherwise refuse."""
    again = parse_text(Document(path=doc.path, display=doc.display), text)
    if again.problems or again.meta != expected or again.body != doc.body:
        raise FailurelogError(f"{doc.display}: the rewritten file would not read back as intended; nothing changed")
    return text


def renumber(root: Path, old: str, new: str | None = None) -> Renumbered:
    """Give the incident ``old`` (an id, or a path to its file) the id ``new`` (default: next free that day)."""
    schema: Schema = load_schema(root)
    ids = schema.ids
    if new is not None:
        new = _check_new_id(ids, new)
    docs = load_all(root)
    doc = _find(root, ids, docs, old)
    assert doc.meta is not None
    old_id = str(doc.meta.get("id"))
    day = _expected_day(ids, doc, old_id)
    taken = _taken(ids, docs, ids_on_branches(root, ids)) - {ids.canonical(doc.path.stem)}
    if new is None:
        if day is None:
            raise UsageError(f"{doc.display} has no usable occurred_at or id date: give NEW explicitly")
        new = str(ids.next_free(day, taken | {ids.canonical(old_id), ids.canonical(doc.path.stem)}))
    if new == old_id:
        raise UsageError(f"{doc.display} already has the id {new}")
    if day is not None and _day(ids, new) != day:
        raise FailurelogError(
            f"{new} names the date {_day(ids, new)}, but {old_id} began on {day} (occurred_at, UTC): "
            f"an id carries the day the incident began; choose {ids.prefix}-{day}-{'N' * ids.digits}, "
            "or correct occurred_at first"
        )
    target = ids.require(new).path(root)
    in_place = target.absolute() == doc.path.absolute()  # a copy that kept its original's id
    if new in taken or (target.exists() and not in_place):
        holder = next((d.display for d in docs if d.meta and d.meta.get("id") == new), None)
        where = holder or (display_path(target, root) if target.exists() else "an incident on another git branch")
        raise FailurelogError(f"{new} is already used by {where}; choose another, or leave NEW out for the next free")

    result = Renumbered(old_id, new, doc.path, target)
    moved = _verified(doc, _rewrite_id_line(doc, new), {**doc.meta, "id": new})
    moved, own = _mentions(doc, moved, {**doc.meta, "id": new}, old_id, new)
    result.mentions.extend((target, line) for line in own)
    still_held = any(d is not doc and d.meta is not None and d.meta.get("id") == old_id for d in docs)
    transaction = Transaction(root, remove=None if in_place else _relative(root, doc.path))
    mode = doc.path.stat().st_mode
    transaction.steps.append(Step(_relative(root, target), moved, _hash(doc.path) if in_place else None, mode))
    for other in docs:
        if other is doc or old_id not in other.text:
            continue
        if other.meta is None:
            result.unreadable.append(other.path)
            continue
        if still_held:
            result.ambiguous.append(other.path)
            continue
        text, lines = _mentions(other, other.text, other.meta, old_id, new)
        transaction.steps.append(Step(_relative(root, other.path), text, _hash(other.path)))
        result.updated.append(other.path)
        result.mentions.extend((other.path, line) for line in lines)
    if not in_place and target.exists():
        raise FailurelogError(f"{display_path(target, root)} appeared meanwhile; nothing changed")
    transaction.commit()
    return result


def _relative(root: Path, path: Path) -> str:
    return os.path.relpath(path.absolute(), root.absolute())


def _hash(path: Path) -> str:
    return digest(path.read_bytes())


def _replace_strings(value: Any, token: re.Pattern[str], new_id: str) -> Any:
    if isinstance(value, str):
        return token.sub(new_id, value)
    if isinstance(value, dict):
        return {k: _replace_strings(v, token, new_id) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_strings(v, token, new_id) for v in value]
    return value


def _mentions(doc: Document, text: str, meta: dict[str, Any], old_id: str, new_id: str) -> tuple[str, list[int]]:
    """``text`` (``doc``'s, its id perhaps rewritten) with every mention of OLD, prose included, made NEW.

    The result must read back as ``meta`` with OLD replaced in every value, and ``doc``'s body likewise, or
    nothing is written. Also the lines changed.
    """
    token = re.compile(rf"(?<![\w-]){re.escape(old_id)}(?![\w-])")
    lines = text.split("\n")
    changed = []
    for index, line in enumerate(lines):
        replaced, count = token.subn(new_id, line)
        if count:
            lines[index] = replaced
            changed.append(index + 1)
    if not changed:
        return text, []
    out = "\n".join(lines)
    again = parse_text(Document(path=doc.path, display=doc.display), out)
    expected = _replace_strings(meta, token, new_id)
    if again.problems or again.meta != expected or again.body != token.sub(new_id, doc.body):
        raise FailurelogError(f"{doc.display}: rewriting {old_id} would not read back as intended; nothing changed")
    return out, changed
