"""Follow-through on actions: overdue with their age, completed without verification, flags; the actions command."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from failurelog.analysis.actions import ActionEntry, ActionKey
from failurelog.analysis.followthrough import follow_through
from failurelog.analysis.report import actions_json
from failurelog.core.schema import Schema
from failurelog.model.incident import Model
from failurelog.model.load import load_valid
from failurelog.site.context import build_context
from failurelog.site.report_pages import actions_page
from tests.analytics_helpers import front_matter, make, model_of
from tests.cli_helpers import run_cli
from tests.conftest import corpus_copy

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def corpus(built_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_copy(built_corpus, tmp_path_factory, "followthrough")


@pytest.fixture(scope="module")
def corpus_model(corpus: Path) -> Model:
    """The corpus loaded and validated once, as of TODAY, for the tests that only read it."""
    return load_valid(corpus, TODAY).model


def _from_files(repo: Path) -> tuple[int, int]:
    """(overdue, completed without verification) counted from the files themselves, as of TODAY."""
    overdue = unverified = 0
    for path in (repo / "incidents").rglob("*.md"):
        data = front_matter(path)
        items = [(a, "due") for a in data.get("action_items", [])]
        items += [(a, "target_date") for a in (data.get("prevention") or {}).get("immediate_actions", [])]
        for item, due in items:
            if item.get("status") == "Completed":
                unverified += not item.get("verified_by")
            elif item.get(due) and date.fromisoformat(item[due]) < TODAY:
                overdue += 1
    return overdue, unverified


def test_counts_match_the_files(corpus: Path, corpus_model: Model) -> None:
    model = corpus_model
    report = follow_through(model)
    assert (len(report.overdue), len(report.unverified)) == _from_files(corpus)
    assert report.overdue, "the corpus must have overdue actions"
    ages = [e.age_days or 0 for e in report.overdue]
    assert ages == sorted(ages, reverse=True)  # oldest first
    for entry in report.overdue:
        assert entry.due is not None and entry.age_days == (TODAY - entry.due).days > 0


def test_owner_filter_is_case_blind(corpus_model: Model) -> None:
    model = corpus_model
    every = follow_through(model)
    owner = every.overdue[0].owner
    mine = follow_through(model, owner=owner.upper())
    assert mine.overdue and all(e.owner == owner for e in [*mine.overdue, *mine.open, *mine.unverified])
    assert len(mine.overdue) == sum(1 for e in every.overdue if e.owner == owner)


def test_verified_and_due_today_are_not_flagged(schema: Schema) -> None:
    actions = [
        {
            "action": "a",
            "owner": "Ann",
            "due": "2026-11-30",
            "status": "Completed",
            "priority": "High",
            "verified_by": "Bo",
            "evidence": "test run 42",
        },
        {"action": "b", "owner": "Ann", "due": "2026-12-01", "status": "Open", "priority": "High"},
        {"action": "c", "owner": "Ann", "due": "2026-11-01", "status": "Completed", "priority": "Low"},
    ]
    incident = make("SYS-20261101-001", "2026-11-01T10:00:00Z", extra={"action_items": actions})
    report = follow_through(model_of(schema, [incident], TODAY))
    assert report.overdue == []  # due today is not overdue
    assert [e.text for e in report.unverified] == ["c"]
    assert [e.text for e in report.open] == ["b"]


def test_a_flagger_marks_actions_on_the_page_and_in_json(schema: Schema) -> None:
    """The place left for "the fix did not hold": a flagger's texts reach the page and the JSON."""
    actions = [
        {"action": "replace the DIMM", "owner": "Ann", "due": "2026-10-01", "status": "Completed", "priority": "High"}
    ]
    incident = make("SYS-20261001-001", "2026-10-01T10:00:00Z", extra={"action_items": actions})
    model = model_of(schema, [incident], TODAY)

    def held(_model: Model, entries: list[ActionEntry]) -> dict[ActionKey, list[str]]:
        return {e.key: ["the fix did not hold: SYS-20261120-001"] for e in entries if e.done}

    report = follow_through(model, flaggers=[held])
    assert report.flags_of(report.unverified[0]) == ["the fix did not hold: SYS-20261120-001"]
    data = json.loads(actions_json(report))
    assert data["unverified"][0]["flags"] == ["the fix did not hold: SYS-20261120-001"]
    assert "Completed without verification (1)" in actions_page(build_context(model))


def test_actions_command(corpus: Path) -> None:
    done = run_cli(corpus, "actions", "--overdue", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"today", "owner", "overdue"} and data["overdue"]
    first = data["overdue"][0]
    assert first["age_days"] > 0 and first["overdue"] is True and first["flags"] == []
    owner = first["owner"]
    text = run_cli(corpus, "actions", "--owner", owner.lower())
    assert text.returncode == 0, text.stderr
    assert f"Actions of {owner.lower()} as of" in text.stdout and "days overdue" in text.stdout
    assert "Completed without verification" in text.stdout
    listed = [line for line in text.stdout.splitlines() if line.startswith("  ") and "SYS-" in line]
    assert listed and all(owner in line for line in listed)
