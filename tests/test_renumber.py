"""`failurelog renumber OLD [NEW]` end to end: the move, the id line, every reference, and every refusal."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from failurelog.validate.cache import CACHE_DIR
from failurelog.validate.run import validate
from tests.cli_helpers import run_cli

TEMPLATE = (
    "---\n"
    "id: {id_value}  # keep this comment\n"
    "title: {title}\n"
    "occurred_at: '{at}'\n"
    "status: draft\n"
    "severity: P1-High\n"
    "{extra}"
    "schema_version: 2\n"
    "---\n\n"
    "## Initial Symptoms\n\n"
    "Feed stopped. See also {mention}.\n"
)


def write(
    repo: Path, incident_id: str, *, extra: str = "", name: str | None = None, id_value: str | None = None
) -> Path:
    day = incident_id[4:12]
    path = repo / "incidents" / day[:4] / f"{name or incident_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        TEMPLATE.format(
            id_value=id_value or incident_id,
            title=f"incident {incident_id}",
            at=f"{day[:4]}-{day[4:6]}-{day[6:]}T10:00:00.000Z",
            extra=extra,
            mention="SYS-20261103-001",
        ),
        encoding="utf-8",
    )
    return path


def block_ref(target: str, date: str) -> str:
    return (
        "related:\n"
        "  similar_incidents:\n"
        f"    - id: {target}\n"
        f"      date: '{date}'\n"
        "      similarity: same NIC firmware\n"
    )


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(repo, *args)


def snapshot(repo: Path) -> dict[str, bytes]:
    """Every file of ``repo`` but the validation cache (failurelog's own, git-ignored, rebuilt from the files)."""
    return {
        p.relative_to(repo).as_posix(): p.read_bytes()
        for p in sorted(repo.rglob("*"))
        if p.is_file() and p.relative_to(repo).parts[0] != CACHE_DIR
    }


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    old, new = before.decode().split("\n"), after.decode().split("\n")
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


@pytest.fixture
def linked(repo: Path) -> Path:
    """001 is referred to by 002 (block style) and by a December incident (flow style)."""
    write(repo, "SYS-20261103-001")
    write(repo, "SYS-20261104-001", extra=block_ref("SYS-20261103-001", "2026-11-03"))
    flow = (
        "related: {similar_incidents: [{id: SYS-20261103-001, similarity: same}, "
        "{id: SYS-20261104-001, similarity: x}]}\n"
    )
    write(repo, "SYS-20261201-001", extra=flow)
    assert validate(repo).problems == []
    return repo


def test_renumber_moves_the_file_and_rewrites_every_mention(linked: Path) -> None:
    before = snapshot(linked)
    result = run(linked, "renumber", "SYS-20261103-001", "SYS-20261103-007")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    after = snapshot(linked)
    old, new = "incidents/2026/SYS-20261103-001.md", "incidents/2026/SYS-20261103-007.md"
    assert old not in after
    assert changed_lines(before[old], after[new]) == [
        ("id: SYS-20261103-001  # keep this comment", "id: SYS-20261103-007  # keep this comment"),
        ("title: incident SYS-20261103-001", "title: incident SYS-20261103-007"),
        ("Feed stopped. See also SYS-20261103-001.", "Feed stopped. See also SYS-20261103-007."),
    ]
    assert changed_lines(before["incidents/2026/SYS-20261104-001.md"], after["incidents/2026/SYS-20261104-001.md"]) == [
        ("    - id: SYS-20261103-001", "    - id: SYS-20261103-007"),
        ("Feed stopped. See also SYS-20261103-001.", "Feed stopped. See also SYS-20261103-007."),
    ]
    flow_changes = changed_lines(
        before["incidents/2026/SYS-20261201-001.md"], after["incidents/2026/SYS-20261201-001.md"]
    )
    assert flow_changes and all(b == a.replace("SYS-20261103-001", "SYS-20261103-007") for a, b in flow_changes)
    assert not any(b"SYS-20261103-001" in data for data in after.values())
    assert set(after) == set(before) - {old} | {new}
    assert run(linked, "validate").returncode == 0
    assert re.search(r"rewrote SYS-20261103-001 in incidents/2026/SYS-20261104-001.md \(line \d+, \d+\)", result.stdout)


def test_without_new_the_next_free_number_of_that_day_is_taken(linked: Path) -> None:
    write(linked, "SYS-20261103-002")
    result = run(linked, "renumber", "SYS-20261103-001")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("renumbered SYS-20261103-001 -> SYS-20261103-003\n")
    assert run(linked, "validate").returncode == 0


def test_quoted_id_keeps_its_quotes(repo: Path) -> None:
    path = write(repo, "SYS-20261103-001", id_value="'SYS-20261103-001'")
    assert run(repo, "renumber", "SYS-20261103-001", "SYS-20261103-002").returncode == 0
    assert not path.exists()
    text = (repo / "incidents" / "2026" / "SYS-20261103-002.md").read_text(encoding="utf-8")
    assert "id: 'SYS-20261103-002'  # keep this comment\n" in text


@pytest.mark.slow
def test_collision_named_by_validate_then_fixed_by_renumbering_the_copy(repo: Path) -> None:
    write(repo, "SYS-20261103-001")
    write(repo, "SYS-20261103-001", name="SYS-20261103-002")  # a copy that kept the id
    check = run(repo, "validate")
    assert check.returncode == 1
    assert (
        "incidents/2026/SYS-20261103-001.md:2: id: id SYS-20261103-001 is also used by "
        "incidents/2026/SYS-20261103-002.md (renumber one: failurelog renumber SYS-20261103-001 NEW-ID)"
    ) in check.stdout
    ambiguous = run(repo, "renumber", "SYS-20261103-001", "SYS-20261103-003")
    assert ambiguous.returncode == 1
    assert "name the file to renumber" in ambiguous.stderr
    assert "incidents/2026/SYS-20261103-002.md" in ambiguous.stderr
    fixed = run(repo, "renumber", "incidents/2026/SYS-20261103-002.md", "SYS-20261103-002")
    assert fixed.returncode == 0, fixed.stderr
    assert sorted(p.name for p in (repo / "incidents" / "2026").iterdir()) == [
        "SYS-20261103-001.md",
        "SYS-20261103-002.md",
    ]
    assert run(repo, "validate").returncode == 0


def test_references_to_a_shared_id_are_left_alone(repo: Path) -> None:
    write(repo, "SYS-20261103-001")
    write(repo, "SYS-20261103-001", name="SYS-20261103-002")
    write(repo, "SYS-20261104-001", extra=block_ref("SYS-20261103-001", "2026-11-03"))
    before = (repo / "incidents" / "2026" / "SYS-20261104-001.md").read_bytes()
    result = run(repo, "renumber", "incidents/2026/SYS-20261103-002.md", "SYS-20261103-005")
    assert result.returncode == 0, result.stderr
    assert "left incidents/2026/SYS-20261104-001.md alone" in result.stdout
    assert (repo / "incidents" / "2026" / "SYS-20261104-001.md").read_bytes() == before


@pytest.mark.parametrize(
    ("new", "status", "needle"),
    [
        ("../../etc/passwd", 2, "is not an incident id"),
        ("SYS-20261103-001/x", 2, "is not an incident id"),
        ("SYS-20261103-00", 2, "is not an incident id"),
        ("SYS-20261399-001", 2, "names no calendar date"),
        ("SYS-20261103-000", 2, "numbers start at 001"),
        ("SYS-20261105-001", 1, "an id carries the day the incident began"),
        ("SYS-20261104-001", 1, "is already used by incidents/2026/SYS-20261104-001.md"),
        ("SYS-20261103-001", 2, "already has the id"),
    ],
)
def test_refusals_change_nothing(linked: Path, new: str, status: int, needle: str) -> None:
    if new == "SYS-20261104-001":  # same date as the incident, taken by another one
        (linked / "incidents" / "2026" / "SYS-20261104-001.md").rename(
            linked / "incidents" / "2026" / "SYS-20261103-002.md"
        )
        new = "SYS-20261103-002"
        needle = "is already used by incidents/2026/SYS-20261103-002.md"
    before = snapshot(linked)
    result = run(linked, "renumber", "SYS-20261103-001", new)
    assert result.returncode == status, result.stderr
    assert needle in result.stderr
    assert result.stderr.startswith("ERROR ")
    assert "Traceback" not in result.stderr
    assert snapshot(linked) == before


def test_unknown_old_id_and_path_outside(linked: Path, tmp_path: Path) -> None:
    before = snapshot(linked)
    missing = run(linked, "renumber", "SYS-20990101-001", "SYS-20990101-002")
    assert (missing.returncode, "no incident has the id SYS-20990101-001" in missing.stderr) == (1, True)
    outside = tmp_path / "x.md"
    outside.write_text("---\nid: SYS-20261103-001\n---\n", encoding="utf-8")
    elsewhere = run(linked, "renumber", str(outside), "SYS-20261103-002")
    assert (elsewhere.returncode, "is not an incident file under" in elsewhere.stderr) == (1, True)
    assert snapshot(linked) == before


def test_id_taken_on_another_branch_is_refused(linked: Path) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["commit", "-q", "-m", "init"],
        ["switch", "-q", "-c", "other"],
    ):
        subprocess.run(["git", *args], cwd=linked, check=True, env=env)
    write(linked, "SYS-20261103-002")
    subprocess.run(["git", "add", "-A"], cwd=linked, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", "two"], cwd=linked, check=True, env=env)
    subprocess.run(["git", "switch", "-q", "main"], cwd=linked, check=True, env=env)
    result = run(linked, "renumber", "SYS-20261103-001", "SYS-20261103-002")
    assert result.returncode == 1
    assert "is already used by an incident on another git branch" in result.stderr
    auto = run(linked, "renumber", "SYS-20261103-001")
    assert auto.stdout.startswith("renumbered SYS-20261103-001 -> SYS-20261103-003\n"), auto.stderr


def test_unreadable_file_that_mentions_the_id_is_reported(linked: Path) -> None:
    broken = linked / "incidents" / "2026" / "SYS-20261105-001.md"
    broken.write_text("---\nid: SYS-20261105-001\nrelated: [SYS-20261103-001\n---\n", encoding="utf-8")
    result = run(linked, "renumber", "SYS-20261103-001", "SYS-20261103-002")
    assert result.returncode == 0, result.stderr
    assert "could not read incidents/2026/SYS-20261105-001.md" in result.stdout
