"""Give an imported incident its status, and make sure it validates.

The status is the stage the form reached: the last one for which it fills in
at least half of what the schema's lifecycle asks for first at that stage
(:func:`reached`); otherwise ``draft``. If the incident does not meet
what the schema asks at that stage, it steps down a stage at a time, and the
warning says what the higher stage lacks. A value that breaks a rule of its
own (a time before the one it must follow, a percentage that disagrees with
its figures, an item missing its owner) moves to ``remarks`` with a warning.
What still does not validate is refused: nothing is written.

The incident file (:func:`incident_text`): block-style front matter and the
body sections in the schema's order; :func:`read_sections` reads the sections
back from a body, for printing an incident as the form.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from failurelog.core import yamlio
from failurelog.core.body import parse_body
from failurelog.core.errors import FailurelogError
from failurelog.core.lifecycle import BODY, introduced, other_rules
from failurelog.core.loader import Document, parse_text
from failurelog.core.problems import Problem
from failurelog.core.schema import ITEMS, Schema
from failurelog.core.values import value_at
from failurelog.seedform.reader import Draft, Note, format_path
from failurelog.validate.checks import STAGE_REQUIRES
from failurelog.validate.run import check_document


def reached(schema: Schema, draft: Draft) -> str:
    """The last stage for which the form fills in at least half of the parts the stage asks for first.

    The parts come from the schema's lifecycle (:func:`failurelog.core.lifecycle.introduced`): each
    top-level field a stage is the first to require, and its newly required body sections together.
    A form that reached a stage but lacks some of what it requires is stepped down by :func:`settle`,
    which says what was lacking.
    """

    def filled(part: str, names: tuple[str, ...]) -> bool:
        if part == BODY:
            return any(draft.sections.get(key) for key in names)
        return any(value_at(draft.meta, name) not in (None, {}, [], "") for name in names)

    for status in reversed(schema.statuses[1:]):
        parts = introduced(schema.raw, status)
        if parts and 2 * sum(filled(part, names) for part, names in parts.items()) >= len(parts):
            return status
    return schema.statuses[0]


@dataclass
class Settled:
    """The incident as it will be written."""

    meta: dict[str, Any]
    sections: dict[str, str]
    text: str


def check(schema: Schema, path: Path, meta: dict[str, Any], sections: dict[str, str]) -> tuple[str, list[Problem]]:
    """The file's text and every single-file problem the validator finds in it."""
    text = incident_text(schema, meta, sections)
    doc = parse_text(Document(path=path, display=path.name), text)
    check_document(doc, schema)
    return text, doc.problems


def _instance(text: str) -> tuple[str | int, ...]:
    out: list[str | int] = []
    for piece in text.replace("]", "").split("."):
        name, *indexes = piece.split("[")
        out.append(name)
        out.extend(int(i) for i in indexes)
    return tuple(out)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_describe(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_describe(v) for v in value)
    return str(value)


def _move(schema: Schema, draft: Draft, path: tuple[str | int, ...], why: str) -> bool:
    """Take the value at ``path`` out of the front matter and keep its text in ``remarks``."""
    parent: Any = draft.meta
    for part in path[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return False
    last = path[-1]
    if not isinstance(parent, (dict, list)) or (isinstance(parent, dict) and last not in parent):
        return False
    value = parent.pop(last) if isinstance(parent, dict) else parent.pop(int(last))
    text, line = draft.sources.get(path, (_describe(value), 0))
    names = [p for p in path if isinstance(p, str)]
    index = next((p for p in path if isinstance(p, int)), None)
    first_index = next((i for i, p in enumerate(path) if isinstance(p, int)), len(path))
    key = ".".join(names[:first_index])
    spec = schema.field_at(path)
    if index is None:
        remark = text
    elif isinstance(last, int):  # a whole item of a list
        remark = f"item {index + 1}: {text}"
    else:
        remark = f"item {index + 1}, {spec.title if spec is not None else last}: {text}"
    remarks = draft.meta.setdefault("remarks", {})
    remarks[key] = f"{remarks[key]}; {remark}" if key in remarks else remark
    draft.notes.append(Note(line, format_path(path), f"{why}; kept {text!r} as a remark"))
    _prune(draft.meta)
    return True


def _prune(node: Any) -> Any:
    if isinstance(node, dict):
        for key in list(node):
            if _prune(node[key]) in ({}, []):
                del node[key]
    elif isinstance(node, list):
        node[:] = [item for item in node if _prune(item) not in ({}, [])]
    return node


def settle(schema: Schema, draft: Draft, path: Path) -> Settled:
    """Choose the status and repair what the validator rejects; raise when the form cannot be imported."""
    statuses = schema.statuses
    target = reached(schema, draft)
    status = draft.status_given if draft.status_given in statuses else target
    _prune(draft.meta)
    seen: set[str] = set()
    for _attempt in range(200):
        draft.meta["status"] = status
        text, problems = check(schema, path, draft.meta, draft.sections)
        if not problems:
            return Settled(draft.meta, draft.sections, text)
        stage = [p for p in problems if STAGE_REQUIRES in p.message]
        rank = statuses.index(status)
        if stage and rank > 0:
            lacking = sorted({p.field if p.field != "body" else p.message.split("'")[1] for p in stage})
            lower = statuses[rank - 1]
            draft.notes.append(
                Note(0, "status", f"the form reached {status!r} but lacks {', '.join(lacking)}: imported as {lower!r}")
            )
            status = lower
            continue
        moved = False
        for problem in problems:
            if problem.rule == "id" or not problem.field or problem.field in seen or problem.field == "body":
                continue
            where = _instance(problem.field)
            if problem.message.startswith("missing") and _untick_other(schema, draft, problem.field):
                moved = True
                break
            if problem.message.startswith("missing") and problem.rule == "schema":
                where = where[:-1]
            if len(where) < 1 or where == ("status",) or (len(where) == 1 and problem.message.startswith("missing")):
                continue
            seen.add(problem.field)
            if problem.rule == "chronology":
                where = _chronology_side(schema, draft, path, where, problem)
            why = f"refused by the {problem.rule} rule ({problem.field}: {problem.message})"
            moved = _move(schema, draft, where, why) or moved
            break
        if not moved:
            raise FailurelogError(_refusal(problems))
    raise FailurelogError("could not settle the incident (too many repairs)")


_EARLIER_THAN = re.compile(r" is earlier than ([a-z0-9_.]+) \(")


def _chronology_side(
    schema: Schema, draft: Draft, path: Path, later: tuple[str | int, ...], problem: Problem
) -> tuple[str | int, ...]:
    """Which of two times out of order to set aside: the one whose absence does not lower the status.

    The problem names the later field of the chain; the earlier one is in its message. A field the
    current stage requires (a first indication, say) stays, and the other time goes to the remarks,
    so that a rule the form kept is never the reason for a lower status.
    """
    match = _EARLIER_THAN.search(problem.message)
    if match is None:
        return later
    earlier = _instance(match.group(1))

    def required_without(where: tuple[str | int, ...]) -> bool:
        trial = copy.deepcopy(draft.meta)
        node: Any = trial
        for part in where[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict) or where[-1] not in node:
            return False
        del node[where[-1]]
        _prune(trial)
        _text, problems = check(schema, path, trial, draft.sections)
        return any(STAGE_REQUIRES in p.message and p.field == ".".join(map(str, where)) for p in problems)

    if len(later) == 1 and later[0] in schema.raw.get("required", []):
        return earlier  # the incident time itself is never set aside
    if required_without(later) and not required_without(earlier):
        return earlier
    return later


def _untick_other(schema: Schema, draft: Draft, name: str) -> bool:
    """``[X] Other: ____`` with nothing written: untick Other (its text field is required beside it)."""
    rule = next((r for r in other_rules(schema.raw) if r.detail == name), None)
    values = draft.meta.get(rule.field) if rule is not None and "." not in rule.field else None
    if rule is None or not isinstance(values, list) or rule.value not in values:
        return False
    base, other = rule.field, rule.value
    values.remove(other)
    remarks = draft.meta.setdefault("remarks", {})
    ticked = f"{other} ticked"
    remarks[base] = f"{remarks[base]}; {ticked}" if base in remarks else f"{ticked}, nothing written beside it"
    draft.notes.append(Note(0, base, f"'{other}' is ticked but says nothing: unticked, kept as a remark"))
    _prune(draft.meta)
    return True


def _refusal(problems: list[Problem]) -> str:
    lines = [f"  {p.field or 'file'}: {p.message}" for p in problems]
    return "the form does not make a valid incident:\n" + "\n".join(lines)


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
