"""``failurelog similar ID``: the same suggestions and reasons as the incident page, as text and JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from failurelog.analysis.similar import describe
from failurelog.site.context import build_context
from failurelog.site.generate import load_model
from failurelog.site.incident_page import incident_page
from tests.cli_helpers import run_cli
from tests.site_helpers import ROOT, make_repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped examples."""
    return make_repo(tmp_path_factory.mktemp("similar") / "repo", ROOT / "incidents")


def test_json_lists_what_the_page_shows(repo: Path) -> None:
    done = run_cli(repo, "similar", "sys-20260623-001", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {
        "id",
        "title",
        "date",
        "signatures",
        "linked",
        "not_related",
        "suggestions",
        "fix_did_not_hold",
    }
    assert data["id"] == "SYS-20260623-001"
    assert {"kind": "escalation", "text": "corrected hardware errors, then uncorrectable"} in data["signatures"]
    model = load_model(repo, date.today())
    ctx = build_context(model)
    page = incident_page(ctx, model.by_id["SYS-20260623-001"])
    expected = ctx.related.suggestions["SYS-20260623-001"]
    assert [s["id"] for s in data["suggestions"]] == [s.incident.id for s in expected]
    for shown, found in zip(data["suggestions"], expected, strict=True):
        assert shown["reasons"] == describe(found.shared)
        assert f"[{found.incident.id}: " in page and f"{round(100 * found.score)}% alike" in page
    assert data["suggestions"][0]["id"] == "SYS-20250422-001"


def test_text_names_links_and_the_fix_that_did_not_hold(repo: Path) -> None:
    done = run_cli(repo, "similar", "SYS-20250709-001")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("SYS-20250709-001  2025-07-09  Solarflare X2522")
    assert "  names SYS-20250318-001  " in out and "  named by SYS-20260122-001  " in out
    assert "The fix did not hold:" in out
    assert "SYS-20250709-001 -> SYS-20260122-001 (same recurring cluster) after: Upgrade every X2522 in NY4" in out


@pytest.mark.parametrize(
    ("ident", "status", "message"),
    [("SYS-20990101-001", 1, "no valid incident SYS-20990101-001"), ("nope", 2, "'nope' is not an incident id")],
)
def test_unknown_and_malformed_ids(repo: Path, ident: str, status: int, message: str) -> None:
    done = run_cli(repo, "similar", ident)
    assert done.returncode == status and message in done.stderr and "Traceback" not in done.stderr
