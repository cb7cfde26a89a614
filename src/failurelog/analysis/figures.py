"""Summary figures shared by the analyses: percentiles, a summary of durations, a window's length."""

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


def good_choices(spec: Field | None) -> frozenset[str]:
    """The choices of ``spec`` its ``x-tone`` marks ``good`` (a met SLA, a passed test)."""
    if spec is None:
        return frozenset()
    tones = annotation(spec.schema, "x-tone", {})
    return frozenset(str(k) for k, v in tones.items() if v == "good") if isinstance(tones, dict) else frozenset()
