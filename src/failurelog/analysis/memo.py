"""The last result of an analysis, handed out again while its arguments are the same objects.

A build asks for some analyses several times over the same model (the actions:
for the recurrences, the follow-through and two pages). A model is not changed
after it is built (its cached properties assume so too), so the result for
the same objects is the same. The arguments are held by weak references: a
model no longer used is not kept alive, and a new one is never mistaken for it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from failurelog.core.gcpause import gc_paused

T = TypeVar("T")


class LastResult(Generic[T]):
    """The result of the last call of ``compute`` and the objects it was called with."""

    def __init__(self, compute: Callable[..., T]) -> None:
        """Nothing computed yet."""
        self._compute = compute
        self._args: tuple[weakref.ReferenceType[Any], ...] = ()
        self._extra: tuple[Any, ...] = ()
        self._result: T | None = None

    def __call__(self, *args: Any, extra: tuple[Any, ...] = ()) -> T:
        """``compute(*args)``, or the last result when ``args`` are the same objects and ``extra`` is equal."""
        same = len(args) == len(self._args) and all(ref() is arg for ref, arg in zip(self._args, args, strict=True))
        if same and extra == self._extra and self._result is not None:
            return self._result
        with gc_paused():  # it reads every incident (core/gcpause.py)
            result = self._compute(*args)
        self._args, self._extra, self._result = tuple(weakref.ref(a) for a in args), extra, result
        return result
