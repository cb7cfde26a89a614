"""The statistics page counts time to detect and to recover as the recovery KPIs do (issue 15)."""

from __future__ import annotations

import re

from failurelog.analysis.kpis import kpis
from failurelog.core.schema import Schema
from failurelog.model.load import load_valid
from failurelog.site.context import build_context
from failurelog.site.stats_page import statistics_page
from tests.analytics_helpers import make, model_of
from tests.site_helpers import ROOT


def _chart_numbers(page: str, heading: str) -> dict[str, dict[str, str]]:
    """The Numbers table of the chart under ``## heading``: column label -> month -> cell."""
    section = page.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    table = re.search(r"<table>(.*?)</table>", section)
    assert table is not None, heading
    rows = [re.findall(r"<t[hd]>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", table.group(1))]
    labels = rows[0][1:]
    return {label: {row[0]: row[i + 1] for row in rows[1:]} for i, label in enumerate(labels)}


def _headline(page: str, title: str) -> list[tuple[str, str, str]]:
    """The headline rows of ``title``: what it averages, the value (Markdown escapes dropped), how many."""
    return [
        (match.group(1), match.group(2).replace("\\", ""), match.group(3))
        for match in re.finditer(rf"^\| {re.escape(title)} \(([^|]*)\) \| ([^|]*) \| (\d+) \|$", page, re.MULTILINE)
    ]


def test_monthly_recovery_leaves_out_drafts_and_splits_out_the_outages(schema: Schema) -> None:
    model = model_of(
        schema,
        [
            make("SYS-20260105-001", "2026-01-05T10:00:00Z", recover=10, outage=5),
            make("SYS-20260112-001", "2026-01-12T10:00:00Z", recover=30, outage=12),
            # a standby took over: a long recovery with no downtime
            make("SYS-20260120-001", "2026-01-20T10:00:00Z", recover=113, outage=0),
            make("SYS-20260125-001", "2026-01-25T10:00:00Z", recover=500, outage=60, status="draft"),
            make("SYS-20260302-001", "2026-03-02T10:00:00Z", recover=40, outage=0),
        ],
    )
    page = statistics_page(build_context(model))
    chart = _chart_numbers(page, "Total Time to Recovery")
    outages = next(v for k, v in chart.items() if k.startswith("outages only"))
    every = next(v for k, v in chart.items() if k.startswith("every reviewed incident"))
    assert outages == {"2026-01": "20", "2026-02": "—", "2026-03": "—"}
    assert every == {"2026-01": "51", "2026-02": "—", "2026-03": "40"}
    rows = _headline(page, "Total Time to Recovery")
    assert [(value, count) for _label, value, count in rows] == [("20 min", "2"), ("48.2 min", "4")]
    assert "2 of them with no outage" in rows[1][0]
    assert "**1 draft left out**" in page and "Recovery KPIs" in page


def test_the_examples_statistics_match_their_recovery_kpis() -> None:
    model = load_valid(ROOT).model
    overall = kpis(model).overall
    page = statistics_page(build_context(model))
    rows = _headline(page, "Total Time to Recovery")
    shown = [(value, int(count)) for _label, value, count in rows]
    expected = [overall.recover_with_outage, overall.recover]
    assert shown == [(f"{s.mean:.1f}".rstrip("0").rstrip(".") + " min", s.count) for s in expected if s.mean]
    assert overall.recover_no_outage > 0 and f"{overall.recover_no_outage} of them with no outage" in rows[1][0]


def _chart_svg(page: str, heading: str) -> str:
    section = page.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"<svg .*?</svg>", section)
    assert found is not None, heading
    return found.group(0)


def test_equal_recovery_lines_both_stay_visible(schema: Schema) -> None:
    """No recovery without an outage: the two lines coincide, and the one drawn later lies inside the other."""
    model = model_of(
        schema,
        [
            make("SYS-20260105-001", "2026-01-05T10:00:00Z", recover=10, outage=5),
            make("SYS-20260210-001", "2026-02-10T10:00:00Z", recover=30, outage=12),
            make("SYS-20260315-001", "2026-03-15T10:00:00Z", recover=20, outage=2),
        ],
    )
    svg = _chart_svg(statistics_page(build_context(model)), "Total Time to Recovery")
    lines = re.findall(r'<polyline points="([^"]*)" fill="none" stroke="([^"]*)" stroke-width="([^"]*)"([^/]*)/>', svg)
    assert len(lines) == 2 and lines[0][0] == lines[1][0]  # the same points, two colours
    (_p, first_color, first_width, first_rest), (_q, later_color, later_width, later_rest) = lines
    assert first_color != later_color
    assert float(later_width) < float(first_width) and "stroke-dasharray" in later_rest
    assert "stroke-dasharray" not in first_rest
    dots = re.findall(r'<circle cx="([^"]*)" cy="([^"]*)" r="([^"]*)" fill="([^"]*)">', svg)
    by_place: dict[tuple[str, str], list[float]] = {}
    for x, y, r, _fill in dots:  # in drawing order
        by_place.setdefault((x, y), []).append(float(r))
    assert len(by_place) == 3
    for radii in by_place.values():
        assert len(radii) == 2 and radii[1] < radii[0]  # the later dot inside the earlier one: a ring shows
