r"""Characters that make text read differently than it is stored (rule ``text``).

Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the
invisible direction marks reorder what a reviewer sees: a title can show one
thing and sort, search and diff as another ("Trojan Source"). They are
refused in every front-matter value, as host names already refuse them; so
are C0 and C1 control characters that YAML escapes (``"\e"``) let through.
"""

from __future__ import annotations

import re

from failurelog.core.loader import Document
from failurelog.core.problems import Problem, dotted, line_of
from failurelog.core.terminal import CONTROL
from failurelog.core.yamlio import Walk, walk

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def describe(text: str) -> str | None:
    """What is wrong with ``text`` (its first direction control, by code point), or None."""
    found = BIDI.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def _control(text: str) -> str | None:
    found = CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def text_problems(doc: Document, walked: Walk | None = None) -> list[Problem]:
    """One problem per front-matter string that holds a bidirectional control character.

    ``walked`` is :func:`~failurelog.core.yamlio.walk` of the front matter, when the caller has it already.
    """
    if not isinstance(doc.meta, dict):
        return []
    pairs = walk(doc.meta) if walked is None else walked
    # one search over every key and value first: almost every file has none of these characters
    joined = "\n".join(
        text for path, value in pairs for text in (value, path[-1] if path else "") if isinstance(text, str)
    )
    if CONTROL.search(joined) is None and BIDI.search(joined) is None:
        return []
    out = []
    for path, value in pairs:
        texts = [value] if isinstance(value, str) else []
        if path and isinstance(path[-1], str):
            texts.append(path[-1])
        for text in texts:
            control = _control(text)
            if control is not None:
                out.append(
                    Problem(
                        doc.display,
                        line_of(doc.lines, path, 1),
                        dotted(path),
                        f"control character {control} (written as a YAML escape) would reach readers' terminals; "
                        "remove it",
                        "text",
                    )
                )
                break
        code = describe(value) if isinstance(value, str) else None
        if code is not None:
            out.append(
                Problem(
                    doc.display,
                    line_of(doc.lines, path, 1),
                    dotted(path),
                    f"bidirectional control character {code} makes the text display differently from what it is; "
                    "remove it",
                    "text",
                )
            )
    return out
