"""Summary figures shared by the analyses: percentiles, a summary of durations, the time-to-recover split."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from failurelog.core.annotations import get as annotation
from failurelog.core.schema import Field


def percentile(values: list[float], share: float) -> float | None:
    """The ``share`` (0..1) percentile by linear interpolation between the closest ranks; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Summary:
    """How many values, their median, 90th percentile and mean (None when there are none)."""

    count: int
    p50: float | None
    p90: float | None
    mean: float | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"count": self.count, "p50": self.p50, "p90": self.p90, "mean": self.mean}


def summarise(values: Iterable[float | None]) -> Summary:
    """The :class:`Summary` of the values that are not None."""
    known = [v for v in values if v is not None]
    if not known:
        return Summary(0, None, None, None)
    return Summary(len(known), percentile(known, 0.5), percentile(known, 0.9), fmean(known))


@dataclass(frozen=True)
class Recovery:
    """Time to recover over every incident stating it and, apart, over the outages only (downtime above 0).

    A long recovery with no downtime (a standby took over, trading went on) is not an outage's recovery:
    every figure of time to recover (KPIs, asset histories, pattern pages) is split by this one rule.
    """

    every: Summary
    outages: Summary
    no_outage: int  # recoveries counted in ``every`` whose downtime is 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: the keys the KPIs' groups print too."""
        return {
            "time_to_recover_min": self.every.as_dict(),
            "time_to_recover_with_outage_min": self.outages.as_dict(),
            "recoveries_without_outage": self.no_outage,
        }


def recovery_split(figures: Iterable[tuple[float | None, float | None]]) -> Recovery:
    """The :class:`Recovery` of (time to recover, downtime) pairs; a downtime not stated is no outage's."""
    pairs = list(figures)
    return Recovery(
        every=summarise(r for r, _d in pairs),
        outages=summarise(r for r, d in pairs if d is not None and d > 0),
        no_outage=sum(1 for r, d in pairs if r is not None and d == 0),
    )


def good_choices(spec: Field | None) -> frozenset[str]:
    """The choices of ``spec`` its ``x-tone`` marks ``good`` (a met SLA, a passed test)."""
    if spec is None:
        return frozenset()
    tones = annotation(spec.schema, "x-tone", {})
    return frozenset(str(k) for k, v in tones.items() if v == "good") if isinstance(tones, dict) else frozenset()
