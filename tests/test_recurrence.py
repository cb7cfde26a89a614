"""The fix did not hold (recurrence after completed actions) and stated recurrence against the computed clusters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from failurelog.analysis.actions import all_actions
from failurelog.analysis.recurrence import completion, disagreements, fix_did_not_hold, flagger, recurrences
from failurelog.analysis.related import related
from failurelog.model.incident import Model
from failurelog.site.context import build_context
from failurelog.site.generate import load_model
from failurelog.site.incident_page import incident_page
from failurelog.site.report_pages import related_page
from tests.site_helpers import ROOT, make_repo

TODAY = date(2026, 12, 1)
FIRST, SECOND, THIRD = "SYS-20250318-001", "SYS-20250709-001", "SYS-20260122-001"
CABLE = "Send the removed DAC cable to Amphenol for failure analysis."


@pytest.fixture(scope="module")
def examples() -> Model:
    """The shipped example incidents."""
    return load_model(ROOT, TODAY)


def test_the_x2522_recurrences_after_done_actions(examples: Model) -> None:
    found = {(r.earlier.id, r.later.id): r for r in recurrences(examples)}
    assert set(found) == {(FIRST, SECOND), (SECOND, THIRD)}  # the first recurrence after each one's fixes
    first = found[(FIRST, SECOND)]
    assert first.reason == "same recurring cluster"
    assert CABLE in {f.entry.text for f in first.fixes}
    assert all(f.dated_by == "due" and f.on < first.later.occurred_at.date() for f in first.fixes)


def test_flags_name_the_later_incident_on_the_earlier_ones_actions(examples: Model) -> None:
    actions = all_actions(examples)
    flags = flagger(related(examples))(examples, actions)
    assert flags == fix_did_not_hold(examples, actions)
    cable = next(a for a in actions if a.text == CABLE)
    assert flags[(FIRST, cable.source.field.name, cable.index)] == [
        f"the fix did not hold: {SECOND} on 2025-07-09 (same recurring cluster)"
    ]
    assert not any(key[0] == THIRD for key in flags)  # nothing recurred after the third


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_completion_date_after_the_recurrence_is_no_flag(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", ROOT / "incidents")
    first = repo / "incidents" / "2025" / f"{FIRST}.md"
    _edit(
        first,
        '    due: "2025-04-15"\n    status: Completed\n',
        '    due: "2025-04-15"\n    status: Completed\n    completed: "2025-08-01"\n',
    )
    model = load_model(repo, TODAY)
    found = {(r.earlier.id, r.later.id): r for r in recurrences(model)}
    assert CABLE not in {f.entry.text for f in found[(FIRST, SECOND)].fixes}  # completed after the second
    cable = next(a for a in all_actions(model) if a.text == CABLE)
    assert completion(cable) == (date(2025, 8, 1), "completed")


def test_a_pair_marked_not_related_is_never_flagged(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", ROOT / "incidents")
    _edit(repo / "incidents" / "2025" / f"{SECOND}.md", "related:\n", f"related:\n  not_related:\n  - {FIRST}\n")
    pairs = {(r.earlier.id, r.later.id) for r in recurrences(load_model(repo, TODAY))}
    assert (FIRST, SECOND) not in pairs and (FIRST, THIRD) in pairs  # the next one after the rejected


def test_both_incident_pages_say_the_fix_did_not_hold(examples: Model) -> None:
    ctx = build_context(examples)
    earlier = incident_page(ctx, examples.by_id[FIRST])
    later = incident_page(ctx, examples.by_id[SECOND])
    assert "**The fix did not hold:**" in earlier and f"recurred in [{SECOND}:" in earlier
    assert "**The fix did not hold:**" in later and f"a recurrence of [{FIRST}:" in later
    assert "The fix did not hold" not in incident_page(ctx, examples.by_id["SYS-20250603-001"])


def test_the_cluster_page_shows_stated_trend_beside_the_computed_one(examples: Model) -> None:
    rel = related(examples)
    cluster = next(c for c in rel.clusters if examples.by_id[FIRST] in c.incidents)
    assert cluster.trend == "steady"
    found = {(d.incident.id, d.field_title): (d.stated, d.computed) for d in disagreements(examples, cluster)}
    computed = "Stable: steady (computed over the cluster)"
    assert found == {(i, "Trend"): ("Decreasing", computed) for i in (FIRST, SECOND, THIRD)}
    page = related_page(build_context(examples))
    assert "**Stated by hand, not what the cluster shows:**" in page
    assert f"| Trend | Decreasing | {computed} |" in page
