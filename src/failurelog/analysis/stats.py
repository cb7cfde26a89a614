"""Statistics over time: incidents per month by severity and every ``x-stat`` field per month.

The fields the recovery KPIs read (time to detect, to recover) are charted as
the KPIs count them (:func:`failurelog.analysis.kpis.monthly`), not re-averaged here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from statistics import fmean

from failurelog.analysis.kpis import Line, monthly
from failurelog.core import roles
from failurelog.core.gcpause import gc_paused
from failurelog.core.schema import Field
from failurelog.model.incident import Model


def month_range(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


@dataclass
class Series:
    """One ``x-stat`` field per month, plus its overall figure."""

    field: Field
    kind: str  # sum, mean or share
    by_month: dict[str, float] = dataclass_field(default_factory=dict)  # sum/mean: value per month with data
    shares: dict[str, dict[str, int]] = dataclass_field(default_factory=dict)  # share: month -> value -> count
    total: float | None = None  # sum: total; mean: overall mean
    known: int = 0  # incidents with a value
    overall_shares: dict[str, int] = dataclass_field(default_factory=dict)


@dataclass
class Statistics:
    """Everything the statistics page charts."""

    months: list[str]
    severities: list[str]
    per_month_severity: dict[str, dict[str, int]]
    series: list[Series]
    count: int
    # the KPI fields (time to detect, to recover) by field name: their figures as the KPIs count them
    kpi_lines: dict[str, list[Line]] = dataclass_field(default_factory=dict)
    drafts_left_out: int = 0


def _series(model: Model, spec: Field, kind: str) -> Series:
    out = Series(field=spec, kind=kind)
    if kind == "share":
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        overall: Counter[str] = Counter()
        for incident in model.incidents:
            value = incident.value(spec.name)
            if value is None or isinstance(value, (list, dict)):
                continue
            counts[incident.month][str(value)] += 1
            overall[str(value)] += 1
        out.shares = {m: dict(c) for m, c in sorted(counts.items())}
        order = roles.choice_order(spec)
        out.overall_shares = dict(sorted(overall.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
        out.known = sum(overall.values())
        return out
    values: dict[str, list[float]] = defaultdict(list)
    for incident in model.incidents:
        number = incident.number(spec.name)
        if number is not None:
            values[incident.month].append(number)
    every = [v for vs in values.values() for v in vs]
    out.known = len(every)
    if kind == "sum":
        out.by_month = {m: sum(vs) for m, vs in sorted(values.items())}
        out.total = sum(every) if every else None
    else:
        out.by_month = {m: fmean(vs) for m, vs in sorted(values.items())}
        out.total = fmean(every) if every else None
    return out


@gc_paused()
def statistics(model: Model) -> Statistics:
    """Monthly figures for the statistics page."""
    months = month_range(model.incidents[-1].month, model.incidents[0].month) if model.incidents else []
    spec = model.schema.field("severity")
    severities = list(spec.choices or []) if spec else []
    per_month: dict[str, dict[str, int]] = {m: {} for m in months}
    for incident in model.incidents:
        bucket = per_month[incident.month]
        bucket[incident.severity] = bucket.get(incident.severity, 0) + 1
        if incident.severity not in severities:
            severities.append(incident.severity)
    series = [_series(model, f, kind) for f, kind in roles.stat_fields(model.schema)]
    lines, drafts = monthly(model)
    names = model.role_names
    return Statistics(
        months=months,
        severities=severities,
        per_month_severity=per_month,
        series=series,
        count=len(model.incidents),
        kpi_lines={names[role]: kpi for role, kpi in lines.items() if role in names},
        drafts_left_out=drafts,
    )
