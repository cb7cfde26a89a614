"""Numbers a real system cannot report: ``.inf``, ``.nan``, and numerals too long to be a measurement (rule ``number``).

YAML reads ``.inf``, ``.nan`` and ``1e400`` as floats that are not finite, and
:mod:`failurelog.core.yamlio` reads an integer of more than
:data:`~failurelog.core.yamlio.MAX_INT_DIGITS` digits as infinite rather than
converting the unbounded string. None of these can be shown, summed or
exported as JSON; the schema's ``maximum`` bounds (with the field's unit)
refuse the finite values no system reaches.
"""

from __future__ import annotations

import math

from failurelog.core.loader import Document
from failurelog.core.problems import Problem, dotted, line_of
from failurelog.core.yamlio import MAX_INT_DIGITS, Walk, iter_paths, walk


def number_problems(doc: Document, walked: Walk | None = None) -> list[Problem]:
    """One problem per value in the front matter that is not a finite number where a number is written.

    ``walked`` is :func:`~failurelog.core.yamlio.walk` of the front matter, when the caller has it already.
    """
    if not isinstance(doc.meta, dict):
        return []
    return [
        Problem(
            doc.display,
            line_of(doc.lines, path, 1),
            dotted(path),
            f"{value!r} is not a finite number (.inf, .nan, beyond 1e308, or an integer of more than "
            f"{MAX_INT_DIGITS} digits): write the measured value",
            "number",
        )
        for path, value in (walk(doc.meta) if walked is None else walked)
        if isinstance(value, float) and not math.isfinite(value)
    ]


def finite(value: object) -> bool:
    """Whether ``value`` holds no non-finite number anywhere inside it."""
    return not any(isinstance(v, float) and not math.isfinite(v) for _path, v in iter_paths(value))
