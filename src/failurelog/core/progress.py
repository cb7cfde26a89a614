"""Phases and progress bars for long runs (a full ``validate``, a ``build``), on stderr.

Shown only when stderr is a terminal and the ``CI`` environment variable is
unset or empty: a pipe, a log file or a CI job gets nothing. The bar is
tqdm's, imported only when one is shown::

    with progress.phase("checking", total=len(paths), unit="file") as advance:
        for path in paths:
            ...
            advance(1)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

#: What a phase hands its body: ``advance(n)`` moves the bar on by ``n``.
Advance = Callable[[int], None]


def enabled(stream: TextIO | None = None) -> bool:
    """Whether progress is shown on ``stream`` (default stderr): a terminal, outside CI."""
    stream = stream if stream is not None else sys.stderr
    if os.environ.get("CI"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False


def _ignore(_n: int) -> None:
    return None


@contextmanager
def phase(description: str, total: int | None = None, *, unit: str = "file", show: bool = True) -> Iterator[Advance]:
    """A phase of a long run: a bar over ``total`` items (or a counter), closed when the block ends.

    ``show=False`` turns the bar off (a short run); even with ``show`` it appears only where :func:`enabled`.
    """
    if not (show and enabled()):
        yield _ignore
        return
    from tqdm import tqdm

    with tqdm(
        total=total, desc=description, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True, mininterval=0.2
    ) as bar:

        def advance(n: int) -> None:
            bar.update(n)

        yield advance
        if total is not None and bar.n < total:
            bar.update(total - bar.n)
    if total is not None:
        sys.stderr.write(f"{description}: {total} {unit}{'' if total == 1 else 's'}\n")
        sys.stderr.flush()
