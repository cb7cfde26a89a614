"""A read-only folder and a full disk, for real: tmpfs mounts, the commands that write, nothing lost.

Each case mounts a tmpfs over the repository's ``incidents/`` (or the site
folder), puts an incident in it, then makes the mount read-only (``remount,ro``)
or fills it to the last byte, and runs the command through the real CLI: exit
1, one message naming the folder or file, no traceback, every file as it was
and no temporary file left. Mounting needs root; without it the tests are
skipped, saying so.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_hostile import GOOD, TARGET, run, snapshot

FORMS = Path(__file__).resolve().parent / "fixtures" / "forms"
STATES = ("read-only", "full")
#: What the system says in each state (os.strerror), which the message must carry.
REASONS = {"read-only": os.strerror(errno.EROFS), "full": os.strerror(errno.ENOSPC)}


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@contextmanager
def tmpfs(folder: Path, size: str = "256k") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` (skips the test when mounting is not permitted)."""
    folder.mkdir(parents=True, exist_ok=True)
    done = _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here ({done.stderr.strip()}); needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def fill(folder: Path) -> None:
    """Fill the file system holding ``folder`` until a write fails for want of space."""
    with (folder / ".filler").open("wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        try:
            while True:
                filler.write(b"\0")
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def seal(folder: Path, state: str) -> None:
    """Make the mount on ``folder`` read-only, or full."""
    if state == "read-only":
        done = _mount("-o", "remount,ro", str(folder))
        assert done.returncode == 0, done.stderr
    else:
        fill(folder)


def _temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and (p.name.endswith(".tmp") or ".tmp" in p.name)]


def _files(folder: Path) -> tuple[set[str], dict[str, tuple[int, int, bytes | None]]]:
    """Every name below ``folder``, and each regular file's mode, mtime and bytes.

    A folder's own mtime is left out: on a full disk the temporary file is created, then removed.
    """
    found = snapshot(folder)
    return set(found), {name: info for name, info in found.items() if info[2] is not None}


def _refused(repo: Path, state: str, named: str, *args: str) -> None:
    before = _files(repo / "incidents")
    result = run(repo, *args)  # fails the test on a traceback or a hang
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    message = result.stderr.strip().splitlines()[-1]  # after any warnings about the input
    assert message.startswith("ERROR ") and named in message and REASONS[state] in message, result.stderr
    assert _files(repo / "incidents") == before
    assert _temporaries(repo) == []


@pytest.fixture
def sealed(repo: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str]]:
    """``repo`` with ``incidents/`` on a tmpfs holding one incident, then made read-only or full."""
    state: str = request.param
    with tmpfs(repo / "incidents"):
        (repo / TARGET).parent.mkdir(parents=True)
        (repo / TARGET).write_bytes(GOOD)
        seal(repo / "incidents", state)
        yield repo, state


@pytest.mark.parametrize("sealed", STATES, indirect=True)
def test_new_names_the_folder_and_writes_nothing(sealed: tuple[Path, str]) -> None:
    repo, state = sealed
    _refused(repo, state, "incidents/2026", "new", "--title", "NIC flap", "--at", "2026-11-03T10:00:00Z")


@pytest.mark.parametrize("sealed", STATES, indirect=True)
def test_renumber_names_the_file_and_changes_nothing(sealed: tuple[Path, str]) -> None:
    repo, state = sealed
    _refused(repo, state, "incidents/2026", "renumber", "SYS-20261103-001", "SYS-20261103-007")
    assert run(repo, "validate").returncode == 0  # still one incident, under its old id


@pytest.mark.parametrize("sealed", STATES, indirect=True)
def test_import_names_the_folder_and_writes_nothing(sealed: tuple[Path, str]) -> None:
    repo, state = sealed
    _refused(repo, state, "incidents/", "import", str(FORMS / "p0-kernel-panic-closed.txt"))


@pytest.mark.slow
@pytest.mark.parametrize("state", STATES)
def test_build_into_a_read_only_or_full_site_folder(repo: Path, state: str) -> None:
    from tests.test_hostile_ii import _site_repo

    _site_repo(repo)
    mount = repo.parent / "mnt"
    with tmpfs(mount, size="64k"):
        site = mount / "site"
        site.mkdir()
        (mount / "kept.txt").write_text("a file beside the site folder\n", encoding="utf-8")
        seal(mount, state)
        before = {name: _files(repo / name) for name in ("incidents", "schema", "templates", "docs")}
        kept = _files(mount)[1]
        result = run(repo, "build", "--site-dir", str(site))
        assert result.returncode == 1, (result.stdout[-2000:], result.stderr[-2000:])
        message = result.stderr.strip().splitlines()[-1]
        assert message.startswith("ERROR ") and str(site) in message and REASONS[state] in message, result.stderr
        assert {name: _files(repo / name) for name in before} == before
        assert {k: v for k, v in _files(mount)[1].items() if not k.startswith(str(site))} == kept
