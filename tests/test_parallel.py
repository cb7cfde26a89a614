"""Forked workers give exactly what one process gives: same items, same order."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from failurelog.core import parallel
from failurelog.site.context import build_context
from failurelog.site.generate import load_model
from failurelog.site.tree import render_tree
from failurelog.validate.run import validate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def always_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def test_fork_map_keeps_order_and_uses_other_processes(always_fork: None) -> None:
    results = parallel.fork_map(_pid_and_square, list(range(500)))
    assert [square for _pid, square in results] == [n * n for n in range(500)]
    assert os.getpid() not in {pid for pid, _square in results}


def test_small_jobs_stay_in_this_process() -> None:
    assert {pid for pid, _ in parallel.fork_map(_pid_and_square, [1, 2, 3])} == {os.getpid()}


@pytest.mark.slow
def test_pages_rendered_in_workers_equal_pages_rendered_here(monkeypatch: pytest.MonkeyPatch) -> None:
    model = load_model(ROOT, date(2026, 12, 1))
    here = render_tree(build_context(model, "https://git.example.invalid/edit/main/"))
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    forked = render_tree(build_context(model, "https://git.example.invalid/edit/main/"))
    assert forked == here
    assert len(here) > 19


@pytest.mark.slow
def test_validation_in_workers_reports_the_same_problems(always_fork: None) -> None:
    cases = ROOT / "tests" / "cases" / "negative"
    forked = validate(ROOT, [cases])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "PARALLEL_MIN_ITEMS", 10**9)
        here = validate(ROOT, [cases])
    assert [p.__dict__ for p in forked.problems] == [p.__dict__ for p in here.problems]
    assert forked.problems


def test_fork_imap_yields_in_order_from_other_processes(always_fork: None) -> None:
    results = list(parallel.fork_imap(_pid_and_square, list(range(300))))
    assert [square for _pid, square in results] == [n * n for n in range(300)]
    assert os.getpid() not in {pid for pid, _square in results}
