"""The transaction of core/journal.py in each state a kill can leave it: resume always ends whole."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from failurelog.core.errors import FailurelogError
from failurelog.core.journal import JOURNAL, Step, Transaction, digest, finish, resume


def _repo(tmp_path: Path) -> Path:
    (tmp_path / "incidents" / "2026").mkdir(parents=True)
    for name in ("a", "b"):
        (tmp_path / "incidents" / "2026" / f"{name}.md").write_text(f"old {name}\n", encoding="utf-8")
    return tmp_path


def _steps(root: Path) -> list[Step]:
    a, b = (root / "incidents" / "2026" / f"{n}.md" for n in ("a", "b"))
    return [
        Step("incidents/2026/a.md", "new a\n", digest(a.read_bytes())),
        Step("incidents/2026/b.md", "new b\n", digest(b.read_bytes())),
        Step("incidents/2026/c.md", "new c\n", None),
    ]


def _texts(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "incidents").rglob("*")) if p.is_file()}


def _staged(root: Path, steps: list[Step]) -> None:
    for step in steps:
        handle, name = tempfile.mkstemp(prefix=f".{Path(step.path).name}.", suffix=".tmp", dir=root / "incidents/2026")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(step.text)
        step.staged = os.path.relpath(name, root)


def test_commit_writes_every_file_and_removes_the_old_name(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    Transaction(root, _steps(root), remove="incidents/2026/b.md").commit()
    assert _texts(root) == {"a.md": "new a\n", "c.md": "new c\n"}
    assert not (root / JOURNAL).exists()


def test_a_file_changed_meanwhile_stops_everything(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    steps = _steps(root)
    (root / "incidents/2026/b.md").write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(FailurelogError, match="changed while renumbering"):
        Transaction(root, steps).commit()
    assert _texts(root) == {"a.md": "old a\n", "b.md": "edited by hand\n"}


def test_killed_before_the_journal_rolls_back(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _staged(root, _steps(root))
    handle, _name = tempfile.mkstemp(prefix=f".{JOURNAL}.", suffix=".tmp", dir=root)  # as core.atomic names it
    os.close(handle)
    finished, removed = resume(root)
    assert finished == [] and len(removed) == 4
    assert _texts(root) == {"a.md": "old a\n", "b.md": "old b\n"}
    assert not list(root.rglob("*.tmp"))


@pytest.mark.parametrize("done", [0, 1, 2, 3])
def test_killed_after_the_journal_rolls_forward(tmp_path: Path, done: int) -> None:
    root = _repo(tmp_path)
    steps = _steps(root)
    _staged(root, steps)
    record = {"steps": [[s.path, s.staged, s.before] for s in steps], "remove": "incidents/2026/b.md"}
    (root / JOURNAL).write_text(json.dumps(record), encoding="utf-8")
    for step in steps[:done]:  # the commit had got this far
        os.replace(root / step.staged, root / step.path)
    finish(root)
    assert _texts(root) == {"a.md": "new a\n", "c.md": "new c\n"}
    assert not (root / JOURNAL).exists() and not list(root.rglob("*.tmp"))
