"""Recovery KPIs: time to detect, to recover and to close (p50, p90, mean) by a breakdown, and SLA/RTO met rate.

Drafts are left out (the first status of the schema's lifecycle: nobody has
checked their figures yet) and counted, so a page or a command can say so.
Every figure names how many incidents it averages over; time to recover is
given over every incident that states it and, apart, over those with an
outage (a long recovery with no downtime is not an outage's recovery).
The fields come from ``x-role``: ``time_to_detect``, ``time_to_recover``,
``outage``, ``closed_at``, ``sla_met`` (met = the choice whose ``x-tone`` is
good), ``component`` and ``trigger``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from failurelog.analysis.figures import Summary, good_choices, recovery_split, summarise
from failurelog.core import roles
from failurelog.core.gcpause import gc_paused
from failurelog.core.values import parse_time
from failurelog.model.incident import Incident, Model

#: The breakdowns offered (``--by``); component and trigger are read through their ``x-role``.
BREAKDOWNS = ("severity", "component", "trigger", "quarter")
#: The group of incidents that do not state the value broken down by.
NOT_STATED = "(not stated)"
#: The breakdown by ``YYYY-MM`` of the start: the statistics page's monthly charts (not a ``--by`` choice).
MONTH = "month"
SECONDS_PER_DAY = 86400.0


@dataclass
class Group:
    """The recovery figures of one group of incidents (one severity, one quarter...)."""

    key: str
    incidents: int = 0
    detect: Summary = field(default_factory=lambda: summarise([]))
    recover: Summary = field(default_factory=lambda: summarise([]))
    recover_with_outage: Summary = field(default_factory=lambda: summarise([]))
    recover_no_outage: int = 0  # recoveries counted in ``recover`` whose outage is 0
    close: Summary = field(default_factory=lambda: summarise([]))
    sla_known: int = 0
    sla_met: int = 0

    @property
    def sla_rate(self) -> float | None:
        """Share of the incidents stating it whose SLA/RTO was met (0..1), or None."""
        return self.sla_met / self.sla_known if self.sla_known else None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "key": self.key,
            "incidents": self.incidents,
            "time_to_detect_min": self.detect.as_dict(),
            "time_to_recover_min": self.recover.as_dict(),
            "time_to_recover_with_outage_min": self.recover_with_outage.as_dict(),
            "recoveries_without_outage": self.recover_no_outage,
            "time_to_close_days": self.close.as_dict(),
            "sla": {"known": self.sla_known, "met": self.sla_met, "rate": self.sla_rate},
        }


@dataclass
class Kpis:
    """The overall figures and one group per value of the breakdown."""

    by: str
    overall: Group
    groups: list[Group]
    drafts_left_out: int
    since: date | None = None
    until: date | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (the shape ``failurelog stats --format json`` prints)."""
        return {
            "by": self.by,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "drafts_left_out": self.drafts_left_out,
            "overall": self.overall.as_dict(),
            "groups": [g.as_dict() for g in self.groups],
        }


def quarter(incident: Incident) -> str:
    """``YYYY-Qn`` of the incident's UTC start."""
    return f"{incident.occurred_at.year:04d}-Q{(incident.occurred_at.month - 1) // 3 + 1}"


def time_to_close_days(model: Model, incident: Incident) -> float | None:
    """Days from the incident's start to its closing time (the ``closed_at`` role), or None."""
    name = model.role_names.get("closed_at")
    closed = parse_time(incident.value(name)) if name else None
    if closed is None:
        return None
    return max(0.0, (closed - incident.occurred_at).total_seconds() / SECONDS_PER_DAY)


@dataclass(frozen=True)
class _Figures:
    """One incident's recovery figures, read once however many groups it falls in."""

    detect: float | None
    recover: float | None
    outage: float | None
    close: float | None
    sla: str | None


def _figures(model: Model, incidents: list[Incident]) -> dict[int, _Figures]:
    sla = model.role_names.get("sla_met")
    out = {}
    for i in incidents:
        answer = i.value(sla) if sla else None
        out[id(i)] = _Figures(
            model.time_to_detect(i),
            model.time_to_recover(i),
            model.downtime(i),
            time_to_close_days(model, i),
            None if answer is None else str(answer),
        )
    return out


def _keys(model: Model, by: str) -> tuple[Callable[[Incident], list[str]], dict[str, int]]:
    """How to read the breakdown's values of an incident, and their order (schema choice order)."""
    if by == "quarter":
        return (lambda i: [quarter(i)]), {}
    if by == MONTH:
        return (lambda i: [i.month]), {}
    if by == "severity":
        return (lambda i: [i.severity]), dict(model.severity_order)
    spec = roles.role(model.schema, by)
    if spec is None:
        return (lambda _i: []), {}
    name = spec.name
    return (lambda i: [str(v) for v in i.values(name)]), roles.choice_order(spec)


def _fill(group: Group, figures: list[_Figures], met: frozenset[str]) -> Group:
    group.incidents = len(figures)
    group.detect = summarise(f.detect for f in figures)
    split = recovery_split((f.recover, f.outage) for f in figures)
    group.recover, group.recover_with_outage, group.recover_no_outage = split.every, split.outages, split.no_outage
    group.close = summarise(f.close for f in figures)
    group.sla_known = sum(1 for f in figures if f.sla is not None)
    group.sla_met = sum(1 for f in figures if f.sla is not None and f.sla in met)
    return group


def reviewed(model: Model, since: date | None = None, until: date | None = None) -> tuple[list[Incident], int]:
    """The incidents past the first status started within [since, until], and how many drafts were left out."""
    statuses = model.schema.statuses
    draft = statuses[0] if statuses else None
    chosen = [
        i
        for i in model.incidents
        if (since is None or i.occurred_at.date() >= since) and (until is None or i.occurred_at.date() <= until)
    ]
    kept = [i for i in chosen if i.status != draft]
    return kept, len(chosen) - len(kept)


def kpis(model: Model, by: str = "severity", since: date | None = None, until: date | None = None) -> Kpis:
    """The recovery KPIs of the reviewed incidents started within [since, until], broken down ``by``."""
    return every_breakdown(model, (by,), since, until)[0]


@gc_paused()
def every_breakdown(
    model: Model, breakdowns: tuple[str, ...] = BREAKDOWNS, since: date | None = None, until: date | None = None
) -> list[Kpis]:
    """:func:`kpis` for each breakdown, the incidents' figures read once."""
    unknown = [by for by in breakdowns if by not in (*BREAKDOWNS, MONTH)]
    if unknown:
        raise ValueError(f"unknown breakdown {unknown[0]!r}; choose one of {', '.join(BREAKDOWNS)}")
    incidents, drafts = reviewed(model, since, until)
    figures = _figures(model, incidents)
    met = good_choices(roles.role(model.schema, "sla_met"))
    overall = _fill(Group("all"), list(figures.values()), met)
    return [_breakdown(model, by, incidents, figures, met, overall, drafts, since, until) for by in breakdowns]


def _breakdown(
    model: Model,
    by: str,
    incidents: list[Incident],
    figures: dict[int, _Figures],
    met: frozenset[str],
    overall: Group,
    drafts: int,
    since: date | None,
    until: date | None,
) -> Kpis:
    read, order = _keys(model, by)
    members: dict[str, list[_Figures]] = defaultdict(list)
    for incident in incidents:
        for key in dict.fromkeys(read(incident)) or [NOT_STATED]:
            members[key].append(figures[id(incident)])
    keys = sorted(members, key=lambda k: (k == NOT_STATED, order.get(k, len(order)), k))
    return Kpis(
        by=by,
        overall=overall,
        groups=[_fill(Group(k), members[k], met) for k in keys],
        drafts_left_out=drafts,
        since=since,
        until=until,
    )


@dataclass(frozen=True)
class Line:
    """One figure of a KPI charted per month: what it averages, each month's summary and the overall one."""

    label: str
    by_month: dict[str, Summary]
    overall: Summary


def monthly(model: Model) -> tuple[dict[str, list[Line]], int]:
    """The KPI figures per month, keyed by the ``x-role`` of their field, and the drafts left out.

    The same rule as the KPIs: drafts left out; time to recover over every
    incident stating it and, apart, over the outages only (downtime above 0).
    """
    result = every_breakdown(model, (MONTH,))[0]
    groups = {g.key: g for g in result.groups}

    def line(label: str, read: Callable[[Group], Summary]) -> Line:
        return Line(label, {k: read(g) for k, g in groups.items()}, read(result.overall))

    no_outage = result.overall.recover_no_outage
    lines = {
        "time_to_detect": [line("every reviewed incident stating it", lambda g: g.detect)],
        "time_to_recover": [
            line("outages only: downtime above 0", lambda g: g.recover_with_outage),
            line(f"every reviewed incident stating it, {no_outage} of them with no outage", lambda g: g.recover),
        ],
    }
    return lines, result.drafts_left_out
