"""Within one process (``serve``), a commit or a staged change that changes no file still reaches the next build.

:func:`failurelog.site.generate.prepare` returns its previous tree while its inputs are unchanged; the git
state (HEAD and every ref, the index's stat) is one of them, checked here in a real repository.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from failurelog.site.generate import git_state, prepare
from tests.history_helpers import GitRepo
from tests.site_helpers import make_repo

DAY = date(2026, 3, 10)
INCIDENT = "incidents/2026/SYS-20260304-001.md"


def _page(root: Path) -> str:
    return (root / ".failurelog-build" / "docs" / INCIDENT).read_text(encoding="utf-8")


def test_a_commit_of_an_edit_already_built_reaches_the_next_build(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    repo = GitRepo(root).init()
    repo.commit("Add the incidents", "2026-03-05T10:00:00Z")
    path = root / INCIDENT
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Retitled ", 1), encoding="utf-8")
    first = prepare(root, today=DAY)
    assert prepare(root, today=DAY) is first  # nothing changed: the tree of the last build
    before = _page(root)
    assert "Retitle after review" not in before
    repo.git("add", "-A")  # staged: no file changes, the index does
    staged = prepare(root, today=DAY)
    assert staged is not first
    repo.commit("Retitle after review", "2026-03-06T10:00:00Z")  # no file changes, HEAD does
    committed = prepare(root, today=DAY)
    assert committed is not staged
    assert "Retitle after review" in _page(root)
    assert prepare(root, today=DAY) is committed


def test_a_new_branch_changes_thegit_state_and_no_repository_is_no_error(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    outside = git_state(root)  # not under git (tmp_path is no repository): no git state, no error
    repo = GitRepo(root).init()
    unborn = git_state(root)
    repo.commit("Add the incidents", "2026-03-05T10:00:00Z")
    born = git_state(root)
    repo.git("branch", "elsewhere")  # another branch: the ids on it are checked against
    branched = git_state(root)
    assert outside == () and len({outside, unborn, born, branched}) == 4
