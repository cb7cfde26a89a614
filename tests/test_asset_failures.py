"""Which assets failed in an incident: the affected asset's own ``failed`` field, else the Primary one.

The field is named by the ``x-primary`` annotation (``failed``), never in code: a Pair Member that
panicked with the Primary counts as a failure of its host and of the versions it runs; a standby
that took over does not; a Primary stated not to have failed does not.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from failurelog.analysis.assets import AssetReport, asset_report
from failurelog.core.schema import Schema
from failurelog.model.load import load_valid
from failurelog.site.asset_pages import asset_history_page
from failurelog.site.context import build_context
from tests.analytics_helpers import make, model_of
from tests.cli_helpers import run_cli
from tests.site_helpers import ROOT, make_repo


def _incident(ident: str, when: str, assets: list[dict[str, Any]], recover: float = 30) -> Any:
    return make(ident, when, recover=recover, outage=10, extra={"assets": assets})


def _report(schema: Schema) -> AssetReport:
    incidents = [
        _incident(  # both gateways of the pair panicked on the same kernel
            "SYS-20260301-001",
            "2026-03-01T09:00:00Z",
            [
                {"name": "gw-a", "role": "Primary", "kernel": "k-new"},
                {"name": "gw-b", "role": "Pair Member", "failed": True, "kernel": "k-new"},
                {"name": "gw-standby", "role": "Standby", "kernel": "k-old"},
            ],
        ),
        _incident(  # the pair member took over: it did not fail
            "SYS-20260310-001",
            "2026-03-10T09:00:00Z",
            [{"name": "gw-a", "role": "Primary"}, {"name": "gw-b", "role": "Pair Member", "kernel": "k-new"}],
        ),
        _incident(  # the standby failed to take over, and says so
            "SYS-20260320-001",
            "2026-03-20T09:00:00Z",
            [{"name": "gw-c", "role": "Primary"}, {"name": "gw-standby", "role": "Standby", "failed": True}],
        ),
        _incident(  # a false alarm: the Primary did not fail after all
            "SYS-20260325-001",
            "2026-03-25T09:00:00Z",
            [{"name": "gw-b", "role": "Primary", "failed": False, "kernel": "k-new"}],
        ),
    ]
    return asset_report(model_of(schema, incidents, today=date(2026, 3, 31)))


def _failures(report: AssetReport, kind: str, name: str) -> list[str]:
    history = next(h for h in report.histories if h.kind.kind == kind and h.name == name)
    return [i.id for i in history.failures]


def test_a_pair_member_that_failed_counts_and_one_that_took_over_does_not(schema: Schema) -> None:
    report = _report(schema)
    assert _failures(report, "host", "gw-b") == ["SYS-20260301-001"]
    assert _failures(report, "host", "gw-a") == ["SYS-20260301-001", "SYS-20260310-001"]
    assert _failures(report, "host", "gw-standby") == ["SYS-20260320-001"]
    assert _failures(report, "host", "gw-c") == ["SYS-20260320-001"]
    assert _failures(report, "kernel", "k-new") == ["SYS-20260301-001"]  # two failed hosts, one incident
    assert _failures(report, "kernel", "k-old") == []
    gw_b = report.named("gw-b")[0]
    assert [(o.roles, o.failed) for o in gw_b.occurrences] == [
        (("Pair Member",), True),
        (("Pair Member",), False),
        (("Primary",), False),
    ]
    assert gw_b.recovery.every.count == 1 and gw_b.as_dict()["failures"] == 1


def test_the_failed_field_is_read_from_the_schema(schema: Schema) -> None:
    """Renamed in a copy of the schema (and its ``x-primary``), the field still decides."""
    raw = copy.deepcopy(schema.raw)
    items = raw["properties"]["assets"]["items"]["properties"]
    items["broke"] = items.pop("failed")
    raw["properties"]["assets"]["x-primary"]["failed"] = "broke"
    renamed = Schema(raw)
    incidents = [
        _incident(
            "SYS-20260301-001",
            "2026-03-01T09:00:00Z",
            [{"name": "gw-a", "role": "Primary"}, {"name": "gw-b", "role": "Pair Member", "broke": True}],
        ),
        _incident(
            "SYS-20260302-001",
            "2026-03-02T09:00:00Z",
            [{"name": "gw-a", "role": "Primary"}, {"name": "gw-c", "role": "Pair Member", "failed": True}],
        ),
    ]
    report = asset_report(model_of(renamed, incidents, today=date(2026, 3, 31)))
    assert _failures(report, "host", "gw-b") == ["SYS-20260301-001"]
    assert _failures(report, "host", "gw-c") == []  # "failed" means nothing to this schema


def test_the_asset_page_counts_the_pair_member_and_says_why(schema: Schema) -> None:
    report = _report(schema)
    ctx = build_context(model_of(schema, [o.incident for o in report.named("gw-b")[0].occurrences]))
    page = asset_history_page(ctx, ctx.assets.named("gw-b")[0])
    assert "- **Failures:** 1 (incidents naming it: 3)" in page
    assert "| failed (Pair Member) |" in page and "| involved (Pair Member) |" in page
    assert "| involved (Primary) |" in page
    assert "the affected asset's *Failed Itself* says so, or, not stated, it is the Primary one" in page


def test_the_examples_count_both_panicked_gateways(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", ROOT / "incidents")
    report = asset_report(load_valid(repo).model)
    assert "SYS-20260304-001" in _failures(report, "host", "md-gw-04")  # the pair member panicked too
    assert "SYS-20260122-001" not in _failures(report, "host", "md-gw-12")  # in maintenance, took over
    result = run_cli(repo, "assets", "md-gw-04", "--format", "json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)["assets"][0]
    assert {"id": "SYS-20260304-001", "date": "2026-03-04", "roles": ["Pair Member"], "failed": True} in shown[
        "incidents"
    ]


@pytest.mark.parametrize("stated", ["yes", 1, "true"])
def test_a_failed_that_is_not_a_yes_or_no_is_a_validation_problem(tmp_path: Path, stated: object) -> None:
    repo = make_repo(tmp_path / "repo", ROOT / "incidents")
    path = repo / "incidents" / "2026" / "SYS-20260304-001.md"
    text = path.read_text(encoding="utf-8").replace("    failed: true\n", f"    failed: {json.dumps(stated)}\n", 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli(repo, "validate", str(path))
    assert result.returncode == 1
    assert "SYS-20260304-001.md:" in result.stdout and "assets[1].failed" in result.stdout, result.stdout
