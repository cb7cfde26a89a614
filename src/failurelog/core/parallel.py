"""Spread a CPU-bound, per-item job over forked worker processes.

Loading thousands of incidents and rendering their pages are pure Python and
CPU-bound, so threads would not help. Forked workers inherit the job (the
function, its compiled validators, the analysed model) instead of receiving it
pickled; only the items' indexes go out and the results come back.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many items a worker pool costs more than it saves.
PARALLEL_MIN_ITEMS = 200
MAX_WORKERS = 8

_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _run(index: int) -> Any:
    assert _job is not None
    func, items = _job
    return func(items[index])


def fork_map(func: Callable[[T], R], items: Sequence[T], *, advance: Callable[[int], None] | None = None) -> list[R]:
    """``[func(item) for item in items]``, in order; over forked workers when there are enough items and CPUs.

    ``advance(1)`` is called as each result arrives (a progress bar).
    """
    global _job
    step = advance or _ignore
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(items) < PARALLEL_MIN_ITEMS or workers < 2 or "fork" not in mp.get_all_start_methods():
        out = []
        for item in items:
            out.append(func(item))
            step(1)
        return out
    _job = (func, items)
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            results = []
            for result in pool.imap(_run, range(len(items)), chunksize=max(1, len(items) // (workers * 8))):
                results.append(result)
                step(1)
            return results
    finally:
        _job = None


def _ignore(_n: int) -> None:
    return None
