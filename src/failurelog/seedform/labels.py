"""Finding the field a label of the form names, within the scope of its section and heading.

A label matches a field by ``x-seed-label`` or ``title`` (case and spacing
ignored), nearest scope first, titles before seed labels, shallow before
deep. Lines with several blanks follow the rules in :func:`resolve_blanks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from failurelog.core.schema import ITEMS, Field, Schema
from failurelog.seedform.template import Box, Lit, TLine, labels_in, norm

Scope = tuple[str, ...]


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


def children_of(schema: Schema, scope: Scope) -> list[Field]:
    """Every field below ``scope``, at any depth."""
    return [f for f in schema.fields.values() if len(f.path) > len(scope) and f.path[: len(scope)] == scope]


def _chain(scope: Scope, floor: Scope) -> list[Scope]:
    """``scope`` and its parents down to ``floor`` (array levels stepped over)."""
    out = []
    here = scope
    while True:
        out.append(here)
        if len(here) <= len(floor):
            return out
        here = here[:-1]
        if here and here[-1] == ITEMS:
            here = here[:-1]


def find(schema: Schema, scope: Scope, floor: Scope, label: str) -> Field | None:
    """The field titled (or seed-labelled) ``label`` nearest to ``scope``: titles first, then shallowest."""
    wanted = norm(label)
    for level in _chain(scope, floor):
        found = [f for f in children_of(schema, level) if wanted in (norm(f.title), norm(f.seed_label))]
        if found:
            found.sort(key=lambda f: (norm(f.title) != wanted, len(f.path)))
            return found[0]
    return None


def same_label(schema: Schema, scope: Scope, floor: Scope, label: str) -> list[Field]:
    """Fields sharing the seed label ``label`` (``Used`` gives used, total and ``Used %``), in schema order."""
    wanted = norm(label)
    for level in _chain(scope, floor):
        found = [
            f
            for f in children_of(schema, level)
            if not f.is_container
            and (norm(f.seed_label) == wanted or norm(f.title) == wanted or norm(f.title).startswith(wanted + " "))
        ]
        if found:
            return found
    return []


def section_for(schema: Schema, heading: str, group: str) -> str:
    """The key of the body section labelled ``heading`` in the form section ``group`` ("" for none)."""
    for section in schema.sections:
        if norm(section.group) == norm(group) and norm(heading) == norm(section.seed_label):
            return section.key
    return ""


def _literal_before_blanks(tline: TLine) -> list[str]:
    out, text = [], ""
    for token in tline.tokens:
        if isinstance(token, Lit):
            text += token.text
        elif isinstance(token, Box):
            text = ""
        else:
            out.append(text)
            text = ""
    return out


def resolve_blanks(schema: Schema, tline: TLine, scope: Scope, floor: Scope) -> list[Target]:
    """Fields for each blank of a labelled line (see the module docstring for the rules)."""
    before = _literal_before_blanks(tline)
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
        if found is not None:
            taken.add(found.name)
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
