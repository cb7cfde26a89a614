"""The site's JSON and CSV exports, assembled from each incident's part, kept by the incident's content.

``data/incidents.json`` is :func:`failurelog.model.export.to_json` of every
front matter and ``data/incidents.csv`` is :func:`~failurelog.model.export.to_csv`;
both are a sequence of one part per incident (a list item, a row), and a part
is a function of that incident's front matter and the schema alone. So in a
running ``serve`` each part is kept under the incident's digest (its whole
content, :func:`failurelog.site.fingerprint.incident_digest`) and the schema's:
after an edit only the edited incident's part is made again. The text is the
same as the whole export's, byte for byte (``tests/test_rendercache.py``
compares them after every kind of change, with the model's functions).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from functools import partial

from failurelog.core.schema import Field, Schema
from failurelog.core.terminal import safe_json
from failurelog.model import export
from failurelog.model.incident import Incident
from failurelog.site.fingerprint import fingerprint, incident_digest

_parts: dict[tuple[str, str, str], str] = {}  # (export, schema digest, incident digest) -> the incident's part
_used: set[tuple[str, str, str]] = set()


def kept_part(key: tuple[str, str, str], make: Callable[[], str]) -> str:
    """The part under ``key`` as made by an earlier build, or ``make()`` (kept for the next)."""
    _used.add(key)
    found = _parts.get(key)
    if found is None:
        found = _parts[key] = make()
    return found


def finish() -> None:
    """End a build: drop the parts it did not use."""
    for key in [k for k in _parts if k not in _used]:
        del _parts[key]
    _used.clear()


def forget() -> None:
    """Drop every kept part (tests)."""
    _parts.clear()
    _used.clear()


def _by_id(incidents: list[Incident]) -> list[Incident]:
    return sorted(incidents, key=lambda i: str(i.meta.get("id", "")))


def _json_item(incident: Incident) -> str:
    text = json.dumps(incident.meta, indent=2, ensure_ascii=False, allow_nan=False)
    return safe_json(text).replace("\n", "\n  ")  # indented as an item of the list (no string holds a newline)


def json_export(schema: Schema, incidents: list[Incident]) -> str:
    """:func:`failurelog.model.export.to_json` of the incidents' front matters, by id."""
    shape = fingerprint(schema.raw)
    items = [kept_part(("json", shape, incident_digest(i)), partial(_json_item, i)) for i in _by_id(incidents)]
    return ("[\n  " + ",\n  ".join(items) + "\n]\n") if items else "[]\n"


def _csv_row(schema: Schema, fields: list[Field], incident: Incident) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[f.name for f in fields], lineterminator="\n")
    writer.writerow(export.row(schema, incident.meta, fields))
    return buffer.getvalue()


def csv_export(schema: Schema, incidents: list[Incident]) -> str:
    """:func:`failurelog.model.export.to_csv` of the incidents' front matters, by id."""
    fields = export.leaf_fields(schema)
    shape = fingerprint(schema.raw)
    rows = [
        kept_part(("csv", shape, incident_digest(i)), partial(_csv_row, schema, fields, i)) for i in _by_id(incidents)
    ]
    return export.to_csv(schema, []) + "".join(rows)
