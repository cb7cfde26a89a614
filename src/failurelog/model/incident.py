"""Incident objects built from valid documents, with generic access through schema fields.

Only the five fields every incident must have (the schema's ``required``
list: id, title, occurred_at, status, severity) are attributes; everything
else is read by dotted field name, and the figures the analyses need
(downtime, time to recover, time to detect) come from the fields the schema
annotates with ``x-role``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from failurelog.core import roles
from failurelog.core.annotations import get as annotation
from failurelog.core.body import ParsedBody, parse_body, strip_comments
from failurelog.core.loader import Document
from failurelog.core.schema import Field, Schema
from failurelog.core.values import flat_values, number, parse_time, value_at


@dataclass
class Incident:
    """One valid incident: its required fields as attributes, the rest through :meth:`value`."""

    id: str
    title: str
    status: str
    severity: str
    occurred_at: datetime
    meta: dict[str, Any] = field(repr=False)
    body: str = field(default="", repr=False)
    source: str = ""

    @cached_property
    def month(self) -> str:
        """``YYYY-MM`` of the UTC start (kept: the analyses group every incident by month several times)."""
        return self.occurred_at.strftime("%Y-%m")

    @property
    def day(self) -> str:
        """``YYYY-MM-DD`` of the UTC start."""
        return self.occurred_at.strftime("%Y-%m-%d")

    @property
    def page(self) -> str:
        """Path of this incident's page in the generated site tree."""
        return f"incidents/{self.occurred_at.year:04d}/{self.id}.md"

    def value(self, name: str) -> Any:
        """The value of a dotted field name (no ``[]``), or None."""
        return value_at(self.meta, name)

    def values(self, name: str) -> list[Any]:
        """Every value of a field, lists flattened (``[]`` expands list items); None left out."""
        return flat_values(self.meta, name)

    def number(self, name: str | None) -> float | None:
        """The numeric value of a field, or None when absent or not a number."""
        return None if name is None else number(self.value(name))

    @cached_property
    def parsed_body(self) -> ParsedBody:
        """The body split at its ``##`` headings."""
        return parse_body(self.body)

    @property
    def preamble(self) -> str:
        """Body text before the first ``##`` heading, guidance comments removed."""
        text = strip_comments(self.parsed_body.preamble).strip("\n")
        return text if text.strip() else ""

    @cached_property
    def sections(self) -> dict[str, str]:
        """Body text by ``##`` heading, guidance comments removed, empty sections left out."""
        out: dict[str, str] = {}
        for section in self.parsed_body.sections:
            text = strip_comments(section.text).strip("\n")
            if text.strip():
                out[section.heading] = text
        return out


@dataclass
class Model:
    """Every valid incident (newest first) plus the schema and the build date."""

    schema: Schema
    incidents: list[Incident]
    today: date
    _columns: dict[str, Sequence[list[Any]]] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def by_id(self) -> dict[str, Incident]:
        """Incidents by id."""
        return {i.id: i for i in self.incidents}

    def column(self, name: str) -> Sequence[list[Any]]:
        """Every incident's :meth:`Incident.values` of field ``name``, in incident order; read once per model.

        Several analyses group by the same fields: the lists are shared, and are not to be changed.
        """
        return self.columns([name])[0]

    def columns(self, names: Sequence[str]) -> list[Sequence[list[Any]]]:
        """:meth:`column` of each of ``names``; those not read yet are read in one pass over the incidents.

        One incident after the other, every field of each (its front matter is read while it is in the cache).
        """
        missing = [n for n in dict.fromkeys(names) if n not in self._columns]
        if missing:
            rows = [[flat_values(i.meta, n) for n in missing] for i in self.incidents]
            by_field = list(zip(*rows, strict=True)) if rows else [() for _n in missing]
            self._columns.update(zip(missing, by_field, strict=True))
        return [self._columns[n] for n in names]

    @cached_property
    def role_names(self) -> dict[str, str]:
        """Dotted field name for each ``x-role`` the schema declares."""
        return {
            str(annotation(f.schema, "x-role")): f.name
            for f in self.schema.fields.values()
            if annotation(f.schema, "x-role")
        }

    def role_field(self, role: str) -> Field | None:
        """The field annotated ``x-role: role``, or None."""
        name = self.role_names.get(role)
        return self.schema.field(name) if name else None

    def rolenumber(self, incident: Incident, role: str) -> float | None:
        """The figure of ``incident`` in the field annotated ``x-role: role``."""
        return incident.number(self.role_names.get(role))

    def downtime(self, incident: Incident) -> float | None:
        """Downtime: the ``outage`` field (minutes trading stopped in the shipped schema).

        Degradation and lost redundancy have roles of their own and are not downtime.
        """
        return self.rolenumber(incident, "outage")

    def time_to_recover(self, incident: Incident) -> float | None:
        """Time to recover, from the ``time_to_recover`` field."""
        return self.rolenumber(incident, "time_to_recover")

    def time_to_detect(self, incident: Incident) -> float | None:
        """Time to detect, from the ``time_to_detect`` field."""
        return self.rolenumber(incident, "time_to_detect")

    @cached_property
    def severity_order(self) -> dict[str, int]:
        """Rank of each severity choice (0 = the first, most severe)."""
        spec = self.schema.field("severity")
        return roles.choice_order(spec) if spec else {}

    def severity_rank(self, incident: Incident) -> int:
        """Position of the incident's severity among the schema's choices (0 = most severe)."""
        return self.severity_order.get(incident.severity, len(self.severity_order))


def incident_from(doc: Document) -> Incident | None:
    """An :class:`Incident` from a loaded document, or None when its required fields are unusable."""
    meta = doc.meta
    if meta is None:
        return None
    occurred = parse_time(meta.get("occurred_at"))
    ident, title = meta.get("id"), meta.get("title")
    if occurred is None or not isinstance(ident, str) or not isinstance(title, str):
        return None
    return Incident(
        id=ident,
        title=title,
        status=str(meta.get("status", "")),
        severity=str(meta.get("severity", "")),
        occurred_at=occurred.astimezone(UTC),
        meta=meta,
        body=doc.body,
        source=doc.display,
    )


def build_model(docs: Iterable[Document], schema: Schema, today: date | None = None) -> Model:
    """The model of every usable document, newest first (ties by id, descending)."""
    incidents = [i for i in (incident_from(d) for d in docs) if i is not None]
    incidents.sort(key=lambda i: (i.occurred_at, i.id), reverse=True)
    return Model(schema=schema, incidents=incidents, today=today or datetime.now(UTC).date())
