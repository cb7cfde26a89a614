"""Read a filled-in form: which line of the form fills which line of the layout.

The form is read top to bottom against the layout. A line is *anchored* when
it starts like a line of the layout further on in the same form section:
with the same label (``Hostname:``), or, inside the current group only, with
a number (``1.``), a time in brackets (``[14:22:07]``) or a check box. Lines
that anchor nowhere continue the block or value they follow (log lines,
wrapped text, the check boxes under ``SYSTEM COMPONENT:``), and anything left
is a *stray*: kept and reported, never dropped. Inside a block only the next
line of the layout, or a bare heading, ends the block, so a log line that
happens to start with a label stays in the log.

What was read becomes a :class:`Draft` (front matter, body sections and the
warnings about them: :class:`Note`) in :mod:`to_incident`. The
``[failurelog]`` lines (:data:`TAG`) carry front-matter values the paper form
has no place for; their syntax is read and written here (:func:`take`,
:func:`parse_path`, :func:`format_path`), see :mod:`writer` for why.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from failurelog.core.schema import Schema
from failurelog.seedform.layout import Entry, Layout
from failurelog.seedform.template import NUMBERED, UNDERSCORES, after_label, first_label, norm, only_label

InstancePath = tuple[str | int, ...]

#: The body section that keeps lines the form has no place for (and the ``[failurelog]`` lines).
NOTES_SECTION = "additional_notes"


@dataclass
class Note:
    """A warning about one line of the form."""

    line: int
    field: str
    message: str


@dataclass
class Draft:
    """An incident as read from a form, before its status is settled."""

    meta: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    sources: dict[InstancePath, tuple[str, int]] = field(default_factory=dict)
    status_given: str | None = None


def section_text(schema: Schema, key: str, lines: list[str]) -> str:
    """The Markdown of a body section from the lines of its block (logs fenced)."""
    kind = next((s.kind for s in schema.sections if s.key == key), "prose")
    text = "\n".join(line.rstrip() for line in lines)
    text = (text if kind == "log" else textwrap.dedent(text)).strip("\n")  # a log keeps its indentation
    if not text.strip():
        return ""
    if kind == "log" and not any(line.lstrip().startswith(("```", "~~~")) for line in text.splitlines()):
        return f"```text\n{text}\n```"
    return text


TAG = "[failurelog]"
_LINE = re.compile(r"^\s*\[failurelog\]\s+(?P<path>[A-Za-z0-9_.\[\]]+):\s?(?P<value>.*)$")
_PART = re.compile(r"([a-z0-9_]+)((?:\[\d+\])*)")


def take(lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Split block lines into ordinary notes and ``[failurelog]`` (path, value) pairs."""
    kept: list[str] = []
    found: list[tuple[str, str]] = []
    for line in lines:
        match = _LINE.match(line)
        if match:
            found.append((match.group("path"), match.group("value")))
        else:
            kept.append(line)
    return kept, found


def parse_path(text: str, schema: Schema) -> InstancePath | None:
    """``action_items[2].status`` -> ``('action_items', 2, 'status')``; ``remarks.a.b`` -> ``('remarks', 'a.b')``."""
    if text.startswith("remarks."):
        return ("remarks", text[len("remarks.") :])
    out: list[str | int] = []
    for piece in text.split("."):
        match = _PART.fullmatch(piece)
        if not match:
            return None
        out.append(match.group(1))
        out.extend(int(i) for i in re.findall(r"\d+", match.group(2)))
    return tuple(out) if schema.field_at(tuple(out)) is not None else None


def format_path(path: InstancePath) -> str:
    """The inverse of :func:`parse_path`."""
    if path and path[0] == "remarks" and len(path) == 2:
        return f"remarks.{path[1]}"
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


_EQUALS_RULE = re.compile(r"^\s*={5,}\s*$")
_DASH_RULE = re.compile(r"^\s*-{5,}\s*$")
_LEAD_BOX = re.compile(r"^\s*\[\s?[xX*\u2713\u2714]?\s?\]")
_LEAD_BRACKET = re.compile(r"^\s*\[(?!\s?[xX*\u2713\u2714]?\s?\])")


@dataclass
class Hit:
    """A line of the form matched to an entry of the layout, with the values in its blanks."""

    entry: Entry
    line: int
    values: list[str]
    extra: list[tuple[int, str]] = field(default_factory=list)
    mark: bool = False
    fitted: bool = True
    slot: Entry | None = None
    rep: int = 0


@dataclass
class Stray:
    """A line of the form that belongs nowhere in the layout."""

    line: int
    where: str
    text: str


@dataclass
class Reading:
    """Everything read from one form."""

    hits: list[Hit] = field(default_factory=list)
    strays: list[Stray] = field(default_factory=list)
    recognised: int = 0


@dataclass(frozen=True)
class _Spot:
    entry: Entry
    slot: Entry | None = None
    unit: int = -1


def _spots(layout: Layout) -> list[list[_Spot]]:
    out = []
    for section in layout.sections:
        spots: list[_Spot] = []
        for entry in section.entries:
            if entry.kind == "slot":
                spots.extend(_Spot(unit, entry, index) for index, unit in enumerate(entry.unit))
            else:
                spots.append(_Spot(entry))
        out.append(spots)
    return out


def _anchors(entry: Entry, text: str) -> bool:
    if entry.kind in ("fixed", "heading", "slot"):
        return False
    if entry.anchor == "numbered":
        return bool(NUMBERED.match(text))
    if entry.anchor == "placeholder":
        return bool(_LEAD_BRACKET.match(text))
    return entry.label is not None and first_label(text) == entry.label


class _Reader:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.spots = _spots(layout)
        self.headings = {norm(s.heading): i for i, s in enumerate(layout.sections) if s.heading}
        self.fixed = [
            {norm(e.tline.text) for e in s.entries if e.kind == "fixed" and e.tline.text.strip()}
            for s in layout.sections
        ]
        self.section = 0
        self.pos = -1
        self.sink: Hit | None = None
        self.mode = ""  # block | options | soft
        self.reps: dict[int, tuple[int, int]] = {}
        self.header = ""
        self.reading = Reading()
        self.after_rule = False
        self.pending: tuple[int, str] | None = None

    def group(self) -> int:
        spots = self.spots[self.section]
        return spots[self.pos].entry.group if 0 <= self.pos < len(spots) else 0

    def candidates(self) -> Iterator[tuple[int, _Spot]]:
        spots = self.spots[self.section]
        here = spots[self.pos] if 0 <= self.pos < len(spots) else None
        after = range(self.pos + 1, len(spots))
        if here is not None and here.slot is not None:
            first = self.pos - here.unit
            last = first + len(here.slot.unit)
            yield from ((i, spots[i]) for i in range(self.pos + 1, last))
            yield from ((i, spots[i]) for i in range(first, self.pos + 1))
            after = range(last, len(spots))
        yield from ((i, spots[i]) for i in after)

    def find(self, text: str) -> tuple[int, _Spot] | None:
        group = self.group()
        nearest = True
        for index, spot in self.candidates():
            entry = spot.entry
            if entry.kind in ("fixed", "heading"):
                continue
            if self.mode == "block" and not nearest and not (entry.kind == "header" and only_label(text)):
                continue
            nearest = False
            if entry.anchor != "label" and entry.group != group:
                continue
            if _anchors(entry, text):
                return index, spot
        if self.sink is None:
            spots = self.spots[self.section]
            for index in range(min(self.pos, len(spots) - 1), -1, -1):
                if spots[index].entry.anchor == "label" and _anchors(spots[index].entry, text):
                    return index, spots[index]
        return None

    def switch(self, index: int) -> None:
        self.section, self.pos, self.sink, self.mode = index, -1, None, ""
        self.reading.recognised += 1

    def feed(self, number: int, raw: str) -> None:
        text = raw.rstrip()
        if _EQUALS_RULE.match(text):
            if self.mode == "block" and self.sink is not None and self.pending is None:
                self.pending = (number, text)  # a rule inside a log, unless a heading follows
            self.after_rule = True
            return
        heading = self.headings.get(norm(text))
        if heading is not None and (self.mode != "block" or self.after_rule):
            self.after_rule, self.pending = False, None
            self.switch(heading)
            return
        if self.pending is not None and self.sink is not None and self.mode == "block":
            self.sink.extra.append(self.pending)
        self.after_rule, self.pending = False, None
        if UNDERSCORES.match(text):
            return
        found = self.find(text) if text.strip() else None
        boxed = self.mode == "options" and self.sink is not None and _LEAD_BOX.match(text)
        if boxed and self.sink is not None and (found is None or found[1].entry.anchor != "label"):
            self.sink.extra.append((number, text))  # one more box of the group above
            return
        if found is None and self.sink is None and text.strip():
            found = self.find_later(text)
        if found is not None:
            self.take(number, text, *found)
        elif self.sink is not None and self.mode == "block":
            self.sink.extra.append((number, text))
        elif not text.strip() or (self.mode == "" and _DASH_RULE.match(text)):
            return
        elif self.sink is not None and self.mode == "soft" and (self.sink.entry.attached or raw[:1].isspace()):
            self.sink.extra.append((number, text))
        elif norm(text) in self.fixed[self.section]:
            return
        else:
            where = " / ".join(p for p in (self.layout.sections[self.section].heading, self.header) if p)
            self.reading.strays.append(Stray(number, where, text.strip()))
            self.sink, self.mode = None, ""

    def find_later(self, text: str) -> tuple[int, _Spot] | None:
        for section in range(self.section + 1, len(self.spots)):
            for index, spot in enumerate(self.spots[section]):
                if spot.entry.anchor == "label" and _anchors(spot.entry, text):
                    self.switch(section)
                    self.reading.recognised -= 1
                    return index, spot
        return None

    def take(self, number: int, text: str, index: int, spot: _Spot) -> None:
        entry = spot.entry
        self.pos = index
        self.reading.recognised += 1
        rep = 0
        if spot.slot is not None:
            key = id(spot.slot)
            last_rep, last_unit = self.reps.get(key, (-1, len(spot.slot.unit)))
            rep = last_rep + 1 if spot.unit <= last_unit else last_rep
            self.reps[key] = (rep, spot.unit)
        hit = Hit(entry, number, [], slot=spot.slot, rep=rep)
        self.reading.hits.append(hit)
        self.sink, self.mode = None, ""
        if entry.kind == "header":
            self.header = entry.tline.text.strip()
            inline = after_label(text)
            if inline and not UNDERSCORES.match(inline):
                hit.extra.append((number, inline))
            if entry.block is not None or entry.choice:
                self.sink, self.mode = hit, "block" if entry.block is not None else "options"
            return
        if entry.kind == "choice":
            hit.extra.append((number, after_label(text)))
            self.sink, self.mode = hit, "options"
            return
        pattern = entry.pattern
        match = pattern.match(text) if pattern is not None else None
        blanks = len(entry.tline.blanks)
        if match is None:
            hit.values = [after_label(text)] + [""] * (blanks - 1)
            hit.fitted = blanks <= 1
        else:
            hit.values = [match.group(f"b{i}") or "" for i in range(blanks)]
            hit.mark = bool(entry.marker and match.groupdict().get("mark"))
        section_target = any(t.section for t in entry.targets)
        self.sink, self.mode = hit, "block" if section_target else "soft"


def read(layout: Layout, text: str) -> Reading:
    """Match every line of a filled-in form to the layout."""
    reader = _Reader(layout)
    for number, line in enumerate(text.splitlines(), start=1):
        reader.feed(number, line.expandtabs(8) if "\t" in line and reader.mode != "block" else line)
    return reader.reading
