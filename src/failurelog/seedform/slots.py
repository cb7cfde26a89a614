"""Repeated parts of the form (slots) and the pattern that reads one filled-in line.

The template repeats some lines: five ``[HH:MM:SS] ____`` lines, three
numbered contributing factors, three action items under HIGH PRIORITY. Such a
run is one *slot*: its first repetition is kept as the unit, and each
repetition in a filled-in form is one item of an array field. A form may hold
more repetitions than the paper had room for; export prints as many as needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from failurelog.core.schema import ITEMS, Schema
from failurelog.seedform.labels import Entry, Section, Target
from failurelog.seedform.template import NUMBERED, Blank, Box, Lit, norm

LineResolver = Callable[[Entry, tuple[str, ...]], list[Target]]


def _signature(entry: Entry) -> str:
    lines = [entry.tline.text, *(t.text for t in entry.attached)]
    return "\n".join(NUMBERED.sub(r"\1#\3\4", line) for line in lines)


def _best_run(members: list[Entry]) -> tuple[int, int, int] | None:
    """(start, period, count) of the longest run of repeated lines holding a value line."""
    best: tuple[int, int, int] | None = None
    for start in range(len(members)):
        for period in range(1, (len(members) - start) // 2 + 1):
            unit = [_signature(e) for e in members[start : start + period]]
            if not any(e.kind == "value" for e in members[start : start + period]):
                continue
            count = 1
            while [_signature(e) for e in members[start + count * period : start + (count + 1) * period]] == unit:
                count += 1
            if count >= 2 and (best is None or period * count > best[1] * best[2]):
                best = (start, period, count)
        if best is not None:
            return best
    return best


def collapse(schema: Schema, section: Section) -> None:
    """Replace each run of repeated lines in a group by one slot entry."""
    out: list[Entry] = []
    entries = section.entries
    index = 0
    while index < len(entries):
        entry = entries[index]
        out.append(entry)
        index += 1
        if entry.kind != "header":
            continue
        end = index
        while end < len(entries) and entries[end].kind not in ("header", "heading"):
            end += 1
        members = entries[index:end]
        run = _best_run(members)
        if run is None:
            continue
        start, period, count = run
        out.extend(members[:start])
        unit = members[start : start + period]
        slot = Entry(unit[0].tline, "slot", group=entry.group, unit=unit, count=count, scope=entry.scope)
        slot.defaults = dict(entry.defaults)  # HIGH PRIORITY: every item of this slot has priority High
        out.append(slot)
        out.extend(members[start + period * count :])
        index = end
    section.entries = out


def _array_of(schema: Schema, section: Section, slot: Entry) -> str | None:
    header = next(
        (e for e in reversed(section.entries[: section.entries.index(slot)]) if e.kind == "header"),
        None,
    )
    if header is not None:
        if header.scope and header.scope[-1] == ITEMS:
            return ".".join(header.scope[:-1])
        if header.block is not None and header.block.fields:
            name = header.block.fields[0]
            if schema.fields[name].type == "array":
                header.block = None
                return name
        for name in header.defaults:
            path = schema.fields[name].path
            return ".".join(path[: path.index(ITEMS)])
    return None


def resolve_unit(schema: Schema, section: Section, slot: Entry, resolve: LineResolver) -> None:
    """Give every blank of the slot's unit its field, relative to one item of the slot's array."""
    array = _array_of(schema, section, slot)
    slot.array = array
    if array is None:
        for entry in slot.unit:
            if entry.kind == "value":
                entry.targets = resolve(entry, slot.scope)
        return
    spec = schema.fields[array]
    if not spec.is_container:  # a list of text: each repetition is one item
        for entry in slot.unit:
            entry.scope = spec.path
            entry.targets = [Target((array + ITEMS,), label=spec.title) for _ in entry.tline.blanks]
        return
    scope = (*spec.path, ITEMS)
    for entry in slot.unit:
        entry.scope = scope
        if entry.kind == "value":
            entry.targets = resolve(entry, scope)
    taken = {name for entry in slot.unit for target in entry.targets for name in target.fields}
    free = [f for f in schema.children(scope) if f.name not in taken and not f.choices]
    for entry in slot.unit:
        for index, target in enumerate(entry.targets):
            if not target.resolved and free:
                entry.targets[index] = Target((free.pop(0).name,), label=target.label)


def _literal(text: str) -> str:
    out = ""
    for chunk in re.split(r"(\s+)", text):
        if chunk.isspace():
            out += r"\s*"
        elif chunk:
            out += re.escape(chunk)
    return out


def line_pattern(schema: Schema, entry: Entry) -> re.Pattern[str]:
    """A forgiving pattern for a filled-in copy of a value line: one group per blank.

    Spacing and case may differ; the unit written after a blank (``GB``, ``%``)
    and a ``$`` before it may be left out; so may whatever follows the last blank.
    """
    units: list[str] = []
    for target in entry.targets:
        spec = schema.fields.get(target.fields[0]) if target.fields else None
        units.append((spec.unit or "") if spec is not None else "")
    tokens = list(entry.tline.tokens)
    blanks = sum(isinstance(t, Blank) for t in tokens)
    parts, seen = [r"^\s*"], 0
    for position, token in enumerate(tokens):
        if isinstance(token, Box):
            group = "?P<mark>" if position == 0 else "?:"
            parts.append(rf"\[\s?({group}[^\]\s]?)\s?\]")
        elif isinstance(token, Blank):
            if token.placeholder and position == 0:
                parts.append(rf"\[\s*(?P<b{seen}>[^\]]*?)\s*\]")
            else:
                parts.append(rf"\s*(?P<b{seen}>.*?)")
            seen += 1
        else:
            parts.append(_lit_pattern(token, position, units[seen - 1] if seen else "", seen == blanks and seen > 0))
    parts.append(r"\s*$")
    return re.compile("".join(parts), re.IGNORECASE)


def _lit_pattern(token: Lit, position: int, unit: str, trailing: bool) -> str:
    text = token.text
    out = ""
    if position == 0:
        number = NUMBERED.match(text)
        if number:
            text = text[number.end() :]
            out += r"\d+[.)]\s*"
        stripped = text.lstrip()
        if stripped.startswith("- "):
            text = stripped[2:]
            out += r"(?:[-*\u2022]\s*)?"
    body = text.strip()
    if unit and norm(body).startswith(norm(unit)):
        out += rf"\s*(?:{re.escape(unit)})?"
        body = body[len(unit) :]
    dollar = body.endswith("$")
    if dollar:
        body = body[:-1]
    out += r"\s*" + _literal(body) + r"\s*" + (r"\$?" if dollar else "")
    return f"(?:{out})?" if trailing else out
