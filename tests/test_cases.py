"""Positive and negative example incidents under tests/cases/, one parametrised test each.

A case is copied into a fresh repository at ``incidents/YYYY/<its id>.md`` (the
name its id asks for, so only the problem under test shows), or at the path
given as ``place_as`` in ``negative/expected.json``. A negative case must give
exactly the problems listed there: ``[line, field, part of the message]``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from failurelog.validate.run import validate

CASES = Path(__file__).resolve().parent / "cases"
EXPECTED: dict[str, dict[str, object]] = json.loads((CASES / "negative" / "expected.json").read_text(encoding="utf-8"))
ID = re.compile(r"^id: (SYS-(\d{4})\d{4}-\d{3})$", re.MULTILINE)


def place(repo: Path, case: Path, place_as: str | None = None) -> Path:
    if place_as is None:
        match = ID.search(case.read_text(encoding="utf-8", errors="replace"))
        place_as = f"incidents/{match.group(2)}/{match.group(1)}.md" if match else f"incidents/2026/{case.name}"
    target = repo / place_as
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(case, target)
    return target


@pytest.mark.parametrize("case", sorted((CASES / "positive").glob("*.md")), ids=lambda p: p.stem)
def test_positive_case_is_valid(repo: Path, case: Path) -> None:
    place(repo, case)
    report = validate(repo)
    assert report.checked, "the case was not picked up"
    assert report.problems == []


@pytest.mark.parametrize("case", sorted((CASES / "negative").glob("*.md")), ids=lambda p: p.stem)
def test_negative_case_reports_exactly_its_problems(repo: Path, case: Path) -> None:
    spec = EXPECTED[case.stem]
    target = place(repo, case, spec.get("place_as"))  # type: ignore[arg-type]
    report = validate(repo)
    shown = target.relative_to(repo).as_posix()
    found = [(p.line, p.field, p.message) for p in report.problems]
    assert all(p.file == shown for p in report.problems)
    expected = spec["problems"]
    assert len(found) == len(expected), f"expected {expected}, found {found}"  # type: ignore[arg-type]
    for (line, field, message), (want_line, want_field, want_text) in zip(sorted(found), sorted(expected), strict=True):  # type: ignore[call-overload]
        assert (line, field) == (want_line, want_field), (found, expected)
        assert want_text in message, f"{want_text!r} not in {message!r}"


def test_every_negative_case_has_an_expectation() -> None:
    cases = {p.stem for p in (CASES / "negative").glob("*.md")}
    assert cases == set(EXPECTED)


def test_a_start_time_later_than_what_followed_says_how_to_fix_it(repo: Path) -> None:
    place(repo, CASES / "negative" / "times_go_backwards.md")
    (message,) = [p.message for p in validate(repo).problems]
    assert "`failurelog new` sets it to now" in message and "at or before 2026-11-03T14:20:00.000Z" in message
    assert "renumber" not in message  # the same day: the id stays right


def test_a_start_time_on_a_later_day_also_says_to_renumber(repo: Path, tmp_path: Path) -> None:
    text = (CASES / "negative" / "times_go_backwards.md").read_text(encoding="utf-8")
    text = text.replace(
        "first_indication_at: '2026-11-03T14:20:00.000Z'", "first_indication_at: '2026-11-02T23:50:00.000Z'"
    )
    case = tmp_path / "times_go_back_a_day.md"
    case.write_text(text.replace("complete_failure_at: '2026-11-03T14:25:00.000Z'", ""), encoding="utf-8")
    place(repo, case, "incidents/2026/SYS-20261103-001.md")
    messages = [p.message for p in validate(repo).problems if p.field == "failure.first_indication_at"]
    assert messages and "failurelog renumber" in messages[0], messages
