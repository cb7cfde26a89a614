"""The step from the first schema to schema 2, as a change of data and as an edit of the file's lines.

:func:`upgrade` says what schema 2 makes of a first-schema front matter;
:func:`edit` makes that change in the text, line by line, so that comments,
quoting and the body stay as they were. The caller checks that the edited
text reads back as :func:`upgrade`'s data, and refuses the file otherwise.

The field names below are those of the *first* schema: they no longer exist
in the current one, so they cannot be read from it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from failurelog.core import yamlio

VERSION = 2
#: Fields renamed by schema 2 (old dotted name -> new dotted name).
RENAMED = {
    "impact.trading.downtime_min": "impact.trading.outage_min",
    "impact.trading.financial_loss_usd": "impact.trading.loss_estimated_usd",
    "response.detection_method": "response.detection_methods",
}
#: Fields whose value became a list of one.
LISTED = {"response.detection_method"}
#: Fields whose old text does not fit the new type: kept under ``remarks``.
TO_REMARKS = {"metrics.cpu.per_core"}
#: The first primary asset is built from these System Specifications fields (asset key -> system key).
PRIMARY_FROM_SYSTEM = {"name": "hostname", "os": "os", "kernel": "kernel_version"}
Lines = list[str]


def _get(meta: dict[str, Any], dotted: str) -> tuple[dict[str, Any] | None, str]:
    node: Any = meta
    *parents, last = dotted.split(".")
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    return (node if isinstance(node, dict) else None), last


def _prune_empty(meta: dict[str, Any], dotted: str) -> None:
    parts = dotted.split(".")
    for depth in range(len(parts) - 1, 0, -1):
        parent, last = _get(meta, ".".join(parts[:depth]))
        if parent is not None and parent.get(last) == {}:
            del parent[last]


def upgrade(meta: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Schema 2's version of a first-schema front matter, and what changed, one line each."""
    new = copy.deepcopy(meta)
    changes: list[str] = []
    given = new.get("remarks")
    remarks: dict[str, Any] = given if isinstance(given, dict) else {}
    for old in TO_REMARKS:
        parent, key = _get(new, old)
        if parent is not None and isinstance(parent.get(key), str):
            remarks[old] = f"{remarks[old]}; {parent[key]}" if old in remarks else parent[key]
            del parent[key]
            _prune_empty(new, old)
            changes.append(f"{old}: text moved to remarks (schema 2 takes per-core figures as a list)")
    for old, renamed in RENAMED.items():
        parent, key = _get(new, old)
        if parent is not None and key in parent:
            value = parent.pop(key)
            parent_new, key_new = _get(new, renamed)
            assert parent_new is parent
            parent[key_new] = [value] if old in LISTED and not isinstance(value, list) else value
            changes.append(f"{old} -> {renamed}" + (" (a list)" if old in LISTED else ""))
        if old in remarks:
            remarks[renamed] = remarks.pop(old)
            changes.append(f"remarks.{old} -> remarks.{renamed}")
    if remarks and "remarks" not in new:
        new["remarks"] = remarks
    system = new.get("system")
    if isinstance(system, dict) and isinstance(system.get("hostname"), str) and "assets" not in new:
        asset: dict[str, Any] = {"name": system["hostname"], "role": "Primary"}
        for key, source in list(PRIMARY_FROM_SYSTEM.items())[1:]:
            if isinstance(system.get(source), str):
                asset[key] = system[source]
        new = _insert_after(new, "system", "assets", [asset])
        changes.append(f"assets: added the Primary asset {system['hostname']} from the System Specifications")
    new = {"schema_version": VERSION, **new}
    changes.insert(0, f"schema_version: {VERSION}")
    return new, changes


def _insert_after(meta: dict[str, Any], after: str, key: str, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in meta.items():
        out[k] = v
        if k == after:
            out[key] = value
    return out


# -- the same change, on the lines of the file ---------------------------------
def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: Lines, start: int) -> int:
    """Index after the last line of the value of the key on line ``start``."""
    own = _indent(lines[start])
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and _indent(line) <= own:
            break
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _key_line(lines: Lines, spots: dict[yamlio.Path, int], path: tuple[str, ...], offset: int) -> int | None:
    line = spots.get(path)
    return None if line is None else line - 1 - offset


def _rename_comments(lines: Lines) -> None:
    """Rename old keys in the scaffold's commented-out lines too (``#   detection_method:``)."""
    for index, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            for old, renamed in RENAMED.items():
                lines[index] = re.sub(
                    rf"(?<![\w.]){re.escape(old.rsplit('.', 1)[1])}:", renamed.rsplit(".", 1)[1] + ":", lines[index]
                )


def edit(lines: Lines, spots: dict[yamlio.Path, int], offset: int, meta: dict[str, Any]) -> Lines:
    """The front-matter ``lines`` with the change of :func:`upgrade` made (``spots`` maps paths to file lines)."""
    out = list(lines)
    plan: list[tuple[int, int, Lines]] = []  # (start, end, replacement), applied bottom-up
    remark_lines: Lines = []
    for old in TO_REMARKS:
        parent, key = _get(meta, old)
        at = _key_line(out, spots, tuple(old.split(".")), offset)
        if parent is None or not isinstance(parent.get(key), str) or at is None:
            continue
        start, end = at, _block_end(out, at)
        parts = old.split(".")
        for depth in range(len(parts) - 1, 0, -1):  # parents that held only this field go too
            holder, _key = _get(meta, ".".join(parts[: depth + 1]))
            parent_at = _key_line(out, spots, tuple(parts[:depth]), offset)
            if holder is None or len(holder) != 1 or parent_at is None:
                break
            start = parent_at
        plan.append((start, end, []))
        remark_lines.append(f"{old}: {yamlio.dump_value(parent[key])}")
    for old, renamed in RENAMED.items():
        at = _key_line(out, spots, tuple(old.split(".")), offset)
        if at is not None:
            line = out[at]
            indent = " " * _indent(line)
            new_key = renamed.rsplit(".", 1)[1]
            rest = line.lstrip()[len(old.rsplit(".", 1)[1]) + 1 :]
            if old in LISTED and rest.strip():
                plan.append((at, _block_end(out, at), [f"{indent}{new_key}:", f"{indent}  - {rest.strip()}"]))
            else:
                plan.append((at, at + 1, [f"{indent}{new_key}:{rest}"]))
        remark_at = _key_line(out, spots, ("remarks", old), offset)
        if remark_at is not None:
            line = out[remark_at]
            plan.append((remark_at, remark_at + 1, [line.replace(old, renamed, 1)]))
    system = meta.get("system")
    additions: Lines = []
    if isinstance(system, dict) and isinstance(system.get("hostname"), str) and "assets" not in meta:
        additions += ["assets:", f"  - name: {yamlio.dump_value(system['hostname'])}", "    role: Primary"]
        for key, source in list(PRIMARY_FROM_SYSTEM.items())[1:]:
            if isinstance(system.get(source), str):
                additions.append(f"    {key}: {yamlio.dump_value(system[source])}")
    for start, end, replacement in sorted(plan, key=lambda p: (p[0], p[1]), reverse=True):
        out[start:end] = replacement
    if remark_lines:
        out = _add_remarks(out, remark_lines)
    _rename_comments(out)
    # New lines go after the last value, so every existing line keeps its number.
    last = max((i for i, line in enumerate(out) if line.strip() and not line.lstrip().startswith("#")), default=-1)
    out[last + 1 : last + 1] = [*additions, f"schema_version: {VERSION}"]
    return out


def _add_remarks(lines: Lines, entries: Lines) -> Lines:
    """Append ``entries`` (``key: value``) to the top-level ``remarks`` block, creating it at the end if absent."""
    at = next((i for i, line in enumerate(lines) if re.match(r"^remarks:\s*$", line)), None)
    if at is None:
        last = max(
            (i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), default=-1
        )
        return [*lines[: last + 1], "remarks:", *(f"  {e}" for e in entries), *lines[last + 1 :]]
    end = _block_end(lines, at)
    return [*lines[:end], *(f"  {e}" for e in entries), *lines[end:]]
