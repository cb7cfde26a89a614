"""No cyclic garbage collection while an analysis runs over the whole model.

The analyses allocate millions of small, acyclic objects (lists of incidents
per value, feature sets, figures). Each allocation burst triggers collections,
and every full one walks every object of the loaded incidents again: at 10,000
incidents that made reading the recurrences 3x slower and splitting the bodies
1.5x (bench/README.md, "Analyses"). Reference counting still frees what they
drop; the collector runs again when the outermost pause ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside (a context manager, or a decorator: ``@gc_paused()``)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
