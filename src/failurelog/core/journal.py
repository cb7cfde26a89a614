"""Changes to several files as one transaction: prepare, check, commit with a journal; the next run finishes it.

``renumber`` rewrites one incident and every file that mentions it. A kill or
a full disk half-way must not leave references split between two ids, so:

1. **prepare**: every new text is written to a temporary file beside its
   target (flushed to disk); a failure here removes them and nothing changed;
2. **check**: every target is read again and must still hold the bytes it
   held when it was read (a content hash), so an edit made meanwhile is never
   overwritten;
3. **commit**: the journal (``.failurelog-journal.json`` at the repository
   root, written atomically) lists every step; then each temporary file
   replaces its target, the moved file's old name is removed, and the
   journal is deleted.

A journal found by the next command (:func:`resume`, run before every
command) means the commit had begun: it is carried to its end, each step
only once (a step whose temporary file is gone is done). Temporary files
without a journal are from a run killed before it committed: they are
removed (:func:`clean_temporaries`), together with those ``new`` and
``import`` leave behind when killed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from failurelog.core.atomic import temp_beside, write_new
from failurelog.core.atomic import write_text as atomic_write
from failurelog.core.errors import FailurelogError
from failurelog.core.paths import INCIDENTS_DIR

JOURNAL = ".failurelog-journal.json"
#: The temporary files of :mod:`failurelog.core.atomic`: ``.NAME.XXXXXXXX.tmp`` beside NAME.
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def digest(data: bytes) -> str:
    """The content hash a step checks its target against."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class Step:
    """Put ``text`` at ``path`` (repository-relative); ``before`` is the hash the target must still have (None: new)."""

    path: str
    text: str
    before: str | None
    mode: int | None = None  # permissions of the written file (default: the target's, else 0o644)
    staged: str = ""


@dataclass
class Transaction:
    """Files to write together, and the one file to remove (a renamed incident's old name) once they are."""

    root: Path
    steps: list[Step] = field(default_factory=list)
    remove: str | None = None

    def commit(self) -> None:
        """Prepare, check and commit every step; raise FailurelogError (nothing changed) before the commit point."""
        try:
            for step in self.steps:
                target = self.root / step.path
                staged = temp_beside(target, step.text)
                step.staged = os.path.relpath(staged, self.root)
                mode = step.mode if step.mode is not None else target.stat().st_mode if target.exists() else 0o644
                os.chmod(staged, mode & 0o7777)
            self._check()
            record = {"steps": [[s.path, s.staged, s.before] for s in self.steps], "remove": self.remove}
            atomic_write(self.root / JOURNAL, json.dumps(record, indent=1) + "\n")
        except BaseException:
            for step in self.steps:
                if step.staged:
                    (self.root / step.staged).unlink(missing_ok=True)
            raise
        finish(self.root)

    def _check(self) -> None:
        for step in self.steps:
            target = self.root / step.path
            try:
                now = digest(target.read_bytes()) if target.exists() else None
            except OSError as exc:
                raise FailurelogError(f"{step.path}: cannot read it again ({exc.strerror}); nothing changed") from None
            if now != step.before:
                raise FailurelogError(f"{step.path} changed while renumbering; nothing changed: run it again")


def finish(root: Path) -> list[str]:
    """Carry a journal's commit to its end; the paths written. No journal: nothing to do."""
    journal = root / JOURNAL
    if not journal.exists():
        return []
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        steps = [(str(p), str(s), b) for p, s, b in record["steps"]]
        remove = record.get("remove")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FailurelogError(f"{journal}: an interrupted change cannot be read ({exc}); see CONTRIBUTING.md") from None
    done = []
    for path, staged, before in steps:
        source, target = root / staged, root / path
        if not source.exists():
            continue  # this step was committed before the interruption
        if before is None and not target.exists():
            write_new(target, source.read_text(encoding="utf-8"))
            source.unlink()
        else:
            os.replace(source, target)
        done.append(path)
    if isinstance(remove, str) and (root / remove).exists():
        (root / remove).unlink()
        done.append(remove)
    journal.unlink()
    return done


def clean_temporaries(root: Path, folders: Iterable[Path] = (INCIDENTS_DIR,)) -> list[Path]:
    """Remove the temporary files a killed ``new``, ``import`` or uncommitted ``renumber`` left; the paths removed.

    Only called with no journal pending (a journal's temporary files are its commit's content).
    """
    removed = []
    for path in root.glob(f".{JOURNAL}.*.tmp"):  # a journal being written when the run was killed
        if _TEMPORARY.match(path.name) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
            removed.append(path)
    for folder in folders:
        base = root / folder
        if not base.is_dir():
            continue
        for path in base.rglob(".*.tmp"):
            if _TEMPORARY.match(path.name) and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def resume(root: Path) -> tuple[list[str], list[Path]]:
    """Before a command: finish an interrupted commit, then remove stale temporary files."""
    finished = finish(root)
    return finished, clean_temporaries(root)
