"""`new` does not hand out an id taken on another branch, and concurrent runs never share one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from failurelog.authoring.scaffold import NewIncident, create
from failurelog.core.branches import ids_on_branches, numbers_on_branches
from failurelog.core.loader import load
from tests.cli_helpers import ENTRY_POINT

AT = "2026-11-03T14:22:07.123Z"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env={**os.environ, **GIT_ENV}
    )
    return result.stdout


def init(repo: Path) -> Path:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "schema and templates")
    return repo


def on_branch(repo: Path, branch: str, title: str) -> Path:
    """Create an incident on a new branch, commit it, and go back to main (where the file is absent)."""
    git(repo, "switch", "-q", "-c", branch)
    path = create(repo, NewIncident(title=title, at=AT))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", title)
    git(repo, "switch", "-q", "main")
    assert not path.exists()
    return path


def test_new_skips_an_id_taken_on_a_local_branch(repo: Path) -> None:
    init(repo)
    taken = on_branch(repo, "incident/nic-flap", "NIC link flap")
    assert taken.stem == "SYS-20261103-001"
    assert numbers_on_branches(repo, "20261103") == {1}
    mine = create(repo, NewIncident(title="ECC storm", at=AT))
    assert mine.stem == "SYS-20261103-002"


def test_new_skips_ids_on_remote_tracking_branches(repo: Path, tmp_path: Path) -> None:
    init(repo)
    on_branch(repo, "incident/one", "one")
    git(repo, "switch", "-q", "incident/one")
    on_branch(repo, "incident/two", "two")  # branched from incident/one: holds 001 and 002
    git(repo, "switch", "-q", "main")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    assert git(clone, "branch", "--list").split() == ["*", "main"]  # the others exist only as origin/...
    assert ids_on_branches(clone) == {"SYS-20261103-001", "SYS-20261103-002"}
    mine = create(clone, NewIncident(title="three", at=AT))
    assert mine.stem == "SYS-20261103-003"


def test_repository_in_a_subfolder_of_a_git_work_tree(repo: Path, tmp_path: Path) -> None:
    outer = tmp_path / "mono"
    shutil.move(str(repo), str(outer / "postmortems"))
    inner = outer / "postmortems"
    git(outer, "init", "-q", "-b", "main")
    git(outer, "add", "-A")
    git(outer, "commit", "-q", "-m", "init")
    on_branch(inner, "incident/x", "x")
    assert create(inner, NewIncident(title="y", at=AT)).stem == "SYS-20261103-002"


def test_outside_git_only_the_working_tree_counts(repo: Path) -> None:
    assert ids_on_branches(repo) == set()
    assert create(repo, NewIncident(title="x", at=AT)).stem == "SYS-20261103-001"


def test_without_git_installed_new_still_works_silently(repo: Path) -> None:
    init(repo)
    on_branch(repo, "incident/a", "a")
    bin_dir = repo.parent / "bin-without-git"
    bin_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_PYTHON")}
    env["PATH"] = str(bin_dir)  # no git on the PATH
    result = subprocess.run(
        [ENTRY_POINT, "new", "--title", "no git here", "--at", AT],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "incidents/2026/SYS-20261103-001.md\n"  # the branch could not be seen


STARTER = (
    "import sys, time\n"
    "from failurelog.cli.main import main\n"
    # everything loaded before the start line
    "import failurelog.authoring.scaffold, failurelog.core.branches, git, jinja2, jsonschema\n"
    "time.sleep(max(0.0, float(sys.argv[1]) - time.time()))\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


@pytest.mark.slow
def test_two_processes_at_the_same_moment_get_distinct_ids(repo: Path) -> None:
    """Both processes import everything, then sleep until the same instant and race for the same number."""
    init(repo)
    rounds = 3
    printed: list[str] = []
    for round_ in range(rounds):
        start = time.time() + 1.5
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", STARTER, str(start), "new", "--title", f"run {round_}.{n}", "--at", AT],
                cwd=repo,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(2)
        ]
        for proc in procs:
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
            printed.append(out.strip())
    assert len(set(printed)) == 2 * rounds
    files = sorted((repo / "incidents" / "2026").glob("*.md"))
    assert [f.stem for f in files] == [f"SYS-20261103-{n:03d}" for n in range(1, 2 * rounds + 1)]
    titles = sorted(load(f).meta["title"] for f in files)  # type: ignore[index]
    assert titles == sorted(f"run {r}.{n}" for r in range(rounds) for n in range(2))  # nothing overwritten
    assert not [p for p in (repo / "incidents").rglob("*") if p.name.startswith(".")]  # no temporary left
