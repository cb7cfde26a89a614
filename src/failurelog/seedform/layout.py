"""The seed form's layout resolved against the schema: which blank and box fills which field.

Labels are matched to fields by ``x-seed-label`` or ``title`` within the scope
of the form section (``SYSTEM METRICS AT TIME OF FAILURE`` is ``metrics``) and
of the last heading (``Memory Utilization:`` is ``metrics.memory``); blocks of
lines under a heading go to the body section of that group with that label;
check boxes are the ``choices`` of a field. Nothing lists field names here.

Small rules for lines that hold several blanks, each documented where it is
applied: extra blanks after a label take the other fields sharing that label
(``Used: __ GB / __ GB (__%)``); ``Version: Old:`` means the field titled
``Version: Old``; a blank left over at the end of a line takes the remaining
fields of its label, split at `` to `` (``Deployment Window``); a blank whose
label is an object fills the children its placeholder names (``[Name, Role]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from failurelog.core.schema import ITEMS, Field, Schema
from failurelog.seedform import slots
from failurelog.seedform.labels import (
    Entry,
    OptionLine,
    Scope,
    Section,
    Target,
    children_of,
    find,
    resolve_blanks,
    section_for,
)
from failurelog.seedform.template import Box, Lit, TLine, labels_in, norm, template_lines


@dataclass
class Layout:
    """The resolved form: sections in order, and the template labels the schema has no field for."""

    sections: list[Section]
    schema: Schema
    unresolved: list[tuple[int, str]] = field(default_factory=list)

    def placed(self) -> set[str]:
        """Every field some blank, box or heading of the form fills."""
        names: set[str] = set()
        for entry in self.entries():
            for target in entry.targets + [t for o in entry.options for t in o.targets]:
                names.update(n.removesuffix(ITEMS) for n in target.fields)  # x[]: the items of list x
            names.update(entry.block.fields if entry.block else ())
            names.update([entry.choice] if entry.choice else [])
        for section in self.sections:
            for entry in section.entries:
                names.update(entry.defaults)
        return names

    def slots_of(self, array: str) -> list[Entry]:
        """The slots whose repetitions are items of ``array`` (HIGH, MEDIUM and LOW PRIORITY for action items)."""
        return [e for s in self.sections for e in s.entries if e.kind == "slot" and e.array == array]

    def entries(self) -> list[Entry]:
        """Every entry, slot units included, in form order."""
        out: list[Entry] = []
        for section in self.sections:
            for entry in section.entries:
                out.extend(entry.unit if entry.kind == "slot" else [entry])
        return out


def _resolve_header(schema: Schema, section: Section, scope: Scope, entry: Entry) -> Scope:
    """Give a heading line its meaning; returns the scope for the lines under it."""
    label = entry.label or ""
    key = section_for(schema, label, section.heading)
    if key:
        entry.block = Target(section=key, label=label)
        return scope
    found = find(schema, scope, section.scope, label) or find(schema, section.scope, section.scope, label)
    if found is None:
        for candidate in children_of(schema, section.scope):
            for choice in candidate.choices or []:
                if norm(f"{choice} {candidate.title}") == label:  # HIGH PRIORITY: items with priority High
                    entry.defaults[candidate.name] = choice
                    return candidate.path[:-1]
        return section.scope
    if found.choices:
        entry.choice = found.name
        return found.path[:-1]
    if found.type == "object":
        twin = [c for c in schema.children(found.path) if c.choices and norm(c.title) == norm(found.title)]
        if twin:  # CRASH DUMP AVAILABLE: the object, and its check boxes
            entry.choice = twin[0].name
        return found.path
    if found.is_container:
        return (*found.path, ITEMS)
    entry.block = Target(fields=(found.name,), label=label)
    return found.path[:-1]


def _option_line(schema: Schema, tline: TLine, choice: Field, scope: Scope, floor: Scope) -> OptionLine:
    targets: list[Target] = []
    text = ""
    for token in tline.tokens:
        if isinstance(token, Box):
            text = ""
        elif isinstance(token, Lit):
            text += token.text
        else:  # Other: ____ beside a box, or Yes - Location: ____
            label = (labels_in(text) or [""])[-1].split(" - ")[-1].strip()
            found = find(schema, scope, floor, f"{choice.title}: {label}") or find(schema, scope, floor, label)
            targets.append(Target((found.name,), label=label) if found else Target(label=label))
            text = ""
    options = []
    for match in re.finditer(r"\[ \]\s*([^\[]*)", tline.text):
        name = re.split(r"\s+-\s+|:", match.group(1))[0].strip()
        options.append(next((c for c in choice.choices or [] if norm(c) == norm(name)), ""))
    return OptionLine(tline, options, targets)


@dataclass
class _State:
    scope: Scope
    group: int = 0


def _classify(schema: Schema, section: Section, lines: list[TLine], index: int, state: _State) -> int:
    """Turn the template line at ``index`` (and the lines belonging to it) into an entry; return the next index."""
    tline = lines[index]
    scope = state.scope
    entry = Entry(tline, "fixed", group=state.group)
    section.entries.append(entry)
    index += 1
    if tline.is_empty or tline.is_rule or (not tline.blanks and not tline.boxes and not tline.label_only):
        return index
    entry.label = tline.label
    if tline.label_only:
        state.group = entry.group = entry.group + 1
        entry.kind, entry.anchor = "header", "label"
        state.scope = entry.scope = _resolve_header(schema, section, scope, entry)
        if entry.choice:
            choice = schema.fields[entry.choice]
            while index < len(lines) and lines[index].leads_with_box:
                entry.options.append(_option_line(schema, lines[index], choice, entry.scope, section.scope))
                index += 1
        elif entry.block:
            index = _attach_block(schema, section, lines, index, entry)
        return index
    entry.scope = scope
    entry.anchor = "numbered" if tline.is_numbered else "placeholder" if tline.leads_with_placeholder else "label"
    label_field = find(schema, scope, section.scope, tline.label) if tline.label else None
    if tline.boxes and label_field is not None and label_field.choices and not tline.blanks:
        entry.kind, entry.choice = "choice", label_field.name
        entry.options.append(_option_line(schema, tline, label_field, scope, section.scope))
        return index
    entry.kind, entry.marker = "value", tline.leads_with_box
    key = section_for(schema, tline.label or "", section.heading) if len(tline.blanks) == 1 else ""
    if key:  # Registers State: ____ (and the lines under it) is a body section
        entry.targets = [Target(section=key, label=tline.label or "")]
    while index < len(lines) and lines[index].is_underscores:
        entry.attached.append(lines[index])
        index += 1
    return index


def _attach_block(schema: Schema, section: Section, lines: list[TLine], index: int, entry: Entry) -> int:
    if index < len(lines) and lines[index].is_underscores:
        while index < len(lines) and lines[index].is_underscores:
            entry.attached.append(lines[index])
            index += 1
        return index
    following = next((t for t in lines[index:] if not t.is_empty), None)
    if following is not None and following.blanks:
        return index  # CONTRIBUTING FACTORS: numbered lines follow, not a block
    end = index
    while end < len(lines) and not lines[end].is_rule:
        label = lines[end].label
        if label and (lines[end].blanks or find(schema, section.scope, section.scope, label)):
            break
        end += 1
    while end > index and lines[end - 1].is_empty:
        end -= 1
    entry.attached, entry.prefilled = lines[index:end], end > index
    return end


def _sections(lines: list[TLine]) -> list[tuple[str, list[TLine]]]:
    out: list[tuple[str, list[TLine]]] = [("", [])]
    for index, tline in enumerate(lines):
        between = 0 < index < len(lines) - 1 and lines[index - 1].is_rule and lines[index + 1].is_rule
        if between and not tline.is_rule and not tline.is_empty:
            out.append((tline.text.strip(), []))
        out[-1][1].append(tline)
    return out


def build(schema: Schema, lines: list[TLine] | None = None) -> Layout:
    """Resolve the template (default: the shipped seed form) against ``schema``."""
    layout = Layout([], schema)
    for heading, part in _sections(lines if lines is not None else template_lines()):
        top = [f for f in schema.children() if heading and norm(f.title) == norm(heading)]
        array = bool(top) and top[0].type == "array" and top[0].is_container
        scope: Scope = (top[0].path + ((ITEMS,) if array else ())) if top else ()
        section = Section(heading, scope)
        state = _State(scope)
        index = 0
        while index < len(part):
            before = len(section.entries)
            index = _classify(schema, section, part, index, state)
            new = section.entries[before]
            if new.tline.text.strip() == heading and heading:
                new.kind = "heading"
        slots.collapse(schema, section)
        for entry in section.entries:
            _finish(schema, section, entry, layout)
        layout.sections.append(section)
    return layout


def _finish(schema: Schema, section: Section, entry: Entry, layout: Layout) -> None:
    """Resolve the blanks of a value line (inside a slot, relative to the array item)."""
    if entry.kind == "slot":
        slots.resolve_unit(schema, section, entry, lambda e, s: resolve_blanks(schema, e.tline, s, section.scope))
        units = entry.unit
    else:
        if entry.kind == "value" and not entry.targets:
            entry.targets = resolve_blanks(schema, entry.tline, entry.scope, section.scope)
        units = [entry]
    for unit in units:
        for target in unit.targets + [t for o in unit.options for t in o.targets]:
            if not target.resolved:
                layout.unresolved.append((unit.tline.number, target.label))
        if unit.kind == "value":
            unit.pattern = slots.line_pattern(schema, unit)


@lru_cache(maxsize=4)
def cached(schema: Schema) -> Layout:
    """The layout for ``schema`` (built once per loaded schema)."""
    return build(schema)
