"""Git history read once per HEAD commit in a process (``serve`` rebuilding): always what a fresh read gives.

On a real repository with edits, a rename, a deletion and sign-offs: a second
read at the same HEAD does not run ``git log`` again and equals a fresh read;
working-tree edits, staged files, untracked files and a new commit are seen; a
caller changing what it got does not change the next read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from failurelog.history import gitread
from failurelog.history import read as read_module
from failurelog.history.model import RepositoryHistory
from failurelog.history.read import read_history
from tests.history_helpers import ALICE, BOB, CAROL, GitRepo, git_env, incident, signed

NOW = datetime(2026, 6, 1, tzinfo=UTC)
IDS = [f"SYS-20260301-00{n}" for n in range(1, 6)]


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user or system git configuration, and no repository above the test folder."""
    for key, value in git_env().items():
        if key.startswith("GIT_"):
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def _path(incident_id: str) -> str:
    return f"incidents/2026/{incident_id}.md"


@pytest.fixture
def history_repo(repo: Path) -> GitRepo:
    """Five incidents over several commits: edited, renamed, deleted, signed and closed."""
    gr = GitRepo(repo).init()
    gr.commit("Add schema and templates", "2026-02-01T09:00:00Z", ALICE)
    for incident_id in IDS:
        gr.write(_path(incident_id), incident(incident_id, sections={"Initial Symptoms": "p99 40 ms"}))
    gr.commit("Open five", "2026-03-01T09:00:00Z", ALICE)
    gr.write(_path(IDS[0]), incident(IDS[0], severity="P1-High"))
    gr.move(_path(IDS[1]), "incidents/2026/moved/" + IDS[1] + ".md")
    gr.commit("Raise one, move one", "2026-03-02T09:00:00Z", BOB)
    sign = signed(analyzed="2026-03-04", reviewed="2026-03-04", approved="2026-03-05")
    gr.write(_path(IDS[2]), incident(IDS[2], status="closed", extra=sign + "  closed_at: '2026-03-05T16:00:00Z'\n"))
    gr.git("rm", "-q", _path(IDS[3]))
    gr.commit("Close one, delete one", "2026-03-05T16:30:00Z", CAROL)
    return gr


def _fresh(root: Path) -> RepositoryHistory:
    read_module._COMMITTED.clear()
    return read_history(root, now=NOW)


def _same(one: RepositoryHistory, other: RepositoryHistory) -> None:
    assert one.available and other.available
    assert (one.message, one.shallow, one.notices, one.commits) == (
        other.message,
        other.shallow,
        other.notices,
        other.commits,
    )
    assert one.incidents == other.incidents


def _no_log(*args: object, **kwargs: object) -> object:
    raise AssertionError("git log was read again at the same HEAD")


def test_a_second_read_at_the_same_head_reads_no_log(history_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = _fresh(history_repo.root)
    assert len(fresh.incidents) == 5 and fresh.commits == 3
    with monkeypatch.context() as patch:
        patch.setattr(gitread, "read_log", _no_log)
        _same(read_history(history_repo.root, now=NOW), fresh)
        _same(read_history(history_repo.root, now=NOW), fresh)


def test_working_tree_and_index_changes_are_seen_at_the_same_head(
    history_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_history(history_repo.root, now=NOW)  # keeps the committed part
    history_repo.write(_path(IDS[0]), incident(IDS[0], severity="P0-Critical"))  # modified
    history_repo.write(_path("SYS-20260310-001"), incident("SYS-20260310-001"))  # untracked
    history_repo.write(_path("SYS-20260311-001"), incident("SYS-20260311-001"))
    history_repo.git("add", _path("SYS-20260311-001"))  # staged
    (history_repo.root / _path(IDS[4])).unlink()  # deleted in the working tree
    with monkeypatch.context() as patch:
        patch.setattr(gitread, "read_log", _no_log)
        kept = read_history(history_repo.root, now=NOW)
    fresh = _fresh(history_repo.root)
    _same(kept, fresh)
    states = {key: h.uncommitted.state for key, h in kept.incidents.items() if h.uncommitted is not None}
    assert states == {
        IDS[0]: "modified",
        "SYS-20260310-001": "untracked",
        "SYS-20260311-001": "added",
        IDS[4]: "deleted",
    }
    first = kept.get(IDS[0])
    assert first is not None and first.uncommitted is not None
    assert [(c.field, c.new) for c in first.uncommitted.fields] == [("severity", "P0-Critical")]


def test_a_new_commit_is_read(history_repo: GitRepo) -> None:
    read_history(history_repo.root, now=NOW)
    history_repo.write(_path(IDS[4]), incident(IDS[4], severity="P1-High"))
    history_repo.commit("Raise another", "2026-03-06T09:00:00Z", BOB)
    kept = read_history(history_repo.root, now=NOW)
    assert kept.commits == 4
    _same(kept, _fresh(history_repo.root))
    history_repo.git("reset", "-q", "--hard", "HEAD~1")  # back to a commit read before
    _same(read_history(history_repo.root, now=NOW), _fresh(history_repo.root))


def test_a_changed_result_does_not_reach_the_next_read(history_repo: GitRepo) -> None:
    fresh = _fresh(history_repo.root)
    first = read_history(history_repo.root, now=NOW)
    for history in first.incidents.values():
        history.revisions.clear()
        history.flags.clear()
    first.notices.append("changed by a caller")
    _same(read_history(history_repo.root, now=NOW), fresh)
