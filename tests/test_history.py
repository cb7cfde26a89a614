"""Git history as the audit trail (issue 4), on real repositories with fixed authors and dates."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import git
import pytest

from failurelog.cli.main import main
from failurelog.history.audit import FieldChange, SectionChange, SignOff
from failurelog.history.read import read_history
from failurelog.history.report import render_text
from tests.history_helpers import ALICE, BOB, CAROL, GitRepo, git_env, incident, signed

ID = "SYS-20260301-001"
PATH = f"incidents/2026/{ID}.md"
NOW = datetime(2026, 6, 1, tzinfo=UTC)
CLOSED_AT = "  closed_at: '2026-03-05T16:00:00Z'\n"
ROOT_CAUSE = "root_cause:\n  summary: DIMM ECC errors on channel B\n"


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user or system git configuration, and no repository above the test folder."""
    for key, value in git_env().items():
        if key.startswith("GIT_"):
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


@pytest.fixture
def gitrepo(repo: Path) -> GitRepo:
    """The ``repo`` fixture under git, with schema/ and templates/ committed."""
    gr = GitRepo(repo).init()
    gr.commit("Add schema and templates", "2026-02-01T09:00:00Z", ALICE)
    return gr


@pytest.fixture
def closed(gitrepo: GitRepo) -> GitRepo:
    """An incident opened, investigated and closed (signed off 2026-03-04/05, closed 2026-03-05 16:00 UTC)."""
    gitrepo.write(PATH, incident(ID, sections={"Initial Symptoms": "p99 latency 40 ms"}))
    gitrepo.commit("Open SYS-20260301-001", "2026-03-01T09:00:00Z", ALICE)
    sign = signed(analyzed="2026-03-04", reviewed="2026-03-04", approved="2026-03-05") + CLOSED_AT
    gitrepo.write(PATH, incident(ID, status="closed", extra=ROOT_CAUSE + sign))
    gitrepo.commit("Close SYS-20260301-001", "2026-03-05T16:30:00Z", CAROL)
    return gitrepo


def history_of(root: Path, incident_id: str = ID) -> Any:
    result = read_history(root, now=NOW)
    assert result.available, result.message
    found = result.get(incident_id)
    assert found is not None
    return found


def kinds(flags: list[Any]) -> list[str]:
    return [f.kind for f in flags]


def test_created_last_changed_revisions_and_contributors(gitrepo: GitRepo) -> None:
    first = gitrepo.write(PATH, incident(ID))
    created = gitrepo.commit("Open incident", "2026-03-01T09:00:00Z", ALICE)
    first.write_text(incident(ID, title="Order gateway segfault in libfix"), encoding="utf-8")
    gitrepo.commit("Better title", "2026-03-01T10:00:00Z", BOB)
    first.write_text(incident(ID, title="Order gateway segfault in libfix 2.3"), encoding="utf-8")
    last = gitrepo.commit("Version", "2026-03-02T11:30:00+02:00", ALICE)

    history = history_of(gitrepo.root)
    assert history.revision_count == 3
    assert history.created.commit.sha == created
    assert history.created.commit.author.email == ALICE[1]
    assert history.created.commit.authored_at == datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert history.last_changed.commit.sha == last
    assert [(c.person.name, c.revisions) for c in history.contributors] == [(ALICE[0], 2), (BOB[0], 1)]
    assert history.all_flags == []
    assert history.revisions[1].fields == [
        FieldChange("title", "Order gateway segfault", "Order gateway segfault in libfix")
    ]


def test_severity_change_shows_from_and_to(gitrepo: GitRepo) -> None:
    gitrepo.write(PATH, incident(ID, severity="P2-Medium"))
    gitrepo.commit("Open", "2026-03-01T09:00:00Z")
    gitrepo.write(PATH, incident(ID, severity="P1-High"))
    gitrepo.commit("Raise severity", "2026-03-01T12:00:00Z", BOB)

    history = history_of(gitrepo.root)
    change = history.last_changed
    assert change.fields == [FieldChange("severity", "P2-Medium", "P1-High")]
    assert change.fields[0].kind == "changed"
    text = render_text(history, read_history(gitrepo.root, now=NOW))
    assert "severity: P2-Medium -> P1-High" in text


def test_status_change_and_field_filled_in(gitrepo: GitRepo) -> None:
    gitrepo.write(PATH, incident(ID, status="investigating"))
    gitrepo.commit("Open", "2026-03-01T09:00:00Z")
    gitrepo.write(PATH, incident(ID, status="resolved", extra=ROOT_CAUSE))
    gitrepo.commit("Resolved", "2026-03-03T09:00:00Z")

    fields = {c.field: c for c in history_of(gitrepo.root).last_changed.fields}
    assert fields["status"] == FieldChange("status", "investigating", "resolved")
    assert fields["root_cause.summary"].old is None
    assert fields["root_cause.summary"].new == "DIMM ECC errors on channel B"
    assert fields["root_cause.summary"].kind == "set"


def test_body_sections_added_removed_and_edited(gitrepo: GitRepo) -> None:
    gitrepo.write(PATH, incident(ID, sections={"Initial Symptoms": "latency", "Error Messages": "none yet"}))
    gitrepo.commit("Open", "2026-03-01T09:00:00Z")
    gitrepo.write(PATH, incident(ID, sections={"Initial Symptoms": "latency, then SIGSEGV", "Backtrace": "#0 ..."}))
    gitrepo.commit("Symptoms", "2026-03-01T10:00:00Z")

    change = history_of(gitrepo.root).last_changed
    assert change.fields == []
    assert change.sections == [
        SectionChange("Initial Symptoms", "edited"),
        SectionChange("Backtrace", "added"),
        SectionChange("Error Messages", "removed"),
    ]


def test_rename_and_move_keep_history(gitrepo: GitRepo) -> None:
    old = "incidents/2025/SYS-20260301-001.md"
    gitrepo.write(old, incident(ID))
    created = gitrepo.commit("Open (filed under the wrong year)", "2026-03-01T09:00:00Z", ALICE)
    gitrepo.move(old, PATH)
    gitrepo.commit("Move to 2026", "2026-03-02T09:00:00Z", BOB)
    gitrepo.write(PATH, incident(ID, severity="P1-High"))
    gitrepo.commit("Severity", "2026-03-03T09:00:00Z", BOB)

    result = read_history(gitrepo.root, now=NOW)
    history = result.get(ID)
    assert history is not None
    assert len(result.incidents) == 1
    assert history.path == PATH
    assert history.paths == [old, PATH]
    assert history.revision_count == 3
    assert history.created is history.revisions[0]
    assert history.revisions[0].commit is not None and history.revisions[0].commit.sha == created
    assert [r.action for r in history.revisions] == ["created", "renamed", "modified"]
    assert history.revisions[1].old_path == old
    assert history.revisions[2].fields == [FieldChange("severity", "P2-Medium", "P1-High")]
    assert result.get(old) is history  # a former path finds it too


def test_rename_with_edit_in_the_same_commit(gitrepo: GitRepo) -> None:
    old = "incidents/2026/SYS-20260301-009.md"
    gitrepo.write(old, incident(ID, sections={"Initial Symptoms": "a long enough body for rename detection"}))
    gitrepo.commit("Open under a wrong number", "2026-03-01T09:00:00Z")
    gitrepo.move(old, PATH)
    text = incident(ID, severity="P1-High", sections={"Initial Symptoms": "a long enough body for rename detection"})
    gitrepo.write(PATH, text)
    gitrepo.commit("Renumber and raise", "2026-03-02T09:00:00Z")

    history = history_of(gitrepo.root)
    assert history.revision_count == 2
    assert history.last_changed.action == "renamed"
    assert history.last_changed.fields == [FieldChange("severity", "P2-Medium", "P1-High")]


def test_change_after_closing_is_flagged(closed: GitRepo) -> None:
    sign = signed(analyzed="2026-03-04", reviewed="2026-03-04", approved="2026-03-05") + CLOSED_AT
    closed.write(PATH, incident(ID, status="closed", severity="P3-Low", extra=ROOT_CAUSE + sign))
    late = closed.commit("Downgrade after the fact", "2026-03-07T10:00:00Z", BOB)

    history = history_of(closed.root)
    closing, after = history.revisions[-2], history.revisions[-1]
    assert closing.flags == []  # the closing commit itself sets closed_at: not a change after closing
    assert kinds(after.flags) == ["changed-after-close"]
    flag = after.flags[0]
    assert flag.commit == late
    assert flag.author == f"{BOB[0]} <{BOB[1]}>"
    assert "2026-03-05 16:00 UTC" in flag.message
    assert kinds(history.all_flags) == ["changed-after-close"]


def test_sign_off_changed_after_signing_is_flagged(closed: GitRepo) -> None:
    sign = signed(analyzed="2026-03-04", reviewed="2026-03-04", approved="2026-03-05") + CLOSED_AT
    forged = sign.replace(BOB[0], "Someone Else")
    closed.write(PATH, incident(ID, status="closed", extra=ROOT_CAUSE + forged))
    closed.commit("Fix reviewer", "2026-03-09T10:00:00Z", ALICE)

    flags = history_of(closed.root).last_changed.flags
    assert sorted(kinds(flags)) == ["changed-after-close", "sign-off-changed"]
    message = next(f.message for f in flags if f.kind == "sign-off-changed")
    assert "sign_off.reviewed_by.name" in message
    assert "signed on 2026-03-04" in message


def test_signing_in_turn_is_not_flagged(gitrepo: GitRepo) -> None:
    gitrepo.write(PATH, incident(ID, status="resolved", extra=ROOT_CAUSE + signed(analyzed="2026-03-02")))
    gitrepo.commit("Analysed", "2026-03-02T09:00:00Z", ALICE)
    both = signed(analyzed="2026-03-02", reviewed="2026-03-04")
    gitrepo.write(PATH, incident(ID, status="resolved", extra=ROOT_CAUSE + both))
    gitrepo.commit("Reviewed", "2026-03-04T09:00:00Z", BOB)

    history = history_of(gitrepo.root)
    assert history.all_flags == []
    assert {c.field for c in history.last_changed.fields} == {"sign_off.reviewed_by.name", "sign_off.reviewed_by.date"}


def test_sign_off_rules_come_from_the_schema(repo: Path) -> None:
    from failurelog.core.schema import load_schema

    rules = SignOff.from_schema(load_schema(repo))
    assert rules.closing == "sign_off.closed_at"
    assert [s for s, _ in rules.signatures] == [
        "sign_off.analyzed_by",
        "sign_off.reviewed_by",
        "sign_off.approved_by",
    ]
    assert "sign_off.post_mortem_completed" in rules.others


def test_deleted_incident_is_flagged(closed: GitRepo) -> None:
    closed.git("rm", "-q", PATH)
    gone = closed.commit("Remove embarrassing incident", "2026-04-01T09:00:00Z", BOB)

    result = read_history(closed.root, now=NOW)
    history = result.get(ID)
    assert history is not None
    assert history.deleted
    assert history.revisions[-1].action == "deleted"
    flag = next(f for f in history.all_flags if f.kind == "deleted")
    assert flag.commit == gone
    assert "absent from the working tree" in flag.message
    assert any(c.revision.action == "deleted" for c in result.changes())


def test_uncommitted_changes_show_as_such(closed: GitRepo) -> None:
    sign = signed(analyzed="2026-03-04", reviewed="2026-03-04", approved="2026-03-05") + CLOSED_AT
    closed.write(PATH, incident(ID, status="closed", severity="P0-Critical", extra=ROOT_CAUSE + sign))
    closed.write("incidents/2026/SYS-20260310-001.md", incident("SYS-20260310-001"))

    result = read_history(closed.root, now=NOW)
    history = result.get(ID)
    assert history is not None
    assert history.uncommitted is not None
    assert history.uncommitted.state == "modified"
    assert history.uncommitted.fields == [FieldChange("severity", "P2-Medium", "P0-Critical")]
    assert history.revision_count == 2  # uncommitted work is not a revision
    assert kinds(history.all_flags) == ["uncommitted", "changed-after-close"]
    new = result.get("SYS-20260310-001")
    assert new is not None
    assert new.created is None
    assert new.uncommitted is not None and new.uncommitted.state == "untracked"
    assert "never committed" in new.flags[0].message
    text = render_text(history, result)
    assert "(not committed)  modified in the working tree" in text
    assert "severity: P2-Medium -> P0-Critical" in text
    assert result.changes()[0].revision.commit is None  # uncommitted work comes first


def test_unreadable_front_matter_at_a_revision(gitrepo: GitRepo) -> None:
    gitrepo.write(PATH, incident(ID))
    gitrepo.commit("Open", "2026-03-01T09:00:00Z")
    gitrepo.write(PATH, incident(ID).replace("severity: P2-Medium", "severity: [P2"))
    gitrepo.commit("Broken YAML", "2026-03-01T10:00:00Z")
    gitrepo.write(PATH, incident(ID, severity="P1-High"))
    gitrepo.commit("Fixed", "2026-03-01T11:00:00Z")

    broken, fixed = history_of(gitrepo.root).revisions[1:]
    assert broken.note is not None and broken.note.startswith("front matter unreadable at this revision")
    assert broken.fields == []
    assert fixed.fields == [FieldChange("severity", "P2-Medium", "P1-High")]  # against the last readable one


def test_shallow_clone_is_detected_with_the_fix(closed: GitRepo, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{closed.root}", str(clone)],
        check=True,
        env=git_env(),
        capture_output=True,
    )
    result = read_history(clone, now=NOW)
    assert result.available
    assert result.shallow
    notice = " ".join(result.notices)
    assert "fetch-depth: 0" in notice
    assert "git fetch --unshallow" in notice
    history = result.get(ID)
    assert history is not None
    assert history.created is None  # never the clone's commit date passed off as the creation date
    assert history.origin_unknown is not None
    assert history.revisions[0].action == "first-seen"
    text = render_text(history, result)
    assert "Created:       unknown" in text
    assert "Revisions:     at least 1" in text
    assert "fetch-depth: 0" in text


def test_not_a_repository_gives_one_message(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo.joinpath(PATH).parent.mkdir(parents=True)
    repo.joinpath(PATH).write_text(incident(ID), encoding="utf-8")
    result = read_history(repo)
    assert not result.available
    assert result.message is not None and "not inside a git repository" in result.message
    assert result.incidents == {}
    assert main(["--root", str(repo), "history", ID]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ERROR ") and "not inside a git repository" in err
    assert main(["--root", str(repo), "history", ID, "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["available"] is False and "not inside a git repository" in document["message"]


def test_packed_refs_not_utf8_gives_one_message(gitrepo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    gitrepo.write(PATH, incident(ID))
    gitrepo.commit("Open", "2026-03-01T09:00:00Z")
    gitrepo.git("pack-refs", "--all")
    with (gitrepo.root / ".git" / "packed-refs").open("ab") as refs:
        refs.write(b"\xff\xfe caf\xe9 not a ref\n")
    result = read_history(gitrepo.root)
    assert not result.available and result.message is not None
    assert "packed-refs" in result.message and "\\xff\\xfe caf\\xe9" in result.message
    result.message.encode("utf-8")  # printable and writable: no surrogate escapes left
    assert main(["--root", str(gitrepo.root), "history", ID]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ERROR git failed") and "\\xff" in err and "Traceback" not in err


def test_git_missing_gives_one_message(gitrepo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(git.Git, "GIT_PYTHON_GIT_EXECUTABLE", "/nonexistent/git")
    result = read_history(gitrepo.root)
    assert not result.available
    assert result.message is not None and "git is not installed" in result.message


def test_one_pass_a_fixed_number_of_git_processes_none_left_behind(
    gitrepo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(1, 7):
        incident_id = f"SYS-20260301-00{number}"
        gitrepo.write(f"incidents/2026/{incident_id}.md", incident(incident_id))
    gitrepo.commit("Six incidents", "2026-03-01T09:00:00Z")
    for number in range(1, 7):
        incident_id = f"SYS-20260301-00{number}"
        gitrepo.write(f"incidents/2026/{incident_id}.md", incident(incident_id, severity="P1-High"))
        gitrepo.commit(f"Raise {incident_id}", f"2026-03-0{number + 1}T09:00:00Z")
    spawned: list[Any] = []
    real = git.cmd.safer_popen

    def counting(*args: Any, **kwargs: Any) -> Any:
        process = real(*args, **kwargs)
        spawned.append((args[0], process))
        return process

    monkeypatch.setattr(git.cmd, "safer_popen", counting)
    result = read_history(gitrepo.root, now=NOW)
    assert len(result.incidents) == 6
    assert all(h.revisions[-1].fields for h in result.incidents.values())
    commands = [" ".join(str(a) for a in command[1:3]) for command, _ in spawned]
    assert len(spawned) <= 4, commands  # rev-parse, log, status, one cat-file --batch
    assert sum("cat-file" in c for c in commands) == 1
    assert all(process.poll() is not None for _, process in spawned)  # the Repo was closed


def test_cli_text_and_json(closed: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(closed.root), "history", ID]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"{ID}  {PATH}")
    assert f"Created:       2026-03-01 09:00 UTC by {ALICE[0]}" in text
    assert "Revisions:     2" in text
    assert "status: investigating -> closed" in text
    assert text.index("Close SYS-20260301-001") < text.index("Open SYS-20260301-001")  # newest first
    assert "Flags: none" in text

    assert main(["--root", str(closed.root), "history", ID, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    data = document["incident"]
    assert document["available"] is True
    assert data["id"] == ID and data["revisions"] == 2
    assert data["created"]["author"] == ALICE[0]
    assert data["created"]["date"] == "2026-03-01T09:00:00+00:00"
    assert {"field": "status", "kind": "changed", "from": "investigating", "to": "closed"} in data["changes"][0][
        "fields"
    ]


def test_cli_unknown_id(closed: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(closed.root), "history", "SYS-20991231-999"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ERROR no incident SYS-20991231-999")


def test_repository_wide_changes_newest_first(closed: GitRepo) -> None:
    other = "incidents/2026/SYS-20260302-001.md"
    closed.write(other, incident("SYS-20260302-001"))
    closed.commit("Open second", "2026-03-06T09:00:00Z", BOB)
    changes = read_history(closed.root, now=NOW).changes()
    assert [(c.incident.id, c.revision.commit.subject) for c in changes if c.revision.commit] == [
        ("SYS-20260302-001", "Open second"),
        (ID, "Close SYS-20260301-001"),
        (ID, "Open SYS-20260301-001"),
    ]


def test_only_limits_the_content_work(closed: GitRepo) -> None:
    closed.write("incidents/2026/SYS-20260302-001.md", incident("SYS-20260302-001"))
    closed.commit("Open second", "2026-03-06T09:00:00Z")
    result = read_history(closed.root, only={"SYS-20260302-001"}, now=NOW)
    first = result.get(ID)
    assert first is not None and first.revision_count == 2  # the log still covers every incident
    assert not first.revisions[-1].analysed
    assert first.revisions[-1].fields == []


def test_empty_repository_without_commits(repo: Path) -> None:
    GitRepo(repo).init()
    repo.joinpath(PATH).parent.mkdir(parents=True)
    repo.joinpath(PATH).write_text(incident(ID), encoding="utf-8")
    result = read_history(repo, now=NOW)
    assert result.available, result.message
    history = result.get(ID)
    assert history is not None and history.uncommitted is not None and history.revision_count == 0


def test_long_texts_are_shown_around_their_first_difference() -> None:
    from failurelog.history.report import field_line

    before = "Alert fired on md-gw-05 " + "x" * 80 + " then paged"
    line = field_line(FieldChange("failure.summary", before, before.replace("paged", "called")))
    old, new = line.removeprefix("failure.summary: ").split(" -> ")
    assert old != new
    assert old.endswith("then paged") and new.endswith("then called")
    assert field_line(FieldChange("severity", None, "P1-High")) == "severity: (empty) -> P1-High"
