"""What changed between two versions of an incident, and what an auditor should look at.

Field changes are computed on the parsed front matter (dotted paths such as
``root_cause.summary`` or ``action_items[1].owner``), section changes on the
body's ``##`` sections. The sign-off rules read the sub-fields of the object marked ``x-sign-off``
from the schema: the signatures are its objects that carry a date, the
closing time is its timestamp.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from failurelog.core.annotations import get as annotation
from failurelog.core.body import parse_body
from failurelog.core.loader import Document, parse_bytes
from failurelog.core.problems import dotted
from failurelog.core.schema import Schema
from failurelog.core.values import parse_moment, parse_time, value_at
from failurelog.validate.numbers import finite, number_problems

#: The schema object holding the sign-off (the one field name this module knows).

#: Flag kinds, and how a reader names them.
FLAG_TITLES = {
    "changed-after-close": "changed after closing",
    "sign-off-changed": "sign-off changed after signing",
    "deleted": "file deleted",
    "uncommitted": "uncommitted changes",
}

#: The key under which text before the first ``##`` heading is compared.
PREAMBLE = "(text before the first section)"


@dataclass(frozen=True)
class FieldChange:
    """One front-matter value that changed; ``old``/``new`` are None when there was no value."""

    field: str
    old: Any
    new: Any

    @property
    def kind(self) -> str:
        """``set`` (filled in), ``cleared`` or ``changed``."""
        if self.old is None:
            return "set"
        return "cleared" if self.new is None else "changed"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"field": self.field, "kind": self.kind, "from": self.old, "to": self.new}


@dataclass(frozen=True)
class SectionChange:
    """One ``##`` body section added, removed or edited."""

    heading: str
    kind: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"heading": self.heading, "kind": self.kind}


@dataclass(frozen=True)
class Flag:
    """Something an auditor should look at; ``kind`` is a key of :data:`FLAG_TITLES`."""

    kind: str
    incident: str
    message: str
    commit: str | None = None
    at: datetime | None = None
    author: str | None = None

    @property
    def title(self) -> str:
        """The kind, as a reader names it."""
        return FLAG_TITLES.get(self.kind, self.kind)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "title": self.title,
            "incident": self.incident,
            "message": self.message,
            "commit": self.commit,
            "at": self.at.isoformat() if self.at else None,
            "author": self.author,
        }


@dataclass
class Snapshot:
    """One version of an incident file, parsed: ``meta`` is None when the front matter is unreadable."""

    meta: dict[str, Any] | None
    sections: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def snapshot(data: bytes | None, path: str) -> Snapshot:
    """Parse the bytes of one version of an incident (never raises: an unreadable version is noted, not compared)."""
    if data is None:
        return Snapshot(None, problem="content not available in this clone")
    try:
        return _parse(data, path)
    except (ValueError, OverflowError, RecursionError, MemoryError) as exc:
        return Snapshot(None, problem=f"unreadable ({type(exc).__name__}); not compared")


def _parse(data: bytes, path: str) -> Snapshot:
    doc = parse_bytes(Document(path=Path(path), display=path), data)
    sections: dict[str, str] = {}
    parsed = parse_body(doc.body, doc.body_line)
    if parsed.preamble.strip():
        sections[PREAMBLE] = parsed.preamble.strip()
    for section in parsed.sections:
        heading, number = section.heading, 2
        while heading in sections:
            heading, number = f"{section.heading} ({number})", number + 1
        sections[heading] = section.text.strip()
    problem = None
    if doc.meta is None:
        first = doc.problems[0] if doc.problems else None
        problem = f"line {first.line}: {first.message}" if first else "no front matter"
    elif not finite(doc.meta):
        found = number_problems(doc)[0]
        return Snapshot(None, sections, f"line {found.line}: {found.field}: not a finite number; not compared")
    return Snapshot(doc.meta, sections, problem)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _same(old: Any, new: Any) -> bool:
    if _empty(old) and _empty(new):
        return True
    return type(old) is type(new) and bool(old == new)


def diff_fields(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[FieldChange]:
    """Every leaf value that differs, by dotted path; lists of plain values compare as a whole."""
    out: list[FieldChange] = []
    _diff(old, new, (), out)
    return out


def _diff(old: Any, new: Any, path: tuple[str | int, ...], out: list[FieldChange]) -> None:
    if isinstance(old, dict | type(None)) and isinstance(new, dict | type(None)) and (old or new):
        old_map: dict[str, Any] = old or {}
        new_map: dict[str, Any] = new or {}
        for key in [*new_map, *(k for k in old_map if k not in new_map)]:
            _diff(old_map.get(key), new_map.get(key), (*path, key), out)
        return
    if _holds_objects(old) and _holds_objects(new) and (old or new):
        old_list: list[Any] = old or []
        new_list: list[Any] = new or []
        for index in range(max(len(old_list), len(new_list))):
            _diff(
                old_list[index] if index < len(old_list) else None,
                new_list[index] if index < len(new_list) else None,
                (*path, index),
                out,
            )
        return
    if not _same(old, new):
        out.append(FieldChange(dotted(path), None if _empty(old) else old, None if _empty(new) else new))


def _holds_objects(value: Any) -> bool:
    return value is None or (isinstance(value, list) and any(isinstance(v, dict) for v in value))


def diff_sections(old: dict[str, str], new: dict[str, str]) -> list[SectionChange]:
    """Body sections added, removed or edited, in the new version's order."""
    out = []
    for heading, text in new.items():
        if heading not in old:
            out.append(SectionChange(heading, "added"))
        elif old[heading] != text:
            out.append(SectionChange(heading, "edited"))
    out.extend(SectionChange(heading, "removed") for heading in old if heading not in new)
    return out


@dataclass(frozen=True)
class SignOff:
    """The schema's sign-off fields: the closing timestamp, the dated signatures, and the rest."""

    closing: str | None = None
    signatures: tuple[tuple[str, str], ...] = ()  # (signature field, its date field)
    others: tuple[str, ...] = ()

    @classmethod
    def from_schema(cls, schema: Schema | None) -> SignOff:
        """Read the sign-off sub-fields from ``schema`` (an empty rule set without one)."""
        if schema is None:
            return cls()
        closing: str | None = None
        signatures: list[tuple[str, str]] = []
        others: list[str] = []
        holder = next((f for f in schema.fields.values() if annotation(f.schema, "x-sign-off")), None)
        for child in schema.children(holder.path) if holder is not None else []:
            dated = [f for f in schema.children(child.path) if f.schema.get("format") in ("date", "date-time")]
            if child.type == "object" and dated:
                signatures.append((child.name, dated[0].name))
            elif child.schema.get("format") == "date-time" and closing is None:
                closing = child.name
            else:
                others.append(child.name)
        return cls(closing, tuple(signatures), tuple(others))


def _day(value: Any) -> date | None:
    """The UTC day of a timestamp or a YYYY-MM-DD date."""
    moment = parse_moment(value)
    return moment.astimezone(UTC).date() if isinstance(moment, datetime) else moment


def _touches(changes: list[FieldChange], name: str) -> list[str]:
    return [c.field for c in changes if c.field == name or c.field.startswith((name + ".", name + "["))]


def revision_flags(
    incident: str,
    rules: SignOff,
    before: dict[str, Any] | None,
    changes: list[FieldChange],
    when: datetime,
    commit: str | None = None,
    author: str | None = None,
) -> list[Flag]:
    """Flags for one change made at ``when`` to an incident whose previous front matter was ``before``."""
    if before is None:
        return []
    flags: list[Flag] = []
    moment = when.astimezone(UTC)
    what = f"commit {commit[:10]} ({moment:%Y-%m-%d %H:%M} UTC)" if commit else "an uncommitted change"

    def flag(kind: str, message: str) -> None:
        flags.append(Flag(kind, incident, message, commit, when, author))

    closed = parse_time(value_at(before, rules.closing)) if rules.closing else None
    if closed is not None and moment > closed:
        flag(
            "changed-after-close",
            f"{what} changed the incident after it was closed "
            f"({rules.closing} {closed.astimezone(UTC):%Y-%m-%d %H:%M} UTC)",
        )
    signed: list[date] = []
    for signature, date_field in rules.signatures:
        day = _day(value_at(before, date_field))
        if day is None:
            continue
        signed.append(day)
        touched = _touches(changes, signature)
        if touched and moment.date() > day:
            flag(
                "sign-off-changed",
                f"{what} changed {', '.join(touched)} after {signature} was signed on {day}",
            )
    if rules.signatures and len(signed) == len(rules.signatures):
        complete = max(signed)
        touched = [name for other in rules.others for name in _touches(changes, other)]
        if touched and moment.date() > complete:
            flag(
                "sign-off-changed",
                f"{what} changed {', '.join(touched)} after the sign-off was complete (last signature {complete})",
            )
    return flags
