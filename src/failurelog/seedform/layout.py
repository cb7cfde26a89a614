"""The seed form's layout resolved against the schema: which blank and box fills which field.

Labels name fields (:func:`template.find`) within the scope of the form section
(``SYSTEM METRICS AT TIME OF FAILURE`` is ``metrics``) and of the last heading
(``Memory Utilization:`` is ``metrics.memory``); blocks of lines under a
heading go to the body section of that group with that label; check boxes are
the ``choices`` of a field. Nothing lists field names here.

Small rules for lines that hold several blanks, each documented where it is
applied: extra blanks after a label take the other fields sharing that label
(``Used: __ GB / __ GB (__%)``); ``Version: Old:`` means the field titled
``Version: Old``; a blank left over at the end of a line takes the remaining
fields of its label, split at `` to `` (``Deployment Window``); a blank whose
label is an object fills the children its placeholder names (``[Name, Role]``).

Repeated lines (five ``[HH:MM:SS] ____`` lines, three numbered contributing
factors, three action items under HIGH PRIORITY) are one *slot*: its first
repetition is the unit, and each repetition in a filled-in form is one item of
an array field; export prints as many as the paper had, or more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from failurelog.core.schema import ITEMS, Field, Schema
from failurelog.seedform.template import (
    Box,
    Lit,
    Scope,
    TLine,
    best_run,
    children_of,
    find,
    form_sections,
    labels_in,
    line_pattern,
    literal_before_blanks,
    norm,
    same_label,
    section_for,
)


@dataclass(frozen=True)
class Target:
    """What a blank fills: one field, several (split at ``sep``), an array item, or a body section."""

    fields: tuple[str, ...] = ()
    sep: str = ""
    section: str = ""
    label: str = ""

    @property
    def resolved(self) -> bool:
        """True when the blank has a home."""
        return bool(self.fields or self.section)


def resolve_blanks(schema: Schema, tline: TLine, scope: Scope, floor: Scope) -> list[Target]:
    """Fields for each blank of a labelled line (see the module docstring for the rules)."""
    before = literal_before_blanks(tline)
    heads = labels_in(before[0]) if before else []
    head = heads[0] if heads else ""
    line_scope = scope
    taken: set[str] = set()
    chosen: list[Field | None] = []
    for text in before:
        own = labels_in(text)
        found = None
        if own:
            label = own[-1]
            prefix = own[-2] if len(own) > 1 else (head if head != label else "")
            for candidate in ([f"{prefix}: {label}"] if prefix else []) + [label]:
                found = find(schema, line_scope, floor, candidate)
                if found is not None and found.name not in taken and norm(found.title) == norm(candidate):
                    break
                found = None
        if found is None:
            group = [f for f in same_label(schema, line_scope, floor, own[-1] if own else head) if f.name not in taken]
            found = group[0] if group else None
        if found is not None and found.type == "object":
            line_scope = found.path
        chosen.append(found)
        taken.update([found.name] if found is not None else [])
    targets: list[Target] = []
    for index, found in enumerate(chosen):
        label = (labels_in(before[index]) or [head])[-1]
        if found is None:
            targets.append(Target(label=label))
        elif found.type == "object":  # ANALYZED BY: [Name, Role] -> name and role
            blank = tline.blanks[index]
            kids = [c for c in schema.children(found.path) if c.name not in taken and not c.is_container]
            named = [c for c in kids if norm(c.title) in norm(blank.placeholder)]
            use = named or kids[:1]
            taken.update(c.name for c in use)
            targets.append(Target(tuple(c.name for c in use), ",", label=label))
        else:
            targets.append(Target((found.name,), label=label))
    if targets and targets[-1].fields and len(targets[-1].fields) == 1:
        last = schema.fields[targets[-1].fields[0]]
        rest = [
            f
            for f in same_label(schema, last.path[:-1], floor, last.seed_label)
            if f.name not in taken and f.path[:-1] == last.path[:-1]
        ]
        if rest and norm(last.seed_label) == norm(targets[-1].label):  # one blank, two fields: split at " to "
            targets[-1] = Target((last.name, *(f.name for f in rest)), " to ", label=targets[-1].label)
    return targets


@dataclass
class OptionLine:
    """A template line of check boxes: the choice of each box, and blanks beside them (``Other: __``)."""

    tline: TLine
    options: list[str]
    targets: list[Target]


@dataclass
class Entry:
    """One anchored line of the form (with the lines that belong to it), or a fixed line."""

    tline: TLine
    kind: str  # fixed | heading | header | value | choice | slot
    group: int = 0
    label: str | None = None
    anchor: str = "none"  # label | numbered | placeholder | none
    scope: Scope = ()
    targets: list[Target] = field(default_factory=list)
    choice: str | None = None
    options: list[OptionLine] = field(default_factory=list)
    block: Target | None = None
    attached: list[TLine] = field(default_factory=list)
    prefilled: bool = False
    marker: bool = False
    defaults: dict[str, str] = field(default_factory=dict)
    unit: list[Entry] = field(default_factory=list)
    count: int = 0
    array: str | None = None
    pattern: re.Pattern[str] | None = None


@dataclass
class Section:
    """A ``====`` headed part of the form and the schema object it describes (``()`` for none)."""

    heading: str
    scope: Scope
    entries: list[Entry] = field(default_factory=list)


def collapse(section: Section) -> None:
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
        run = best_run([([e.tline.text, *(t.text for t in e.attached)], e.kind == "value") for e in members])
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
    header = next((e for e in reversed(section.entries[: section.entries.index(slot)]) if e.kind == "header"), None)
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


def resolve_unit(schema: Schema, section: Section, slot: Entry) -> None:
    """Give every blank of the slot's unit its field, relative to one item of the slot's array."""
    array = slot.array = _array_of(schema, section, slot)
    spec = schema.fields[array] if array is not None else None
    if spec is not None and not spec.is_container:  # a list of text: each repetition is one item
        for entry in slot.unit:
            entry.scope = spec.path
            entry.targets = [Target((spec.name + ITEMS,), label=spec.title) for _ in entry.tline.blanks]
        return
    scope = (*spec.path, ITEMS) if spec is not None else slot.scope
    for entry in slot.unit:
        entry.scope = scope if spec is not None else entry.scope
        if entry.kind == "value":
            entry.targets = resolve_blanks(schema, entry.tline, scope, section.scope)
    if spec is None:
        return
    taken = {name for entry in slot.unit for target in entry.targets for name in target.fields}
    free = [f for f in schema.children(scope) if f.name not in taken and not f.choices]
    for entry in slot.unit:
        for index, target in enumerate(entry.targets):
            if not target.resolved and free:
                entry.targets[index] = Target((free.pop(0).name,), label=target.label)


@dataclass
class Layout:
    """The resolved form: sections in order, and the template labels the schema has no field for."""

    sections: list[Section]
    schema: Schema
    unresolved: list[tuple[int, str]] = field(default_factory=list)

    def placed(self) -> set[str]:
        """Every field some blank, box or heading of the form fills."""
        names: set[str] = set()
        for entry in (unit for s in self.sections for e in s.entries for unit in [e, *e.unit]):
            for target in entry.targets + [t for o in entry.options for t in o.targets]:
                names.update(n.removesuffix(ITEMS) for n in target.fields)  # x[]: the items of list x
            names.update(entry.block.fields if entry.block else ())
            names.update([entry.choice] if entry.choice else [])
            names.update(entry.defaults)
        return names


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
        twins = (c.name for c in schema.children(found.path) if c.choices and norm(c.title) == norm(found.title))
        entry.choice = next(twins, None)  # CRASH DUMP AVAILABLE: the object, and its check boxes
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
    names = [re.split(r"\s+-\s+|:", m.group(1))[0].strip() for m in re.finditer(r"\[ \]\s*([^\[]*)", tline.text)]
    options = [next((c for c in choice.choices or [] if norm(c) == norm(name)), "") for name in names]
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
    return _attach_underscores(lines, index, entry)


def _attach_underscores(lines: list[TLine], index: int, entry: Entry) -> int:
    while index < len(lines) and lines[index].is_underscores:
        entry.attached.append(lines[index])
        index += 1
    return index


def _attach_block(schema: Schema, section: Section, lines: list[TLine], index: int, entry: Entry) -> int:
    if index < len(lines) and lines[index].is_underscores:
        return _attach_underscores(lines, index, entry)
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


def build(schema: Schema, lines: list[TLine] | None = None) -> Layout:
    """Resolve the template (default: the shipped seed form) against ``schema``."""
    layout = Layout([], schema)
    for heading, part in form_sections(lines):
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
        collapse(section)
        for entry in section.entries:
            _finish(schema, section, entry, layout)
        layout.sections.append(section)
    return layout


def _finish(schema: Schema, section: Section, entry: Entry, layout: Layout) -> None:
    """Resolve the blanks of a value line (inside a slot, relative to the array item)."""
    if entry.kind == "slot":
        resolve_unit(schema, section, entry)
    elif entry.kind == "value" and not entry.targets:
        entry.targets = resolve_blanks(schema, entry.tline, entry.scope, section.scope)
    for unit in entry.unit if entry.kind == "slot" else [entry]:
        for target in unit.targets + [t for o in unit.options for t in o.targets]:
            if not target.resolved:
                layout.unresolved.append((unit.tline.number, target.label))
        if unit.kind == "value":
            fields = [schema.fields.get(t.fields[0]) if t.fields else None for t in unit.targets]
            unit.pattern = line_pattern(unit.tline, [(f.unit or "") if f is not None else "" for f in fields])


@lru_cache(maxsize=4)
def cached(schema: Schema) -> Layout:
    """The layout for ``schema`` (built once per loaded schema)."""
    return build(schema)
