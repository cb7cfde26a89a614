"""The optional fleet inventory, ``inventory/assets.yaml``: how many of each asset run, and since when.

It is checked against its own small schema (``schema/inventory.schema.json``)
and against the asset kinds the incident schema's ``x-asset`` annotations
name; every problem is data (file, line, field path, message), never raised.
A file with a problem is not used: the pages then say rates need an inventory.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from failurelog.core.annotations import get as annotation
from failurelog.core.problems import Problem, dotted, line_of
from failurelog.core.schema import Schema
from failurelog.core.yamlio import parse

INVENTORY_FILE = Path("inventory") / "assets.yaml"
INVENTORY_SCHEMA = Path("schema") / "inventory.schema.json"


@dataclass(frozen=True)
class Entry:
    """How many of one asset the fleet runs, since when."""

    kind: str
    name: str
    count: int
    since: date


@dataclass
class Inventory:
    """The entries of the inventory file (empty when it is absent or has a problem) and its problems."""

    present: bool = False
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """Whether the file exists and has no problem."""
        return self.present and not self.problems

    def get(self, kind: str, name: str) -> Entry | None:
        """The entry of one asset, or None."""
        return self.entries.get((kind, name)) if self.usable else None


def asset_kind_names(schema: Schema) -> list[str]:
    """The asset kinds the incident schema's ``x-asset`` annotations name, in schema order."""
    found = (annotation(f.schema, "x-asset") for f in schema.fields.values())
    return list(dict.fromkeys(str(k) for k in found if k))


def inventory_problems(root: Path, schema: Schema) -> list[Problem]:
    """The problems of ``inventory/assets.yaml`` (none when it is absent): what ``failurelog validate`` reports."""
    return read_inventory(root, asset_kind_names(schema)).problems


def _schema_problems(data: Any, lines: dict[Any, int], root: Path, display: str) -> list[Problem]:
    from jsonschema import Draft202012Validator

    schema = json.loads((root / INVENTORY_SCHEMA).read_text(encoding="utf-8"))
    out = []
    for error in Draft202012Validator(schema).iter_errors(data):
        where = tuple(error.absolute_path)
        out.append(Problem(display, line_of(lines, where, 1), dotted(where) or "(file)", error.message, "inventory"))
    return sorted(out)


def _entry_problems(
    items: list[dict[str, Any]], lines: dict[Any, int], kinds: list[str], display: str
) -> tuple[dict[tuple[str, str], Entry], list[Problem]]:
    entries: dict[tuple[str, str], Entry] = {}
    problems = []
    for n, item in enumerate(items):
        where = ("assets", n)
        kind, name = item["kind"], item["name"]
        if kind not in kinds:
            close = difflib.get_close_matches(kind, kinds, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            message = f"unknown asset kind {kind!r} (the kinds: {', '.join(kinds)}){hint}"
            problems.append(Problem(display, line_of(lines, (*where, "kind"), 1), dotted((*where, "kind")), message))
            continue
        try:
            since = date.fromisoformat(item["since"])
        except ValueError:
            line = line_of(lines, (*where, "since"), 1)
            problems.append(Problem(display, line, dotted((*where, "since")), f"{item['since']!r} is not a date"))
            continue
        if (kind, name) in entries:
            message = f"{kind} {name!r} is listed twice; keep one entry with the total count"
            problems.append(Problem(display, line_of(lines, where, 1), dotted(where), message, "inventory"))
            continue
        entries[(kind, name)] = Entry(kind, name, int(item["count"]), since)
    return entries, [Problem(p.file, p.line, p.field, p.message, "inventory") for p in problems]


def read_inventory(root: Path, kinds: list[str]) -> Inventory:
    """The inventory at ``root/inventory/assets.yaml`` checked against its schema and the asset ``kinds``."""
    path = root / INVENTORY_FILE
    display = INVENTORY_FILE.as_posix()
    if not path.is_file():
        return Inventory()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Inventory(True, problems=[Problem(display, 1, "(file)", f"cannot be read: {exc}", "inventory")])
    parsed = parse(text)
    if parsed.problems:
        return Inventory(
            True,
            problems=[
                Problem(display, p.line, dotted(p.path) or "(file)", p.message, "inventory") for p in parsed.problems
            ],
        )
    problems = _schema_problems(parsed.data, parsed.lines, root, display)
    if problems:
        return Inventory(True, problems=problems)
    entries, problems = _entry_problems(parsed.data["assets"], parsed.lines, kinds, display)
    return Inventory(True, entries if not problems else {}, problems)
