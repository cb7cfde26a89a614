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

from failurelog.analysis.figures import Summary, good_choices, summarise
from failurelog.core import roles
from failurelog.core.values import parse_time
from failurelog.model.incident import Incident, Model

#: The breakdowns offered (``--by``); component and trigger are read through their ``x-role``.
BREAKDOWNS = ("severity", "component", "trigger", "quarter")
#: The group of incidents that do not state the value broken down by.
NOT_STATED = "(not stated)"
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
    spec = roles.role(model.schema, "closed_at")
    closed = parse_time(incident.value(spec.name)) if spec else None
    if closed is None:
        return None
    return max(0.0, (closed - incident.occurred_at).total_seconds() / SECONDS_PER_DAY)


def _keys(model: Model, by: str) -> tuple[Callable[[Incident], list[str]], dict[str, int]]:
    """How to read the breakdown's values of an incident, and their order (schema choice order)."""
    if by == "quarter":
        return (lambda i: [quarter(i)]), {}
    if by == "severity":
        return (lambda i: [i.severity]), dict(model.severity_order)
    spec = roles.role(model.schema, by)
    if spec is None:
        return (lambda _i: []), {}
    name = spec.name
    return (lambda i: [str(v) for v in i.values(name)]), roles.choice_order(spec)


def _fill(model: Model, group: Group, incidents: list[Incident]) -> Group:
    sla = roles.role(model.schema, "sla_met")
    met = good_choices(sla)
    group.incidents = len(incidents)
    group.detect = summarise(model.time_to_detect(i) for i in incidents)
    recoveries = [(model.time_to_recover(i), model.downtime(i)) for i in incidents]
    group.recover = summarise(r for r, _d in recoveries)
    group.recover_with_outage = summarise(r for r, d in recoveries if d is not None and d > 0)
    group.recover_no_outage = sum(1 for r, d in recoveries if r is not None and d == 0)
    group.close = summarise(time_to_close_days(model, i) for i in incidents)
    answers = [i.value(sla.name) for i in incidents] if sla else []
    group.sla_known = sum(1 for a in answers if a is not None)
    group.sla_met = sum(1 for a in answers if a is not None and str(a) in met)
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
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}; choose one of {', '.join(BREAKDOWNS)}")
    incidents, drafts = reviewed(model, since, until)
    read, order = _keys(model, by)
    members: dict[str, list[Incident]] = defaultdict(list)
    for incident in incidents:
        for key in dict.fromkeys(read(incident)) or [NOT_STATED]:
            members[key].append(incident)
    keys = sorted(members, key=lambda k: (k == NOT_STATED, order.get(k, len(order)), k))
    return Kpis(
        by=by,
        overall=_fill(model, Group("all"), incidents),
        groups=[_fill(model, Group(k), members[k]) for k in keys],
        drafts_left_out=drafts,
        since=since,
        until=until,
    )
