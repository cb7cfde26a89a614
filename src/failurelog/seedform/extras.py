"""``[failurelog]`` lines: front-matter values the paper form has no place for.

The form has no box for an incident's status, for the status of a preventive
action, or for a remark on a text field. So that exporting and importing
again gives the same incident, export writes what the form cannot show as
lines under ADDITIONAL NOTES, one value each, in inline YAML::

    [failurelog] status: investigating
    [failurelog] prevention.immediate_actions[0].status: In Progress
    [failurelog] remarks.system.os: "upgraded from 9.2 the day before"

Import takes these lines out of the notes and applies them last. A value of
``null`` removes a value the form itself would have given.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from failurelog.core import yamlio
from failurelog.core.schema import Schema
from failurelog.seedform.draft import Note

TAG = "[failurelog]"
_LINE = re.compile(r"^\s*\[failurelog\]\s+(?P<path>[A-Za-z0-9_.\[\]]+):\s?(?P<value>.*)$")
_PART = re.compile(r"([a-z0-9_]+)((?:\[\d+\])*)")

Path = tuple[str | int, ...]


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


def parse_path(text: str, schema: Schema) -> Path | None:
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


def format_path(path: Path) -> str:
    """The inverse of :func:`parse_path`."""
    if path and path[0] == "remarks" and len(path) == 2:
        return f"remarks.{path[1]}"
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


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


def _put(meta: dict[str, Any], path: Path, value: Any) -> None:
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


def diff(schema: Schema, want: Any, got: Any, path: Path = ()) -> list[tuple[Path, Any]]:
    """What to set in ``got`` to make it ``want`` (``None`` to remove); check-box lists compare as sets."""
    if isinstance(want, dict) and isinstance(got, dict):
        out: list[tuple[Path, Any]] = []
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


def lines(changes: list[tuple[Path, Any]]) -> list[str]:
    """``[failurelog] path: value`` lines for :func:`diff`'s changes."""
    return [f"{TAG} {format_path(path)}: {yamlio.dump_value(value)}" for path, value in changes]
