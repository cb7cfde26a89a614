"""The in-process runner the CLI tests use gives what the real console script gives, and cleans up after itself."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import failurelog.cli.main
from tests.cli_helpers import run_cli, run_entry_point

GOOD = (
    "---\nid: SYS-20261103-001\ntitle: Feed handler stalls\noccurred_at: '2026-11-03T10:00:00.000Z'\n"
    "status: draft\nseverity: P1-High\n---\n\n## Initial Symptoms\n\nFeed stopped.\n"
)


@pytest.mark.parametrize(
    "args",
    [  # each case starts a real process (about a second): one in the quick loop, the rest in the full run
        pytest.param(("validate", "--format", "json"), id="json-fail"),
        pytest.param(("validate",), id="ok", marks=pytest.mark.slow),
        pytest.param(("validate", "--format", "nope"), id="usage", marks=pytest.mark.slow),
        pytest.param(("validate", "incidents/2026/SYS-20261103-009.md"), id="missing-path", marks=pytest.mark.slow),
        pytest.param(("export", "sys-20261103-001", "--format", "json"), id="export", marks=pytest.mark.slow),
    ],
)
def test_in_process_run_equals_the_real_entry_point(repo: Path, args: tuple[str, ...]) -> None:
    path = repo / "incidents" / "2026" / "SYS-20261103-001.md"
    path.parent.mkdir(parents=True)
    bad = "json" in args and args[0] == "validate"
    path.write_text(GOOD.replace("P1-High\n", "P1-High\nseverty: P1\n") if bad else GOOD, encoding="utf-8")
    real = run_entry_point(repo, *args)
    here = run_cli(repo, *args)
    assert (here.returncode, here.stdout, here.stderr) == (real.returncode, real.stdout, real.stderr)
    assert "Traceback" not in real.stderr


def test_an_uncaught_exception_is_a_traceback_and_status_1(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(argv: list[str]) -> int:
        print("half a report")
        raise RuntimeError("boom")

    monkeypatch.setattr(failurelog.cli.main, "main", broken)
    result = run_cli(repo, "validate")
    assert result.returncode == 1
    assert result.stdout == "half a report\n"
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert result.stderr.endswith("RuntimeError: boom\n")


def test_a_run_past_its_timeout_raises_timeout_expired(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def hangs(argv: list[str]) -> int:
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(failurelog.cli.main, "main", hangs)
    start = time.perf_counter()
    with pytest.raises(subprocess.TimeoutExpired):
        run_cli(repo, "validate", timeout=0.3)
    assert time.perf_counter() - start < 30


def test_folder_environment_streams_and_logging_are_put_back(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def meddles(argv: list[str]) -> int:
        assert Path.cwd() == repo
        assert os.environ["EXTRA"] == "1" and os.environ["NO_COLOR"] == "1"
        assert sys.stdin.read() == ""
        os.environ["LEAKED"] = "1"
        logging.getLogger("mkdocs").addHandler(logging.StreamHandler(sys.stderr))
        logging.getLogger("failurelog-test-new-logger").addHandler(logging.StreamHandler(sys.stderr))
        print("out")
        print("err", file=sys.stderr)
        sys.exit(3)

    cwd, streams = Path.cwd(), (sys.stdin, sys.stdout, sys.stderr)
    handlers = list(logging.getLogger("mkdocs").handlers)
    monkeypatch.setattr(failurelog.cli.main, "main", meddles)
    result = run_cli(repo, "validate", env={"EXTRA": "1"})
    assert (result.returncode, result.stdout, result.stderr) == (3, "out\n", "err\n")
    assert Path.cwd() == cwd
    assert (sys.stdin, sys.stdout, sys.stderr) == streams
    assert "LEAKED" not in os.environ and "EXTRA" not in os.environ
    assert logging.getLogger("mkdocs").handlers == handlers
    assert logging.getLogger("failurelog-test-new-logger").handlers == []
