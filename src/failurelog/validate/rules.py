"""Rules beyond the schema: an incident against its file, its own timestamps, and the others.

The fields each rule looks at are read from the schema's ``x-chronology``,
``x-derived`` and ``x-incident-ref`` annotations.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from failurelog.core.annotations import get as annotation
from failurelog.core.loader import Document
from failurelog.core.problems import Problem, dotted, line_of
from failurelog.core.schema import Field, Schema
from failurelog.core.values import number, parse_moment, parse_time, value_at
from failurelog.validate.facts import Facts, Reference, facts_of


def file_problems(doc: Document, schema: Schema) -> list[Problem]:
    """The id agrees with the file name, the folder's year, and the incident's date."""
    meta = doc.meta or {}
    incident_id = meta.get("id")
    out: list[Problem] = []
    parsed = schema.ids.parse(incident_id, exact=True)
    if not isinstance(incident_id, str) or parsed is None:
        return out  # the schema reports a missing or malformed id
    line = line_of(doc.lines, ("id",), 2)
    if doc.path.stem != incident_id:
        out.append(
            Problem(
                doc.display,
                line,
                "id",
                f"id {incident_id} does not match the file name {doc.path.name} (expected {incident_id}.md)",
                "id",
            )
        )
    year = parsed.year
    if re.fullmatch(r"\d{4}", doc.path.parent.name) and doc.path.parent.name != year:
        out.append(
            Problem(
                doc.display,
                line,
                "id",
                f"incident of {year} filed under {doc.path.parent.name}/ (move it to incidents/{year}/)",
                "id",
            )
        )
    occurred = parse_time(meta.get("occurred_at"))
    if occurred is not None:
        day = occurred.strftime("%Y%m%d")
        if parsed.day != day:
            out.append(
                Problem(
                    doc.display,
                    line,
                    "id",
                    f"id {incident_id} names the date {parsed.day} but occurred_at is on {day} (UTC)",
                    "id",
                )
            )
    return out


def consistency_problems(doc: Document, schema: Schema) -> list[Problem]:
    """Timestamps in order, stated figures agreeing with the figures they derive from, remarks on real fields."""
    meta = doc.meta or {}
    out: list[Problem] = []
    for chain in schema.chronology:
        out.extend(_chain_problems(doc, chain))
    for field in schema.derived_fields:
        problem = _derived_problem(doc, field)
        if problem is not None:
            out.append(problem)
    for key in (meta.get("remarks") or {}) if isinstance(meta.get("remarks"), dict) else ():
        if isinstance(key, str) and schema.field(key) is None:
            close = [n for n in schema.fields if n.endswith("." + key.rsplit(".", 1)[-1])]
            hint = f"; did you mean {close[0]!r}?" if close else ""
            out.append(
                Problem(
                    doc.display,
                    line_of(doc.lines, ("remarks", key), 2),
                    f"remarks.{key}",
                    f"remark on {key!r}, which is not a field{hint}",
                    "consistency",
                )
            )
    return out


def _derived_problem(doc: Document, field: Field) -> Problem | None:
    """A stated figure (or Yes/No) that disagrees with the fields it derives from."""
    rule = annotation(field.schema, "x-derived")
    raw = value_at(doc.meta, field.name)
    expected = _derive(rule, doc.meta or {})
    if expected is None or raw is None:
        return None
    sources = " and ".join(rule["of"])
    if isinstance(expected, str):
        if raw == expected:
            return None
        message = f"{field.title} is {raw!r} but {sources} say {expected!r}"
    else:
        stated = number(raw)
        if stated is None or abs(stated - expected) <= float(rule.get("tolerance", 0)):
            return None
        unit = f" {field.unit}" if field.unit else ""
        message = f"{field.title} is {stated:g} but {sources} give {expected:.2f}{unit}"
    return Problem(doc.display, line_of(doc.lines, field.path, 2), field.name, message, "consistency")


def _before(later: datetime | date, earlier: datetime | date) -> bool:
    """``later`` is strictly before ``earlier``, comparing whole days when either is a date."""
    if isinstance(later, datetime) and isinstance(earlier, datetime):
        return later < earlier
    as_day = [w.astimezone(UTC).date() if isinstance(w, datetime) else w for w in (later, earlier)]
    return as_day[0] < as_day[1]


def _day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _start_hint(start: str, value: object, was: datetime | date, earlier: datetime | date) -> str:
    """How to fix a start time that is later than what followed it: usually ``new`` set it to "now"."""
    hint = (
        f". If {start} is when the file was made (`failurelog new` sets it to now), set it to when the "
        f"incident began, at or before {value}"
    )
    if _day(earlier) != _day(was):
        hint += "; that is another day than the id's, so then run `failurelog renumber` to give the file its new id"
    return hint


def _chain_problems(doc: Document, chain: list[str]) -> list[Problem]:
    """Each filled-in field of ``chain`` is no earlier than the filled-in one before it."""
    meta = doc.meta or {}
    out: list[Problem] = []
    previous: tuple[str, datetime | date] | None = None
    for name in chain:
        when = parse_moment(value_at(meta, name))
        if when is None:
            continue
        if previous is not None and _before(when, previous[1]):
            message = (
                f"{value_at(meta, name)} is earlier than {previous[0]} "
                f"({value_at(meta, previous[0])}); times must not go backwards"
            )
            if previous[0] == chain[0]:
                message += _start_hint(previous[0], value_at(meta, name), previous[1], when)
            out.append(Problem(doc.display, line_of(doc.lines, tuple(name.split(".")), 2), name, message, "chronology"))
        previous = (name, when)
    return out


def _derive(rule: dict[str, Any], meta: dict[str, Any]) -> float | str | None:
    op, names = rule["op"], rule["of"]
    if op == "minutes_between":
        start, end = (parse_time(value_at(meta, n)) for n in names)
        return None if start is None or end is None else (end - start).total_seconds() / 60
    a, b = (number(value_at(meta, n)) for n in names)
    if a is None or b is None:
        return None
    if op == "difference":
        return a - b
    if op == "percent":
        return None if b == 0 else 100 * a / b
    if op == "yes_if_at_most":
        return "Yes" if a <= b else "No"
    raise ValueError(f"unknown x-derived op {op!r} in the schema")


def repository_problems(docs: Sequence[Document], schema: Schema) -> list[Problem]:
    """:func:`cross_problems` over loaded documents."""
    return cross_problems([facts_of(doc, schema) for doc in docs])


def cross_problems(incidents: Sequence[Facts]) -> list[Problem]:
    """Ids unique across the repository; references name incidents that exist, with the right date.

    Reads only the :class:`Facts` of each file, so a cold run (facts from the documents just checked) and a
    warm one (facts from the cache) run the same rules.
    """
    out: list[Problem] = []
    by_id: dict[str, list[Facts]] = defaultdict(list)
    for facts in incidents:
        if facts.id is not None:
            by_id[facts.id].append(facts)
    for incident_id, holders in by_id.items():
        if len(holders) < 2:
            continue
        for facts in holders:
            others = ", ".join(o.display for o in holders if o is not facts)
            out.append(
                Problem(
                    facts.display,
                    facts.id_line,
                    "id",
                    f"id {incident_id} is also used by {others} "
                    f"(renumber one: failurelog renumber {incident_id} NEW-ID)",
                    "id",
                )
            )
    for facts in incidents:
        for ref in facts.references:
            if ref.value == facts.id:
                out.append(
                    Problem(
                        facts.display,
                        ref.line,
                        dotted(ref.path),
                        "an incident cannot be related to itself",
                        "reference",
                    )
                )
            elif ref.value not in by_id:
                if ref.kept_elsewhere:
                    continue
                out.append(
                    Problem(
                        facts.display,
                        ref.line,
                        dotted(ref.path),
                        f"related incident {ref.value} does not exist in this repository "
                        "(if it is kept elsewhere, say where beside it)",
                        "reference",
                    )
                )
            else:
                target = by_id[ref.value][0]
                out.extend(_check_ref_date(facts, ref, target))
                if ref.earlier:
                    out.extend(_check_ref_earlier(facts, ref, target))
    return out


def _check_ref_earlier(facts: Facts, ref: Reference, target: Facts) -> list[Problem]:
    """A reference marked ``earlier`` names an incident that began before this one."""
    mine, theirs = facts.occurred_at, target.occurred_at
    if mine is None or theirs is None or theirs < mine:
        return []
    return [
        Problem(
            facts.display,
            ref.line,
            dotted(ref.path),
            f"{ref.value} began {'at the same moment as' if theirs == mine else 'after'} this incident; "
            "list this one in its Similar Past Incidents instead (the site shows the link from both sides)",
            "reference",
        )
    ]


def _check_ref_date(facts: Facts, ref: Reference, target: Facts) -> list[Problem]:
    """A stated date beside a reference must be the referenced incident's date."""
    occurred = target.occurred_at
    if ref.date is None or occurred is None:
        return []
    actual = occurred.date().isoformat()
    if ref.date == actual:
        return []
    where = (*ref.path[:-1], "date")
    return [
        Problem(
            facts.display,
            ref.date_line,
            dotted(where),
            f"{ref.value} occurred on {actual}, not {ref.date}",
            "reference",
        )
    ]
