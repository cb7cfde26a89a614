"""Every ``x-`` annotation the schema may carry, declared once with its meaning.

JSON Schema ignores keywords it does not know, so a typo (``x-rol`` for
``x-role``) would silently switch a feature off. :func:`unknown_annotations`
finds every ``x-`` key of a schema that is not declared here; the schema is
refused at load when it has one. Code reads an annotation with :func:`get`,
which refuses (a programming error) a key not declared here.

To add an annotation: declare it in :data:`ANNOTATIONS`, use it in the schema,
and read it through :func:`get` (or a helper in :mod:`failurelog.core.roles`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Annotation:
    """One ``x-`` keyword: where it goes and what it means."""

    key: str
    where: str  # "field", "section" (an entry of x-body-sections), "schema" (the top level), or several
    meaning: str


ANNOTATIONS: dict[str, Annotation] = {
    a.key: a
    for a in (
        Annotation(
            "x-summary",
            "field",
            "on an incident page's summary card: `true` a labelled tile, `badge` a coloured badge (choices "
            "ranked by the attention they need, first = most), `paragraph` full-width text, `heading` the "
            "page's heading (id, title)",
        ),
        Annotation(
            "x-summary-order",
            "field",
            "a number: the place of an `x-summary` field among the card's fields of its kind (lower first; "
            "fields without it follow in schema order), so the severity badge can come before the status",
        ),
        Annotation(
            "x-banner",
            "field",
            "{value: text}: a banner at the top of the incident page when the field has that value "
            '(the status: "draft: not reviewed")',
        ),
        Annotation(
            "x-timeline",
            "field",
            "a list told as a dated timeline in the incident's story: {time, text} name its item fields "
            "(time of day HH:MM:SS), date_from the timestamp field that dates the first entry",
        ),
        Annotation("x-tone", "field", "{choice: bad | warn | good | neutral}: the colour of each choice in charts"),
        Annotation("x-index-column", "field", "a column of the incident index"),
        Annotation("x-group-by", "field", "worth a pattern index page (one page per value)"),
        Annotation(
            "x-search-facet",
            "field",
            "a filter of the site search, and shown in each search result (failurelog.site.search_markup)",
        ),
        Annotation(
            "x-similarity",
            "field, section",
            "evidence for related-incident suggestions: `exact` (shared values) or `text` (similar wording)",
        ),
        Annotation(
            "x-computed-as",
            "field",
            "{computed word: choice}: the field's choice that says what an analysis computes (a stated trend: "
            "rising, steady, falling; a stated pattern: cluster), so the two can be compared",
        ),
        Annotation(
            "x-similarity-weight",
            "field, section",
            "how much an `x-similarity` channel counts against the others (default 1): asset, version and cause "
            "above shared checkboxes",
        ),
        Annotation(
            "x-role",
            "field",
            "the field the analyses use for a meaning: outage (downtime statistics), degraded, redundancy_lost, "
            "time_to_recover, time_to_detect, loss_realised, loss_estimated, trigger, root_cause_category, "
            "cause_origin, change_ids, not_related, component (the recovery figures' breakdown), closed_at (time to "
            "close), sla_met (the SLA/RTO met rate: the choice whose `x-tone` is good counts as met), "
            "stated_pattern and stated_trend (recurrence stated by hand, shown beside the computed cluster)",
        ),
        Annotation("x-stat", "field", "charted per month on the statistics page: `sum`, `mean` or `share`"),
        Annotation("x-ordered", "field", "a list of objects that is a sequence (an ordered list on the site)"),
        Annotation(
            "x-action-list",
            "field",
            "a list of follow-up actions; {owner, due, status, priority, ticket, completed, verified_by, "
            "evidence, kind} name its item fields and `done` the statuses that count as done",
        ),
        Annotation(
            "x-asset",
            "field",
            "an item field naming an affected asset or one of its versions: host, model, firmware, driver, kernel, "
            "bios (asset histories are built for every value)",
        ),
        Annotation(
            "x-primary",
            "field",
            "on the list of affected assets: {role, value, failed, mirrors}: the item whose `role` is `value` is the "
            "machine of the form's System Specifications; `mirrors` maps its fields to theirs (they must agree); "
            "`failed` names the item's yes/no field saying the asset itself failed (not stated: the `value` role "
            "failed, the others did not), which the asset histories count",
        ),
        Annotation(
            "x-incident-external",
            "field",
            "beside an incident reference: where the record lives when it is not in this repository (the reference "
            "is then accepted, and shown as not in this repository until that incident is imported)",
        ),
        Annotation(
            "x-schema-version",
            "field",
            "the field holding the schema version a file was written for; its `const` is this schema's version "
            "(`failurelog migrate` upgrades older files)",
        ),
        Annotation("x-incident-ref", "field", "the value is another incident's id; `earlier`: it must be older"),
        Annotation("x-sign-off", "field", "the sign-off block: changes after signing are flagged by the audit"),
        Annotation("x-derived", "field", "must agree with other fields ({op: percent, of: [part, whole]})"),
        Annotation("x-example", "field", "an example value quoted in validation messages"),
        Annotation("x-unit", "field", "the unit of a number (shown after it; the paper form's unit)"),
        Annotation("x-seed-label", "field, section", "the label on the paper form, when it is not the title"),
        Annotation("x-form-group", "field, section", "the paper form's sub-heading the field sits under"),
        Annotation("x-chronology", "schema", "chains of timestamp and date fields that must not go backwards"),
        Annotation("x-body-sections", "schema", "the `##` sections of the incident body, in the form's order"),
        Annotation("x-form", "schema", "the paper form's title, purpose, scope and `====` sections"),
    )
}

#: Annotations whose value is free data (not a schema): their insides are not searched for ``x-`` keys.
_OPAQUE = {
    "x-derived",
    "x-action-list",
    "x-chronology",
    "x-form",
    "x-example",
    "x-banner",
    "x-timeline",
    "x-tone",
    "x-primary",
}


def get(node: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """The value of annotation ``key`` on a schema node (``default`` when absent).

    ``key`` must be declared in :data:`ANNOTATIONS`: reading an undeclared one is a bug in the caller.
    """
    if key not in ANNOTATIONS:
        raise KeyError(f"{key} is not a declared schema annotation (see failurelog.core.annotations)")
    return node.get(key, default)


def _walk(node: Any, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{pointer}/{key}"
            if isinstance(key, str) and key.startswith("x-"):
                yield here, key
                if key in _OPAQUE:
                    continue
            if key in ("enum", "const", "examples", "default"):
                continue  # values, not schema
            yield from _walk(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{index}")


def used_annotations(raw: Mapping[str, Any]) -> set[str]:
    """Every ``x-`` key the schema ``raw`` uses."""
    return {key for _pointer, key in _walk(raw, "")}


def unknown_annotations(raw: Mapping[str, Any]) -> list[str]:
    """One message per undeclared ``x-`` key in the schema ``raw``, with its JSON pointer and a likely fix."""
    out = []
    for pointer, key in _walk(raw, ""):
        if key in ANNOTATIONS:
            continue
        close = difflib.get_close_matches(key, ANNOTATIONS, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        out.append(f"{pointer}: unknown annotation {key}{hint} (declared ones: failurelog.core.annotations)")
    return out
