"""What the site and the analyses need to know about fields, read from schema annotations.

The schema marks fields with a few ``x-`` keywords, so no module lists field
names (a field annotated in the schema shows up on the site without a code
change):

``x-summary: true``
    shown in the header table of an incident page.
``x-index-column: true``
    a column of the incident index.
``x-role: NAME``
    the field the analyses use for a meaning: ``downtime``,
    ``time_to_recover``, ``time_to_detect``.
``x-stat: sum | mean | share``
    charted on the statistics page per month: a total, an average, or the
    share of each choice.
``x-ordered: true``
    a list of objects that is a sequence (rendered as an ordered list).
``x-action-list: {owner, due, status, priority, done, completed, verified_by, evidence, ticket}``
    a list of follow-up actions; the mapping names the item fields holding
    the owner, due date, status and priority (and the completion date, who
    verified it, the evidence and the ticket), and lists the ``done`` statuses.
``x-similarity: exact | text``
    used to suggest related incidents: shared values, or similar text. Body
    sections in ``x-body-sections`` take the same key.
``x-similarity-weight: NUMBER``
    how much that channel counts (default 1). A System Specifications field
    an ``x-primary`` list mirrors takes in the mirroring ``x-asset`` item
    field when that has no channel of its own: the hostname channel counts
    every affected asset's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from failurelog.core.annotations import get as annotation
from failurelog.core.primary import mirrored_fields
from failurelog.core.schema import Field, Schema

#: Kinds of ``x-stat`` the statistics page can chart.
STAT_KINDS = ("sum", "mean", "share")
#: Kinds of ``x-similarity``.
SIMILARITY_KINDS = ("exact", "text")


@dataclass(frozen=True)
class ActionList:
    """A list of follow-up actions and the item fields that matter for tracking it."""

    field: Field
    owner: str
    due: str
    status: str
    priority: str | None
    done: tuple[str, ...]
    completed: str | None = None  # the item field holding the completion date
    verified_by: str | None = None  # who checked that it works
    evidence: str | None = None  # how it was checked
    ticket: str | None = None  # the tracker id


@dataclass(frozen=True)
class Channel:
    """One source of evidence for related-incident suggestions."""

    name: str  # the field's dotted name, or ``body:<section key>``
    title: str
    kind: str  # "exact" or "text"
    field: Field | None = None
    heading: str | None = None  # body section heading, for body channels
    weight: float = 1.0  # x-similarity-weight: how much the channel counts against the others
    # item fields whose values count in this channel too: the affected assets' names in the hostname's
    also: tuple[str, ...] = ()
    # what a shared value is called in a reason when not the title: "host" (the ``x-asset`` kind of ``also``),
    # since a host named only among the affected assets is no incident's Hostname
    noun: str = ""

    @property
    def reason(self) -> str:
        """The words a reason puts before the shared values ("same host: md-gw-03")."""
        return self.noun or self.title


def flagged(schema: Schema, keyword: str) -> list[Field]:
    """Fields whose ``keyword`` annotation is truthy, in schema order."""
    return [f for f in schema.fields.values() if annotation(f.schema, keyword)]


def role(schema: Schema, name: str) -> Field | None:
    """The field annotated ``x-role: name``, or None when the schema names none."""
    for f in schema.fields.values():
        if annotation(f.schema, "x-role") == name:
            return f
    return None


def stat_fields(schema: Schema) -> list[tuple[Field, str]]:
    """Fields charted on the statistics page with their ``x-stat`` kind."""
    out = []
    for f in schema.fields.values():
        kind = annotation(f.schema, "x-stat")
        if kind in STAT_KINDS:
            out.append((f, str(kind)))
    return out


def action_lists(schema: Schema) -> list[ActionList]:
    """Every list of follow-up actions the schema declares."""
    out = []
    for f in schema.fields.values():
        spec = annotation(f.schema, "x-action-list")
        if not isinstance(spec, dict):
            continue
        priority = spec.get("priority")
        out.append(
            ActionList(
                field=f,
                owner=str(spec.get("owner", "owner")),
                due=str(spec.get("due", "due")),
                status=str(spec.get("status", "status")),
                priority=str(priority) if priority else None,
                done=tuple(str(v) for v in spec.get("done", ())),
                **{key: str(spec[key]) for key in ("completed", "verified_by", "evidence", "ticket") if spec.get(key)},
            )
        )
    return out


def _weight(node: Mapping[str, Any]) -> float:
    weight = annotation(node, "x-similarity-weight", 1)
    return float(weight) if isinstance(weight, int | float) and weight > 0 else 1.0


def _joining(schema: Schema) -> dict[str, tuple[str, ...]]:
    """Per System Specifications field, the ``x-asset`` item fields mirroring it that are no channel of their own.

    The hostname is one machine, the Primary one; the affected assets name every host involved
    (a standby, a pair member), so a host shared only there is shared all the same.
    """
    out: dict[str, tuple[str, ...]] = {}
    for source, item_field in mirrored_fields(schema).items():
        spec = schema.field(item_field)
        if spec is not None and annotation(spec.schema, "x-asset") and not annotation(spec.schema, "x-similarity"):
            out[source] = (*out.get(source, ()), item_field)
    return out


def _asset_kind(schema: Schema, fields: tuple[str, ...]) -> str:
    """The ``x-asset`` kind the joined item fields share ("host"), or "" when they name none or several."""
    kinds = {annotation(spec.schema, "x-asset") for name in fields if (spec := schema.field(name)) is not None}
    return str(kinds.pop()) if len(kinds) == 1 else ""


def similarity_channels(schema: Schema) -> list[Channel]:
    """Fields and body sections used to suggest related incidents, fields first."""
    out = []
    joining = _joining(schema)
    for f in schema.fields.values():
        kind = annotation(f.schema, "x-similarity")
        if kind in SIMILARITY_KINDS:
            also = joining.get(f.name, ())
            noun = _asset_kind(schema, also)
            out.append(Channel(f.name, f.title, str(kind), field=f, weight=_weight(f.schema), also=also, noun=noun))
    for entry in annotation(schema.raw, "x-body-sections", []):
        kind = annotation(entry, "x-similarity")
        if kind in SIMILARITY_KINDS:
            heading = str(entry["heading"])
            out.append(Channel(f"body:{entry['key']}", heading, str(kind), heading=heading, weight=_weight(entry)))
    return out


def choice_order(field: Field) -> dict[str, int]:
    """Rank of each choice of ``field`` (for sorting by severity, priority...)."""
    return {value: rank for rank, value in enumerate(field.choices or [])}
