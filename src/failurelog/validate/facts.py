"""What the cross-incident rules need to know about one incident, small enough to cache.

The rules of :func:`failurelog.validate.rules.cross_problems` (unique ids,
references that exist, with the right date, to an earlier incident, or kept
elsewhere) read only these facts, never a parsed document: a cold run takes
them from the documents it has just checked, a warm run from the cache
(:mod:`failurelog.validate.cache`), and both run the same rules on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from failurelog.core.annotations import get as annotation
from failurelog.core.loader import Document
from failurelog.core.problems import line_of
from failurelog.core.schema import Schema
from failurelog.core.values import parse_time, values_at

#: An instance path into the front matter: ``('related_incidents', 0, 'id')``.
InstancePath = tuple[str | int, ...]


@dataclass(frozen=True)
class Reference:
    """One reference to another incident (a field marked ``x-incident-ref``)."""

    path: InstancePath
    value: str
    line: int
    earlier: bool  # the referenced incident must have begun before this one (``x-incident-ref: earlier``)
    kept_elsewhere: bool  # an ``x-incident-external`` field beside it says where the record lives
    date: Any  # the date stated beside it (the ``date`` of the same entry), if any
    date_line: int


@dataclass(frozen=True)
class Facts:
    """One incident file as the cross-incident rules see it."""

    display: str
    id: str | None
    id_line: int
    occurred_at: datetime | None
    references: tuple[Reference, ...] = ()

    def as_json(self) -> list[Any]:
        """JSON-ready form, without the file's name (see :func:`facts_from_json`)."""
        return [
            self.id,
            self.id_line,
            self.occurred_at.isoformat() if self.occurred_at is not None else None,
            [
                [list(r.path), r.value, r.line, r.earlier, r.kept_elsewhere, r.date, r.date_line]
                for r in self.references
            ],
        ]


def facts_from_json(display: str, data: Any) -> Facts:
    """The facts of ``display`` that :meth:`Facts.as_json` wrote; KeyError, TypeError or ValueError otherwise."""
    incident_id, id_line, occurred, references = data
    refs = []
    for path, value, line, earlier, kept, stated, date_line in references:
        if not all(isinstance(p, (str, int)) for p in path) or not isinstance(value, str):
            raise TypeError("malformed reference")
        if stated is not None and not isinstance(stated, str):
            raise TypeError("malformed date")
        refs.append(Reference(tuple(path), value, int(line), bool(earlier), bool(kept), stated, int(date_line)))
    if incident_id is not None and not isinstance(incident_id, str):
        raise TypeError("malformed id")
    return Facts(
        display=display,
        id=incident_id,
        id_line=int(id_line),
        occurred_at=datetime.fromisoformat(occurred) if occurred is not None else None,
        references=tuple(refs),
    )


def facts_of(doc: Document, schema: Schema) -> Facts:
    """The facts of a loaded document (one without usable front matter has no id and no references)."""
    meta = doc.meta
    if meta is None:
        return Facts(doc.display, None, 2, None)
    incident_id = meta.get("id")
    refs = []
    for spec in schema.reference_fields:
        earlier = annotation(spec.schema, "x-incident-ref") == "earlier"
        for path, value in values_at(meta, spec.name):
            if not isinstance(value, str):
                continue
            entry = value_in(meta, path[:-1])
            stated = entry.get("date") if isinstance(entry, dict) else None
            refs.append(
                Reference(
                    path=path,
                    value=value,
                    line=line_of(doc.lines, path, 2),
                    earlier=earlier,
                    kept_elsewhere=_kept_elsewhere(schema, meta, path),
                    date=stated if isinstance(stated, str) else None,
                    date_line=line_of(doc.lines, (*path[:-1], "date"), 2),
                )
            )
    return Facts(
        display=doc.display,
        id=incident_id if isinstance(incident_id, str) else None,
        id_line=line_of(doc.lines, ("id",), 2),
        occurred_at=parse_time(meta.get("occurred_at")),
        references=tuple(refs),
    )


def _kept_elsewhere(schema: Schema, meta: dict[str, Any], path: InstancePath) -> bool:
    """The reference at ``path`` sits beside a filled-in ``x-incident-external`` field (the record lives elsewhere)."""
    parent = value_in(meta, path[:-1])
    if not isinstance(parent, dict):
        return False
    for key, value in parent.items():
        spec = schema.field_at((*path[:-1], key))
        if (
            spec is not None
            and annotation(spec.schema, "x-incident-external")
            and isinstance(value, str)
            and value.strip()
        ):
            return True
    return False


def value_in(data: Any, path: InstancePath) -> Any:
    """The value at an instance path of ``data``."""
    node: Any = data
    for part in path:
        node = node[part]
    return node
