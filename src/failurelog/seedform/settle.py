"""Give an imported incident its status, and make sure it validates.

The status is the stage the form reached: a closing time and a sign-off make
it ``closed``; a root cause and a fix ``resolved``; symptoms or system
details ``investigating``; otherwise ``draft``. If the incident does not meet
what the schema asks at that stage, it steps down a stage at a time, and the
warning says what the higher stage lacks. A value that breaks a rule of its
own (a time before the one it must follow, a percentage that disagrees with
its figures, an item missing its owner) moves to ``remarks`` with a warning.
What still does not validate is refused: nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from failurelog.core.errors import FailurelogError
from failurelog.core.lifecycle import other_rules
from failurelog.core.loader import Document, parse_text
from failurelog.core.problems import Problem
from failurelog.core.schema import Schema
from failurelog.core.values import value_at
from failurelog.seedform import extras
from failurelog.seedform.draft import Draft, Note
from failurelog.seedform.markdown import incident_text
from failurelog.validate.run import check_document

_LIFECYCLE = "required once status is"
#: Which filled-in parts of the form show that it reached a stage (field names and body sections).
REACHED: dict[str, tuple[tuple[str, ...], ...]] = {
    "closed": (("sign_off.closed_at",), ("sign_off.analyzed_by", "sign_off.reviewed_by", "sign_off.approved_by")),
    "resolved": (("root_cause.summary",), ("resolution.fix_types", "section:fix_description")),
    "investigating": (("section:initial_symptoms", "section:error_messages", "system"),),
}


def reached(schema: Schema, draft: Draft) -> str:
    """The last stage whose every clause in :data:`REACHED` has something filled in."""

    def filled(name: str) -> bool:
        if name.startswith("section:"):
            return bool(draft.sections.get(name[len("section:") :]))
        return value_at(draft.meta, name) not in (None, {}, [])

    for status in reversed(schema.statuses):
        clauses = REACHED.get(status)
        if clauses and all(any(filled(n) for n in clause) for clause in clauses):
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
    draft.notes.append(Note(line, extras.format_path(path), f"{why}; kept {text!r} as a remark"))
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
        stage = [p for p in problems if _LIFECYCLE in p.message]
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
            moved = _move(schema, draft, where, problem.message) or moved
            break
        if not moved:
            raise FailurelogError(_refusal(problems))
    raise FailurelogError("could not settle the incident (too many repairs)")


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
