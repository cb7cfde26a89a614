"""Time to recover split one way everywhere: over every incident stating it and over the outages only.

A 113-minute recovery with no downtime (a standby took over) is no outage's recovery: the recovery KPIs,
the asset histories and the pattern pages all read it through ``figures.recovery_split`` and say which
figure they show.
"""

from __future__ import annotations

from datetime import date

import pytest

from failurelog.analysis.assets import asset_report
from failurelog.analysis.figures import recovery_split
from failurelog.analysis.kpis import kpis
from failurelog.analysis.patterns import pattern_indexes
from failurelog.core.schema import Schema
from failurelog.model.incident import Model
from failurelog.site.asset_pages import asset_history_page
from failurelog.site.context import build_context
from failurelog.site.index_pages import field_index, value_page_text
from tests.analytics_helpers import make, model_of


@pytest.fixture
def model(schema: Schema) -> Model:
    """One host: a 113-minute recovery with no downtime, two outages (10 and 20 minutes to recover)."""
    return model_of(
        schema,
        [
            make("SYS-20260401-001", "2026-04-01T09:00:00Z", host="gw-split", recover=113, outage=0),
            make("SYS-20260402-001", "2026-04-02T09:00:00Z", host="gw-split", recover=10, outage=5),
            make("SYS-20260403-001", "2026-04-03T09:00:00Z", host="gw-split", recover=20, outage=8),
            make("SYS-20260404-001", "2026-04-04T09:00:00Z", host="gw-split", recover=7),  # downtime not stated
        ],
        today=date(2026, 4, 30),
    )


def test_the_split_keeps_unstated_downtime_out_of_the_outages() -> None:
    split = recovery_split([(113, 0), (10, 5), (20, 8), (7, None), (None, 3)])
    assert split.every.count == 4 and split.every.mean == pytest.approx(150 / 4)
    assert (split.outages.count, split.outages.mean) == (2, 15)
    assert split.no_outage == 1


def test_asset_and_pattern_figures_are_the_kpis_figures(model: Model) -> None:
    overall = kpis(model).overall
    assert overall.recover_with_outage.mean == 15 and overall.recover_no_outage == 1
    history = asset_report(model).named("gw-split")[0]
    hosts = next(i for i in pattern_indexes(model) if i.field.name == "assets[].name")
    value = next(v for v in hosts.values if v.value == "gw-split")
    for split in (history.recovery, value.recovery):
        assert split.outages == overall.recover_with_outage
        assert split.every == overall.recover
        assert split.no_outage == overall.recover_no_outage
    assert history.as_dict()["time_to_recover_with_outage_min"]["mean"] == 15
    assert history.as_dict()["recoveries_without_outage"] == 1


def test_asset_and_pattern_pages_label_what_they_average(model: Model) -> None:
    ctx = build_context(model)
    history = ctx.assets.named("gw-split")[0]
    page = asset_history_page(ctx, history)
    assert "**Time to recover, outages only (downtime above 0):** mean 15 min, p90 19 min (of 2 failures)" in page
    assert "**Time to recover, every failure stating it:** mean 37.5 min" in page
    assert "(of 4 failures, 1 with no outage)" in page
    hosts = next(i for i in ctx.patterns if i.field.name == "assets[].name")
    value = next(v for v in hosts.values if v.value == "gw-split")
    text = value_page_text(ctx, hosts, value)
    assert "| Mean time to recover, outages only | Mean time to recover, all stating it |" in text
    assert r"| 15 min (from 2 of 4) | 37\.5 min, 1 with no outage |" in text
    row = next(line for line in field_index(ctx, hosts).splitlines() if "gw-split" in line)
    assert "<td>15 min</td> <td>37.5 min</td>" in row
