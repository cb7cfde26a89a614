"""``kill -9`` at random points of ``new``, ``renumber`` and ``import``: nothing is lost, split or duplicated.

Each round starts the real command, kills it after a random delay drawn over
the command's own run time (most of it is start-up, so two draws in three
lean to the end, where files are written), then lets the next command's
start (:func:`failurelog.core.journal.resume`) finish or roll back.
Afterwards the repository validates, no temporary file or journal is left,
every incident is there once and unchanged, and after ``renumber`` every
mention names the same one id. The command then runs again to its end.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from failurelog.core.journal import JOURNAL, resume
from failurelog.validate.run import validate
from tests.cli_helpers import ENTRY_POINT
from tests.test_renumber import block_ref, write

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
FORM = Path(__file__).resolve().parent / "fixtures" / "forms" / "p0-kernel-panic-closed.txt"
ROUNDS = 17  # per command: 51 kills in all
OLD, NEW = "SYS-20261103-001", "SYS-20261103-007"


def _command(kind: str) -> list[str]:
    if kind == "new":
        return [ENTRY_POINT, "new", "--title", "killed", "--at", "2026-11-05T10:00:00Z"]
    if kind == "renumber":
        return [ENTRY_POINT, "renumber", OLD, NEW]
    return [ENTRY_POINT, "import", str(FORM)]


def _fresh(where: Path) -> Path:
    shutil.copytree(ROOT / "schema", where / "schema")
    shutil.copytree(ROOT / "templates", where / "templates")
    (where / "incidents").mkdir()
    write(where, OLD)
    write(where, "SYS-20261104-001", extra=block_ref(OLD, "2026-11-03"))
    write(where, "SYS-20261105-001")
    write(where, "SYS-20251104-002")  # the imported form names it as a similar incident
    return where


def _run(repo: Path, kind: str, delay: float | None) -> None:
    process = subprocess.Popen(
        _command(kind), cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    if delay is None:
        process.wait(timeout=120)
        return
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def _files(repo: Path) -> dict[str, str]:
    return {p.relative_to(repo).as_posix(): p.read_text(encoding="utf-8") for p in (repo / "incidents").rglob("*.md")}


def _check(repo: Path, kind: str, before: dict[str, str]) -> None:
    resume(repo)
    assert not (repo / JOURNAL).exists()
    assert not list(repo.rglob("*.tmp")), "a temporary file was left"
    report = validate(repo)
    assert report.problems == [], report.problems
    after = _files(repo)
    if kind == "renumber":
        ids = {path.rsplit("/", 1)[1][:-3] for path in after}
        assert len(after) == len(before)
        assert (OLD in ids) != (NEW in ids)
        survivor = OLD if OLD in ids else NEW
        mentioned = "\n".join(after.values())
        assert (OLD in mentioned) != (NEW in mentioned), "references are split between two ids"
        assert survivor in mentioned
    else:
        assert set(before) <= set(after)
        assert len(after) - len(before) in (0, 1)
        assert all(after[path] == text for path, text in before.items()), "an existing incident changed"


@pytest.mark.parametrize("kind", ["new", "renumber", "import"])
def test_kill_at_random_points(tmp_path: Path, kind: str) -> None:
    rng = random.Random(f"kill-{kind}")
    timing = _fresh(tmp_path / "timing")
    start = time.perf_counter()
    _run(timing, kind, None)
    total = time.perf_counter() - start
    for n in range(ROUNDS):
        repo = _fresh(tmp_path / f"round-{n}")
        before = _files(repo)
        delay = total * (rng.random() if n % 3 == 0 else 0.6 + 0.45 * rng.random())
        _run(repo, kind, delay)
        _check(repo, kind, before)
        _run(repo, kind, None)
        assert not list(repo.rglob("*.tmp"))
        assert validate(repo).problems == []
