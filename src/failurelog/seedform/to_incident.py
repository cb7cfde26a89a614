"""Turn what was read from a form into front matter and body sections, keeping every scrap.

Each value goes to the field the layout gives its blank; repetitions of a
slot become items of an array. A value that does not fit its field is kept
under ``remarks`` (keyed by the field's dotted path, or by the array for a
field of an item) and a line the layout has no place for is kept under
Additional Notes; both are reported as warnings with the form's line number.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from failurelog.core import yamlio
from failurelog.core.primary import primary_from_system
from failurelog.core.roles import action_lists
from failurelog.core.schema import ITEMS, Field, Schema
from failurelog.seedform.layout import Layout, Target
from failurelog.seedform.reader import (
    NOTES_SECTION,
    TAG,
    Draft,
    Hit,
    InstancePath,
    Note,
    Reading,
    parse_path,
    section_text,
    take,
)
from failurelog.seedform.template import clean_value, norm, read_boxes
from failurelog.seedform.values import Parsed, parse_text


class _Builder:
    def __init__(self, layout: Layout) -> None:
        self.schema: Schema = layout.schema
        self.draft = Draft()
        self.remarks: dict[str, list[str]] = {}
        self.sections: dict[str, list[str]] = {}
        self.items: dict[tuple[int, int], int] = {}
        self.marked: list[Hit] = []

    # -- placing values ---------------------------------------------------
    def note(self, line: int, where: str, message: str) -> None:
        self.draft.notes.append(Note(line, where, message))

    def remark(self, name: str, text: str, line: int, item: int | None) -> None:
        key = name.split(ITEMS)[0]
        spec = self.schema.fields.get(name)
        if item is not None and ITEMS in name:
            title = spec.title if spec is not None else self.schema.fields[key].title
            text = f"item {item + 1}, {title}: {text}"
        self.remarks.setdefault(key, []).append(text)

    def item(self, hit: Hit, array: str) -> int:
        assert hit.slot is not None
        key = (id(hit.slot), hit.rep)
        if key not in self.items:
            node = self._container(self.schema.fields[array].path, create_list=True)
            spec = self.schema.fields[array]
            node.append({} if spec.is_container else None)
            self.items[key] = len(node) - 1
            for name, value in hit.slot.defaults.items():
                self.set(self._instance(name, self.items[key]), value, value, hit.line)
        return self.items[key]

    def _container(self, path: tuple[str, ...], create_list: bool = False) -> Any:
        node: Any = self.draft.meta
        for index, part in enumerate(path):
            last = index == len(path) - 1
            node = node.setdefault(part, [] if (last and create_list) else {})
        return node

    def _instance(self, name: str, item: int | None) -> InstancePath:
        if name.endswith(ITEMS):
            return (*self.schema.fields[name[: -len(ITEMS)]].path, item if item is not None else 0)
        return tuple(item if (p == ITEMS and item is not None) else p for p in self.schema.fields[name].path)

    def set(self, path: InstancePath, value: Any, text: str, line: int) -> bool:
        node: Any = self.draft.meta
        for part, following in pairwise(path):
            if isinstance(part, int):
                node = node[part]
            else:
                node = node.setdefault(part, [] if isinstance(following, int) else {})
        last = path[-1]
        if isinstance(last, int):
            if node[last] is not None:
                return bool(node[last] == value)
            node[last] = value
        else:
            if last in node:
                return bool(node[last] == value)
            node[last] = value
        self.draft.sources[path] = (text, line)
        return True

    def place(self, name: str, text: str, line: int, hit: Hit) -> None:
        """Read ``text`` as the value of field ``name`` (an item field when the hit is in a slot)."""
        array = name.split(ITEMS)[0] if ITEMS in name else None
        spec = self.schema.fields.get(array if name.endswith(ITEMS) and array else name)
        if spec is None:
            return
        parsed = Parsed(text.strip() or None) if name.endswith(ITEMS) else parse_text(self.schema, spec, text)
        in_item = array is not None and hit.slot is not None
        where = name.replace(ITEMS, f"[{hit.rep}]" if in_item else ITEMS)
        if parsed.warning:
            self.note(line, where, parsed.warning)
        if parsed.remark:
            self.remark(name, parsed.remark, line, hit.rep if in_item else None)
        if parsed.value is None:
            return
        item = self.item(hit, array) if in_item and array is not None else None
        if not self.set(self._instance(name, item), parsed.value, text, line):
            self.remark(name, text, line, hit.rep if in_item else None)
            self.note(line, where, f"{spec.title} is given twice; kept {text!r} as a remark")

    # -- hits -------------------------------------------------------------------
    def value_hit(self, hit: Hit) -> None:
        entry = hit.entry
        blanks = entry.tline.blanks
        if not hit.fitted:
            labels = ", ".join(t.label for t in entry.targets if t.label)
            self.note(hit.line, labels, f"could not tell the blanks of {entry.tline.text.strip()!r} apart")
        if entry.marker and hit.mark and hit.slot is not None:
            self.marked.append(hit)
        for index, target in enumerate(entry.targets):
            raw = hit.values[index] if index < len(hit.values) else ""
            lines = [(hit.line, clean_value(raw, blanks[index].placeholder))]
            if index == len(entry.targets) - 1:
                lines += [(n, t) for n, t in hit.extra]
            self.target(target, lines, hit, multiline=bool(entry.attached))

    def target(self, target: Target, lines: list[tuple[int, str]], hit: Hit, *, multiline: bool) -> None:
        if target.section:
            self.sections.setdefault(target.section, []).extend(t for _, t in lines)
            return
        texts = [clean_value(t) for _, t in lines]
        texts = [t for t in texts if t]
        if not texts:
            return
        line = lines[0][0]
        if not target.fields:
            self.stray(line, target.label, " ".join(texts))
            return
        text = "\n".join(texts) if multiline else " ".join(texts)
        if len(target.fields) == 1:
            self.place(target.fields[0], text, line, hit)
            return
        parts = [p.strip() for p in text.split(target.sep.strip() or target.sep, len(target.fields) - 1)]
        if target.sep.strip() == "to":
            parts = [p.strip() for p in _split_words(text, "to", len(target.fields))]
            if len(parts) > 1 and ":" in parts[1] and "-" not in parts[1][:10]:
                parts[1] = f"{parts[0].split()[0]} {parts[1]}"  # 02:00 to 03:00: the end takes the start's date
        for name, part in zip(target.fields, parts, strict=False):
            self.place(name, part, line, hit)

    def block_hit(self, hit: Hit) -> None:
        entry = hit.entry
        assert entry.block is not None
        lines = list(hit.extra)
        if entry.prefilled:
            template = [norm(t.text) for t in entry.attached if t.text.strip()]
            if [norm(t) for _, t in lines if t.strip()] == template:
                return
        self.target(entry.block, lines or [(hit.line, "")], hit, multiline=len(entry.attached) > 1)

    def choice_hit(self, hit: Hit) -> None:
        entry = hit.entry
        assert entry.choice is not None
        spec = self.schema.fields[entry.choice]
        options = [(c, line) for line in entry.options for c in line.options if c]
        chosen: list[tuple[str, int]] = []
        for number, text in hit.extra:
            for ticked, after, _col in read_boxes(text):
                self.box(hit, spec, options, number, ticked, after, chosen)
        if not chosen:
            return
        name = entry.choice
        if spec.multiple:
            values: list[str] = []
            for value, _line in chosen:
                values.append(value) if value not in values else None
            self.set(self._instance(name, self._item_of(hit, name)), values, ", ".join(values), chosen[0][1])
            return
        first, line = chosen[0]
        self.place(name, first, line, hit)
        for value, other in chosen[1:]:
            if value != first:
                self.remark(name, f"also ticked: {value}", other, self._item_of(hit, name))
                self.note(other, name, f"{spec.title} takes one box; {first!r} kept, {value!r} kept as a remark")

    def _item_of(self, hit: Hit, name: str) -> int | None:
        return self.item(hit, name.split(ITEMS)[0]) if ITEMS in name and hit.slot is not None else None

    def box(
        self, hit: Hit, spec: Field, options: list[Any], line: int, ticked: bool, after: str, chosen: list[Any]
    ) -> None:
        flat = " ".join(after.split())
        match = max(
            (o for o in options if flat.casefold().startswith(o[0].casefold())), key=lambda o: len(o[0]), default=None
        )
        if match is None:
            if ticked and flat:
                self.remark(spec.name, flat, line, self._item_of(hit, spec.name))
                self.note(line, spec.name, f"{flat!r} is not a box of {spec.title}; kept as a remark")
            return
        choice, option_line = match
        rest = clean_value(flat[len(choice) :].lstrip(" -:"))
        targets = option_line.targets
        if rest and targets and targets[0].fields:
            label = targets[0].label  # "Yes - Location: /var/crash": the text after the blank's own label
            if norm(label) != norm(choice) and rest.casefold().startswith(label.casefold() + ":"):
                rest = clean_value(rest[len(label) + 1 :])
        names_box = bool(targets) and norm(targets[0].label) == norm(choice)  # Other: ____ names its box
        if rest and not ticked and names_box:
            self.note(line, spec.name, f"{choice!r} is not ticked but has {rest!r} written beside it: taken as ticked")
            ticked = True
        if ticked:
            chosen.append((choice, line))
        if rest and targets and targets[0].fields:
            self.place(targets[0].fields[0], rest, line, hit)
        elif rest:
            self.remark(spec.name, f"{choice}: {rest}", line, self._item_of(hit, spec.name))
            self.note(line, spec.name, f"text beside {choice!r} kept as a remark")

    def stray(self, line: int, where: str, text: str) -> None:
        self.sections.setdefault(NOTES_SECTION, []).append(f"{text}  [form line {line}, {where}]")
        self.note(line, "body", f"{text!r} has no place on the form; kept under Additional Notes")


def _split_words(text: str, word: str, count: int) -> list[str]:
    return re.split(rf"\s+{word}\s+", text, maxsplit=count - 1, flags=re.IGNORECASE)


def _schema_facts(schema: Schema, draft: Draft) -> None:
    """What the form implies without a box: the schema version, and the System Specifications' primary asset."""
    draft.meta.update(primary_from_system(schema, draft.meta))
    if schema.version_field is not None:
        draft.meta[schema.version_field.key] = schema.version


def build(layout: Layout, reading: Reading) -> Draft:
    """Front matter, body sections and warnings from what was read."""
    builder = _Builder(layout)
    for hit in reading.hits:
        entry = hit.entry
        if entry.kind == "value":
            builder.value_hit(hit)
        elif entry.kind == "choice" or (entry.kind == "header" and entry.choice):
            builder.choice_hit(hit)
        elif entry.kind == "header" and entry.block is not None:
            builder.block_hit(hit)
        elif entry.kind == "header" and hit.extra:
            builder.stray(hit.line, entry.tline.text.strip(), " ".join(t for _, t in hit.extra))
    for stray in reading.strays:
        builder.stray(stray.line, stray.where, stray.text)
    draft = builder.draft
    notes_lines = builder.sections.get(NOTES_SECTION, [])
    kept, found = take(notes_lines)
    builder.sections[NOTES_SECTION] = kept
    for key, lines in builder.sections.items():
        text = section_text(layout.schema, key, lines)
        if text:
            draft.sections[key] = text
    _finish_items(builder, layout.schema)
    for key, texts in builder.remarks.items():
        draft.meta.setdefault("remarks", {})[key] = "; ".join(texts)
    _schema_facts(layout.schema, draft)
    draft.status_given = apply(layout.schema, draft.meta, found, draft.notes)
    _unplaced_defaults(builder, layout)
    return draft


def _finish_items(builder: _Builder, schema: Schema) -> None:
    """A ticked box before an action (``[X] Action:``) means done: its status, if not given, is its list's done one."""
    for hit in builder.marked:
        assert hit.slot is not None and hit.slot.array is not None
        index = builder.items.get((id(hit.slot), hit.rep))
        actions = next((a for a in action_lists(schema) if a.field.name == hit.slot.array and a.done), None)
        if index is None or actions is None:
            continue
        done, name = actions.done[0], f"{actions.field.name}{ITEMS}.{actions.status}"
        item = builder._container(actions.field.path, create_list=True)[index]
        if actions.status not in item and builder.set(builder._instance(name, index), done, "[X]", hit.line):
            builder.note(hit.line, name.replace(ITEMS, f"[{index}]"), f"ticked box taken as Status {done!r}")


def _unplaced_defaults(builder: _Builder, layout: Layout) -> None:
    """An item field the schema requires but the form has no box for gets its first choice, with a warning.

    (The form has no status for an immediate preventive action; the schema requires one.)
    """
    schema = layout.schema
    placed = layout.placed()
    for section in layout.sections:
        for slot in section.entries:
            if slot.kind != "slot" or slot.array is None or not schema.fields[slot.array].is_container:
                continue
            spec = schema.fields[slot.array]
            required = spec.schema.get("items", {}).get("required", [])
            missing = [f for f in schema.children((*spec.path, ITEMS)) if f.key in required and f.name not in placed]
            for (slot_id, rep), index in builder.items.items():
                if slot_id != id(slot):
                    continue
                item = builder._container(spec.path, create_list=True)[index]
                for field_spec in missing:
                    if not field_spec.choices or field_spec.key in item:
                        continue
                    item[field_spec.key] = field_spec.choices[0]
                    where = field_spec.name.replace(ITEMS, f"[{index}]")
                    message = (
                        f"the form has no box for {field_spec.title}: set to {field_spec.choices[0]!r} (item {rep + 1})"
                    )
                    builder.note(0, where, message)


def apply(schema: Schema, meta: dict[str, Any], found: list[tuple[str, str]], notes: list[Any]) -> str | None:
    """Apply ``[failurelog]`` lines to ``meta``; returns the status they give, if any."""
    status: str | None = None
    for path_text, value_text in found:
        path = parse_path(path_text, schema)
        parsed = yamlio.parse(value_text) if value_text.strip() else None
        if path is None or parsed is None or parsed.problems:
            notes.append(Note(0, path_text, f"cannot use the line '{TAG} {path_text}: {value_text}'"))
            continue
        if path == ("status",):
            status = parsed.data
            continue
        _put(meta, path, parsed.data)
    return status


def _put(meta: dict[str, Any], path: InstancePath, value: Any) -> None:
    node: Any = meta
    for part, following in pairwise(path):
        if isinstance(part, int):
            while len(node) <= part:
                node.append({})
            node = node[part]
        else:
            node = node.setdefault(part, [] if isinstance(following, int) else {})
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
        node[last] = value
    elif value is None:
        node.pop(last, None)
    else:
        node[last] = value
