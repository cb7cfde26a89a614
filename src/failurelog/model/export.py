"""Every incident's front matter as JSON (a list) or CSV (one row per incident).

CSV columns are every leaf field of the schema by dotted name, in schema
order (``action_items[].owner`` for a field of list items); a list is joined
with ``"; "``, remarks are ``field: text`` pairs. A field added to the schema
becomes a column without code changes.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from failurelog.core.loader import load
from failurelog.core.paths import display_path, incident_files
from failurelog.core.schema import Field, Schema, load_schema
from failurelog.core.siteconfig import markdown_spec
from failurelog.core.terminal import safe_json
from failurelog.core.values import values_at
from failurelog.validate.run import check_document

#: What joins the values of a list in one CSV cell.
JOIN = "; "


@dataclass
class Incidents:
    """Front matters read, and the files that could not be read."""

    metas: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_all(root: Path, only: str | None = None) -> Incidents:
    """The front matter of every valid incident (or of the one with id ``only``), ordered by id.

    A file ``validate`` would refuse (a probable secret, a number out of range, ...) is left out and
    named in ``skipped``: no export holds a value that validation refuses.
    """
    schema = load_schema(root)
    out = Incidents()
    for path in incident_files(root):
        if only is not None and path.stem != only:
            continue
        doc = load(path, display_path(path, root), root)
        if doc.meta is not None:
            check_document(doc, schema, markdown=markdown_spec(root))
        if doc.meta is None or doc.problems:
            first = doc.problems[0] if doc.problems else None
            reason = f"{first.line}: {first.message}" if first else "unreadable"
            out.skipped.append(f"{doc.display}:{reason}")
            continue
        out.metas.append(doc.meta)
    out.metas.sort(key=lambda meta: str(meta.get("id", "")))
    return out


def leaf_fields(schema: Schema) -> list[Field]:
    """Fields that hold values rather than other fields (lists of text count as one field)."""
    return [
        f
        for f in schema.fields.values()
        if not (f.type == "object" and schema.children(f.path)) and not (f.is_container and f.type == "array")
    ]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return JOIN.join(f"{key}: {_cell(item)}" for key, item in value.items())
    if isinstance(value, list):
        return JOIN.join(_cell(item) for item in value)
    return str(value)


def row(schema: Schema, meta: dict[str, Any], fields: list[Field] | None = None) -> dict[str, str]:
    """One incident as a CSV row keyed by dotted field name (``fields``: :func:`leaf_fields`, if known)."""
    out = {}
    for spec in leaf_fields(schema) if fields is None else fields:
        found = [value for _path, value in values_at(meta, spec.name)]
        out[spec.name] = _cell(found[0] if len(found) == 1 and "[]" not in spec.name else found)
    return out


def to_csv(schema: Schema, metas: list[dict[str, Any]]) -> str:
    """A header row of field names, then one row per incident."""
    buffer = io.StringIO()
    fields = leaf_fields(schema)
    writer = csv.DictWriter(buffer, fieldnames=[f.name for f in fields], lineterminator="\n")
    writer.writeheader()
    for meta in metas:
        writer.writerow(row(schema, meta, fields))
    return buffer.getvalue()


def to_json(metas: list[dict[str, Any]]) -> str:
    """A JSON list of front matters."""
    return safe_json(json.dumps(metas, indent=2, ensure_ascii=False, allow_nan=False)) + "\n"
