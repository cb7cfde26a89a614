"""Spread a CPU-bound, per-item job over forked worker processes.

Loading thousands of incidents and rendering their pages are pure Python and
CPU-bound, so threads would not help. Forked workers inherit the job (the
function, its compiled validators, the analysed model) instead of receiving it
pickled; only the items' indexes go out and the results come back.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence
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


def _workers(items: Sequence[Any]) -> int:
    """How many worker processes ``items`` is worth: 1 means stay in this process."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(items) < PARALLEL_MIN_ITEMS or workers < 2 or "fork" not in mp.get_all_start_methods():
        return 1
    return workers


def fork_map(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[func(item) for item in items]``, in order; over forked workers when there are enough items and CPUs."""
    return list(fork_imap(func, items))


def fork_imap(func: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
    """``func(item) for item in items``, in order, each result as it comes; over forked workers when worth it.

    The caller can consume (write, discard) each result before the next arrives, so the results are never
    all held at once.
    """
    global _job
    workers = _workers(items)
    if workers == 1:
        yield from (func(item) for item in items)
        return
    _job = (func, items)
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            _job = None  # the workers have their copy; this process no longer needs it
            yield from pool.imap(_run, range(len(items)), chunksize=max(1, min(16, len(items) // (workers * 8))))
    finally:
        _job = None
