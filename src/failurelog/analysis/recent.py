"""What is wrong now: open incidents, and the last days against the days before them.

Pure functions of the model for the home page (and anything else that asks):
the figures compared are the incident count and every ``x-stat: sum`` field
(downtime, orders lost, money lost in the shipped schema), so a summed field
a team adds is compared too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from failurelog.core import roles
from failurelog.core.schema import Field
from failurelog.model.incident import Incident, Model

#: Length of the compared windows, in days.
WINDOW_DAYS = 90


@dataclass(frozen=True)
class Compared:
    """One figure over the last window and the window before it."""

    title: str
    field: Field | None  # None for the incident count
    current: float
    previous: float
    known: int  # incidents of the last window with a value (all of them for the count)


@dataclass(frozen=True)
class Windows:
    """The two windows compared: ``[previous_start, current_start)`` and ``[current_start, end)``."""

    previous_start: datetime
    current_start: datetime
    end: datetime

    def current(self, incident: Incident) -> bool:
        """Whether the incident began in the last window."""
        return self.current_start <= incident.occurred_at < self.end

    def previous(self, incident: Incident) -> bool:
        """Whether the incident began in the window before."""
        return self.previous_start <= incident.occurred_at < self.current_start


def windows(model: Model, days: int = WINDOW_DAYS) -> Windows:
    """The last ``days`` days up to the end of the build date, and the ``days`` before them."""
    end = datetime.combine(model.today + timedelta(days=1), time(), UTC)
    return Windows(end - timedelta(days=2 * days), end - timedelta(days=days), end)


def compare(model: Model, days: int = WINDOW_DAYS) -> tuple[Windows, list[Compared]]:
    """The incident count and every summed figure, over the last ``days`` days and the ``days`` before."""
    span = windows(model, days)
    now = [i for i in model.incidents if span.current(i)]
    before = [i for i in model.incidents if span.previous(i)]
    out = [Compared("Incidents", None, float(len(now)), float(len(before)), len(now))]
    for spec, kind in roles.stat_fields(model.schema):
        if kind != "sum":
            continue
        current = [v for v in (i.number(spec.name) for i in now) if v is not None]
        previous = [v for v in (i.number(spec.name) for i in before) if v is not None]
        out.append(Compared(spec.title, spec, sum(current), sum(previous), len(current)))
    return span, out


def open_incidents(model: Model) -> dict[str, list[Incident]]:
    """Incidents not at the last stage of the lifecycle, by status in lifecycle order (newest first)."""
    stages = model.schema.statuses
    final = stages[-1] if stages else None
    out: dict[str, list[Incident]] = {s: [] for s in stages if s != final}
    for incident in model.incidents:
        if incident.status != final:
            out.setdefault(incident.status, []).append(incident)
    return {status: items for status, items in out.items() if items}
