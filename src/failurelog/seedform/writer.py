"""What the form side writes: an incident printed as the filled-in paper form, and an imported incident's file.

The form, line for line (:func:`render_form`):

Every line of the seed template is printed in order: values replace the
underscores of their blanks, chosen boxes get ``[X]``, blocks hold the body
sections (a log section's ``text`` fence is left off, as on paper), and a
blank stays underscores. A slot prints as many repetitions as the paper had,
or more when the incident has more items.

The incident file (:func:`incident_text`): block-style front matter and the
body sections in the schema's order; :func:`read_sections` reads the sections
back from a body, for printing an incident as the form.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from failurelog.core import yamlio
from failurelog.core.body import parse_body
from failurelog.core.errors import FailurelogError
from failurelog.core.schema import ITEMS, Field, Schema
from failurelog.seedform.draft import NOTES_SECTION
from failurelog.seedform.labels import Entry, OptionLine, Target
from failurelog.seedform.layout import Layout
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
        status = [f for f in self.schema.children(entry.scope) if f.key == "status" and f.choices]
        return bool(status and isinstance(item, dict) and item.get("status") == (status[0].choices or [""])[-1])

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
    slots = layout.slots_of(slot.array or "")
    mine = [i for i in node if _belongs(i, slot)]
    if slots and slot is slots[0]:
        mine += [i for i in node if not any(_belongs(i, s) for s in slots)]
    return mine


def form_order(layout: Layout, meta: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``meta`` with arrays spread over several slots in the order the form prints them."""
    import copy

    out = copy.deepcopy(meta)
    for array in {e.array for s in layout.sections for e in s.entries if e.kind == "slot" and e.array}:
        slots = layout.slots_of(array)
        if len(slots) < 2:
            continue
        node: Any = out
        path = layout.schema.fields[array].path
        for part in path[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get(path[-1]), list):
            node[path[-1]] = [item for slot in slots for item in slot_items(layout, meta, slot)]
    return out


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


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


class _BlockDumper(yamlio.SafeValueDumper):
    """Block-style YAML; multi-line text as ``|`` blocks; lists of numbers inline; list items indented."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent ``- item`` under its key, as the example incidents do."""
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_str(value)


def _sequence(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    numbers = bool(value) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=numbers)


_BlockDumper.add_representer(str, _text)
_BlockDumper.add_representer(list, _sequence)


def ordered(schema: Schema, value: Any, path: tuple[str, ...] = ()) -> Any:
    """``value`` with mapping keys in the schema's order (the seed form's order)."""
    if isinstance(value, list):
        return [ordered(schema, item, (*path, ITEMS)) for item in value]
    if not isinstance(value, dict):
        return value
    if path == ("remarks",):
        names = list(schema.fields)
        return dict(sorted(value.items(), key=lambda kv: names.index(kv[0]) if kv[0] in names else len(names)))
    keys = [f.key for f in schema.children(path)]
    order = sorted(value, key=lambda k: keys.index(k) if k in keys else len(keys))
    return {key: ordered(schema, value[key], (*path, key)) for key in order}


def front_matter(schema: Schema, meta: dict[str, Any]) -> str:
    """The YAML between the ``---`` lines; checked to read back equal with the strict loader."""
    data = ordered(schema, meta)
    text: str = yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    parsed = yamlio.parse(text)
    if parsed.problems or parsed.data != data:
        raise FailurelogError("internal error: the front matter would not read back as written")
    return text


def section_comment(schema: Schema, key: str) -> str:
    """The guidance comment an empty section gets, as `failurelog new` writes it."""
    spec = next(s for s in schema.sections if s.key == key)
    when = f" Required once status is '{spec.required_from}'." if spec.required_from else ""
    return f"<!-- {spec.description}{when} -->"


def incident_text(schema: Schema, meta: dict[str, Any], sections: dict[str, str]) -> str:
    """A whole incident file: front matter, then every body section of the schema in order."""
    out = ["---\n", front_matter(schema, meta), "---\n"]
    for spec in schema.sections:
        content = sections.get(spec.key, "").strip("\n") or section_comment(schema, spec.key)
        out.append(f"\n## {spec.heading}\n\n{content}\n")
    return "".join(out)


def read_sections(schema: Schema, body: str) -> dict[str, str]:
    """Body sections by key, HTML comments (the scaffold's guidance) removed; empty ones left out."""
    out: dict[str, str] = {}
    by_heading = {s.heading: s.key for s in schema.sections}
    for section in parse_body(body).sections:
        key = by_heading.get(section.heading)
        text = _COMMENT.sub("", section.text).strip("\n")
        if key is not None and text.strip():
            out[key] = "\n".join(line.rstrip() for line in text.strip("\n").splitlines()).strip("\n")
    return out
