"""An incident printed as the filled-in paper form, and the ``[failurelog]`` lines it needs.

The form, line for line (:func:`render_form`):

Every line of the seed template is printed in order: values replace the
underscores of their blanks, chosen boxes get ``[X]``, blocks hold the body
sections (a log section's ``text`` fence is left off, as on paper), and a
blank stays underscores. A slot prints as many repetitions as the paper had,
or more when the incident has more items.

The form has no box for an incident's status, for the status of a preventive
action, or for a remark on a text field. So that exporting and importing
again gives the same incident, export writes what the form cannot show as
lines under ADDITIONAL NOTES, one value each, in inline YAML (:func:`diff`,
:func:`lines`)::

    [failurelog] status: investigating
    [failurelog] prevention.immediate_actions[0].status: In Progress
    [failurelog] remarks.system.os: "upgraded from 9.2 the day before"

Import takes these lines out of the notes and applies them last
(:mod:`to_incident`). A value of ``null`` removes a value the form itself
would have given.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from failurelog.core import yamlio
from failurelog.core.roles import action_lists
from failurelog.core.schema import ITEMS, Field, Schema
from failurelog.seedform.layout import Entry, Layout, OptionLine, Target
from failurelog.seedform.reader import NOTES_SECTION, TAG, InstancePath, format_path
from failurelog.seedform.template import NUMBERED, Blank, Box, Lit, TLine, clean_value
from failurelog.seedform.values import format_value, join_items, parse_text, split_items

_FENCED = re.compile(r"^```text\n(.*)\n```$", re.DOTALL)
#: A unit written as a symbol in front of the blank (``Financial Loss: $____``).
SYMBOLS = {"USD": "$"}


class _Renderer:
    def __init__(self, layout: Layout, meta: dict[str, Any], sections: dict[str, str], extra: list[str]) -> None:
        self.schema: Schema = layout.schema
        self.layout = layout
        self.meta = meta
        self.sections = dict(sections)
        self.remarks: dict[str, str] = dict(meta.get("remarks") or {})
        if extra:
            notes = self.sections.get(NOTES_SECTION, "")
            self.sections[NOTES_SECTION] = "\n".join([notes, "", *extra] if notes else extra)
        self.out: list[str] = []

    # -- values -------------------------------------------------------------
    def value(self, name: str, item: Any = None) -> Any:
        if name.endswith(ITEMS):
            return item
        path = self.schema.fields[name].path
        node: Any = item if ITEMS in path else self.meta
        for part in path[path.index(ITEMS) + 1 :] if ITEMS in path else path:
            node = node.get(part) if isinstance(node, dict) else None
        return node

    def text_for(self, spec: Field, value: Any, *, show_unit: bool, in_item: bool, last: bool = True) -> str | None:
        remark = None if in_item or not last else self.remarks.get(spec.name)
        if value is None:
            if remark and parse_text(self.schema, spec, remark).remark == remark:
                return remark
            return None
        if isinstance(value, list) and any(isinstance(v, dict) for v in value):
            return None  # a list of records has no one-line form: it travels as a [failurelog] line
        text = format_value(spec, value, remark, show_unit=show_unit)
        if remark:
            back = parse_text(self.schema, spec, text)
            if back.value != value or back.remark != remark:
                text = format_value(spec, value, None, show_unit=show_unit)
        return text

    def target_lines(
        self,
        target: Target,
        item: Any,
        *,
        show_unit: bool = True,
        in_item: bool = False,
        multiline: bool = True,
        last: bool = True,
    ) -> list[str]:
        """The lines of text a blank (and the lines after it) holds; [] when blank."""
        if target.section:
            return _section_lines(self.sections.get(target.section, ""))
        texts: list[str] = []
        for name in target.fields:
            spec = self.schema.fields.get(name[: -len(ITEMS)] if name.endswith(ITEMS) else name)
            if spec is None:
                continue
            value = self.value(name, item)
            if name.endswith(ITEMS):
                texts.append("" if value is None else str(value))
            elif isinstance(value, list) and not spec.is_container and value and not isinstance(value[0], (int, float)):
                texts.append("\n".join(_list_lines(value)) if multiline else join_items(value))
            else:
                texts.append(self.text_for(spec, value, show_unit=show_unit, in_item=in_item, last=last) or "")
        if not any(texts):
            return []
        joined = (f"{target.sep} " if target.sep == "," else target.sep or " ").join(t for t in texts if t)
        return joined.splitlines() or [""]

    # -- lines ----------------------------------------------------------------
    def line(self, tline: TLine, fills: list[str | None], boxes: list[bool] | None = None, number: int = 0) -> str:
        out, blank, box = "", 0, 0
        for position, token in enumerate(tline.tokens):
            if isinstance(token, Lit):
                text = token.text
                if position == 0 and number:
                    text = NUMBERED.sub(lambda m: f"{m.group(1)}{number}{m.group(3)}{m.group(4)}", text, count=1)
                out += text
            elif isinstance(token, Box):
                out += "[X]" if boxes and box < len(boxes) and boxes[box] else "[ ]"
                box += 1
            else:
                fill = fills[blank] if blank < len(fills) else None
                if fill is not None and position == 0 and token.placeholder.startswith("["):
                    fill = f"[{fill}]"  # [HH:MM:SS] at the start of a line keeps its brackets
                out += token.text if fill is None else fill
                blank += 1
        return out.rstrip() if any(f is not None for f in fills) else out

    def show_unit(self, tline: TLine, index: int, target: Target) -> bool:
        spec = self.schema.fields.get(target.fields[0]) if target.fields else None
        if spec is None or not spec.unit:
            return True
        texts = _around(tline, index)
        unit = spec.unit.lower()
        symbol = SYMBOLS.get(spec.unit, "\0")
        return not (
            unit in texts[1].lower()[: len(unit) + 2]
            or texts[0].rstrip().endswith(symbol)
            or unit in target.label.lower()
        )

    def value_entry(self, entry: Entry, item: Any = None, number: int = 0) -> None:
        fills, rest = self.fills(entry, item, remarks=True)
        mark = [self.done(entry, item)] if entry.marker else None
        line = self.line(entry.tline, fills, mark, number)
        if item is None and not self.reads_back(entry, line):
            fills, rest = self.fills(entry, item, remarks=False)  # the remark goes as a [failurelog] line instead
            line = self.line(entry.tline, fills, mark, number)
        self.out.append(line)
        first = entry.attached[0].text if entry.attached else "    x"  # wrapped lines are indented
        indent = first[: len(first) - len(first.lstrip())]
        self.fill_block(entry.attached, [indent + r if r else r for r in rest])

    def fills(self, entry: Entry, item: Any, *, remarks: bool) -> tuple[list[str | None], list[str]]:
        """What each blank of a value line holds, and the lines that continue the last one."""
        fills: list[str | None] = []
        rest: list[str] = []
        for index, target in enumerate(entry.targets):
            unit = self.show_unit(entry.tline, index, target)
            lines = self.target_lines(
                target, item, show_unit=unit, in_item=item is not None, multiline=bool(entry.attached), last=remarks
            )
            fills.append(lines[0] if lines else None)
            if index == len(entry.targets) - 1:
                rest = lines[1:]
        return fills, rest

    def reads_back(self, entry: Entry, line: str) -> bool:
        """True when every remark written in brackets on ``line`` would be read back as written."""
        wanted = [
            (i, t.fields[0]) for i, t in enumerate(entry.targets) if len(t.fields) == 1 and t.fields[0] in self.remarks
        ]
        if not wanted:
            return True
        match = entry.pattern.match(line) if entry.pattern is not None else None
        if match is None:
            return False
        for index, name in wanted:
            spec = self.schema.fields[name]
            got = parse_text(self.schema, spec, clean_value(match.group(f"b{index}") or ""))
            if (got.value, got.remark) != (self.value(name), self.remarks[name]):
                return False
        return True

    def done(self, entry: Entry, item: Any) -> bool:
        actions = next((a for a in action_lists(self.schema) if (*a.field.path, ITEMS) == entry.scope), None)
        return bool(actions and isinstance(item, dict) and item.get(actions.status) in actions.done)

    def fill_block(self, attached: list[TLine], content: list[str]) -> None:
        self.out.extend(content)
        self.out.extend(t.text for t in attached[len(content) :])

    def options(self, option_line: OptionLine, name: str, item: Any = None) -> None:
        value = self.value(name, item)
        chosen = value if isinstance(value, list) else [value]
        fills = []
        for target in option_line.targets:
            lines = self.target_lines(target, item)
            fills.append(" ".join(lines) if lines else None)
        boxes = [option in chosen for option in option_line.options]
        self.out.append(self.line(option_line.tline, fills, boxes))

    def header(self, entry: Entry) -> None:
        self.out.append(entry.tline.text)
        if entry.choice:
            for option_line in entry.options:
                self.options(option_line, entry.choice)
        elif entry.block is not None:
            content = self.target_lines(entry.block, None)
            if entry.prefilled and not content:
                content = [t.text for t in entry.attached]
            self.fill_block([] if entry.prefilled else entry.attached, content)

    def slot(self, slot: Entry) -> None:
        items = slot_items(self.layout, self.meta, slot)
        objects = slot.array is not None and self.schema.fields[slot.array].is_container
        for rep in range(max(slot.count, len(items))):
            item = items[rep] if rep < len(items) else ({} if objects else None)
            for entry in slot.unit:
                if entry.kind == "value":
                    self.value_entry(entry, item, rep + 1)
                elif entry.kind == "choice":
                    self.options(entry.options[0], entry.choice or "", item)
                else:
                    self.out.append(entry.tline.text)

    def render(self) -> str:
        for section in self.layout.sections:
            for entry in section.entries:
                if entry.kind == "slot":
                    self.slot(entry)
                elif entry.kind == "header":
                    self.header(entry)
                elif entry.kind == "value":
                    self.value_entry(entry)
                elif entry.kind == "choice":
                    self.options(entry.options[0], entry.choice or "")
                else:
                    self.out.append(entry.tline.text)
        return "\n".join(self.out) + "\n"


def slot_items(layout: Layout, meta: dict[str, Any], slot: Entry) -> list[Any]:
    """The items of the slot's array that the slot prints (items fitting no slot go to the first)."""
    node: Any = meta
    for part in layout.schema.fields[slot.array].path if slot.array else ():
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, list):
        return []
    slots = _slots_of(layout, slot.array or "")
    mine = [i for i in node if _belongs(i, slot)]
    if slots and slot is slots[0]:
        mine += [i for i in node if not any(_belongs(i, s) for s in slots)]
    return mine


def form_order(layout: Layout, meta: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``meta`` with arrays spread over several slots in the order the form prints them."""
    out = copy.deepcopy(meta)
    for array in {e.array for s in layout.sections for e in s.entries if e.kind == "slot" and e.array}:
        slots = _slots_of(layout, array)
        if len(slots) < 2:
            continue
        node: Any = out
        path = layout.schema.fields[array].path
        for part in path[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get(path[-1]), list):
            node[path[-1]] = [item for slot in slots for item in slot_items(layout, meta, slot)]
    return out


def _slots_of(layout: Layout, array: str) -> list[Entry]:
    """The slots whose repetitions are items of ``array`` (HIGH, MEDIUM and LOW PRIORITY for action items)."""
    return [e for s in layout.sections for e in s.entries if e.kind == "slot" and e.array == array]


def _belongs(item: Any, slot: Entry) -> bool:
    return not slot.defaults or all(
        isinstance(item, dict) and item.get(name.rsplit("].", 1)[-1]) == value for name, value in slot.defaults.items()
    )


def _around(tline: TLine, index: int) -> tuple[str, str]:
    """The literal text just before and just after the ``index``-th blank."""
    before = after = ""
    seen = -1
    for token in tline.tokens:
        if isinstance(token, Blank):
            seen += 1
            continue
        text = token.text if isinstance(token, Lit) else "[ ]"
        if seen == index - 1:
            before += text
        elif seen == index:
            after += text
    return before, after


def _list_lines(items: list[Any]) -> list[str]:
    out = []
    for item in items:
        text = str(item)
        out.append(text + ";" if len(split_items(text)) != 1 or split_items(text)[0] != text.strip() else text)
    return out if len(out) > 1 else [join_items(items)]


def _section_lines(text: str) -> list[str]:
    text = text.strip("\n")
    if not text.strip():
        return []
    fenced = _FENCED.match(text)
    return (fenced.group(1) if fenced else text).splitlines()


def render_form(layout: Layout, meta: dict[str, Any], sections: dict[str, str], extra: list[str] | None = None) -> str:
    """The filled-in form for an incident's front matter and body sections."""
    return _Renderer(layout, meta, sections, extra or []).render()


def diff(schema: Schema, want: Any, got: Any, path: InstancePath = ()) -> list[tuple[InstancePath, Any]]:
    """What to set in ``got`` to make it ``want`` (``None`` to remove); check-box lists compare as sets."""
    if isinstance(want, dict) and isinstance(got, dict):
        out: list[tuple[InstancePath, Any]] = []
        for key, value in want.items():
            out.extend(diff(schema, value, got[key], (*path, key)) if key in got else [((*path, key), value)])
        out.extend(((*path, key), None) for key in got if key not in want)
        return out
    spec = schema.field_at(path) if path and path[0] != "remarks" else None
    if isinstance(want, list) and isinstance(got, list):
        if spec is not None and spec.multiple and sorted(map(str, want)) == sorted(map(str, got)):
            return []
        if len(want) == len(got) and (spec is None or spec.is_container):
            return [d for i, (a, b) in enumerate(zip(want, got, strict=True)) for d in diff(schema, a, b, (*path, i))]
    same = (
        want == got
        and isinstance(want, bool) == isinstance(got, bool)
        and isinstance(want, str) == isinstance(got, str)
    )
    return [] if same else [(path, want)]


def lines(changes: list[tuple[InstancePath, Any]]) -> list[str]:
    """``[failurelog] path: value`` lines for :func:`diff`'s changes."""
    return [f"{TAG} {format_path(path)}: {yamlio.dump_value(value)}" for path, value in changes]
