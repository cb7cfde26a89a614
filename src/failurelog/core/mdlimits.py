"""What the site will render of a body: bounds on size, line length, nesting and open brackets.

Python-Markdown is superlinear on some input and recursive on nesting: every
unclosed ``[`` scans to the end of its paragraph (50,000 of them took more
than five minutes), and 400 nested admonitions or a 600-level list end in
``RecursionError``. ``validate`` refuses a body beyond these bounds, naming
the line and the limit, so the build only ever renders bodies it renders
fast (see ``bench/bench_render.py``). Each bound is far beyond what a
post-mortem needs; a log belongs in a fenced code block, where only the size
and line-length bounds apply.

One pass over the lines, linear in the body's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters of body text.
MAX_BODY_CHARS = 512 * 1024
#: Characters on one line.
MAX_LINE_CHARS = 20_000
#: Characters in one paragraph outside fenced code (a blank line, a list item or a table row starts another).
MAX_PARAGRAPH_CHARS = 8_000
#: Nesting of lists, block quotes, admonitions and definitions (two columns of indentation or one ``>`` each).
MAX_NESTING = 8
#: How many times over the link parser may read a paragraph for its ``[`` (see :func:`bracket_scans`).
MAX_BRACKET_SCANS = 3
#: ``[`` in one paragraph, closed or not: each costs the link parser far more than a plain character.
MAX_BRACKETS = 200
#: Raw-HTML tag starts (``<a``, ``</x``) in one paragraph.
MAX_TAGS = 64
#: Unclosed tag starts (``<a`` with no ``>`` before the next ``<``) in the whole body outside code: each makes
#: the raw-HTML parser read on through the rest of the body.
MAX_UNCLOSED_TAGS = 16
#: Runs of backticks in one paragraph.
MAX_BACKTICK_RUNS = 256
#: Table cells in the whole body outside code (Python-Markdown spends about 0.1 ms on each, more with markup).
MAX_TABLE_CELLS = 3_000
#: Raw-HTML tag starts in the whole body outside code.
MAX_BODY_TAGS = 1_000
#: Footnote definitions (``[^n]: ...``) in the whole body.
MAX_FOOTNOTES = 500
#: List items, quoted lines, admonitions and definitions in the whole body (each is a block the parser nests).
MAX_BLOCKS = 3_000
#: Admonitions (``!!!``, ``???``) in the whole body: each costs about three list items.
MAX_ADMONITIONS = 1_000

_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_BACKTICKS = re.compile(r"`+")
_FOOTNOTE = re.compile(r"^[ \t>]*\[\^[^\]\n]{1,200}\]:")
_CONTAINER = re.compile(r"^((?:[ \t]*>)*)([ \t]*)(?:[-*+][ \t]|\d{1,9}[.)][ \t]|!!!|\?\?\?|:[ \t]|>)")


@dataclass(frozen=True)
class Excess:
    """One bound a body goes beyond: the 0-based line of the body where it does, and what a person should do."""

    offset: int
    message: str


def _columns(indent: str) -> int:
    return sum(4 - (i % 4) if ch == "\t" else 1 for i, ch in enumerate(indent))


def bracket_scans(paragraph: str) -> int:
    """How many characters Python-Markdown's link parser reads for the ``[`` of ``paragraph``, about.

    Each ``[`` is read on to its ``]``, an unclosed one to the end of the paragraph, and ``![`` twice
    (as an image, then as a link). Backslash escapes are skipped.
    """
    open_at: list[tuple[int, int]] = []
    scans = 0
    escaped = False
    for at, ch in enumerate(paragraph):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[":
            open_at.append((at, 2 if at and paragraph[at - 1] == "!" else 1))
        elif ch == "]" and open_at:
            start, weight = open_at.pop()
            scans += weight * (at - start)
    return scans + sum(weight * (len(paragraph) - start) for start, weight in open_at)


def unclosed_tags(text: str) -> int:
    """Tag starts in ``text`` not closed by a ``>`` before the next ``<``."""
    count = 0
    for match in _TAG_START.finditer(text):
        close = text.find(">", match.end())
        again = text.find("<", match.end())
        if close == -1 or (again != -1 and again < close):
            count += 1
    return count


def _paragraph_excess(lines: list[str], start: int) -> list[tuple[str, Excess]]:
    text = "\n".join(lines)
    out = []
    if len(text) > MAX_PARAGRAPH_CHARS:
        out.append(
            (
                "paragraph",
                Excess(
                    start,
                    f"paragraph of {len(text):,} characters; the site renders at most {MAX_PARAGRAPH_CHARS:,} "
                    "outside code: put logs in a ``` fenced code block, or split the paragraph with blank lines",
                ),
            )
        )
    count = text.count("[")
    if count > MAX_BRACKETS:
        out.append(
            (
                "bracket count",
                Excess(
                    start,
                    f"{count} '[' in one paragraph; the site renders at most {MAX_BRACKETS}: put logs in a ``` "
                    "fenced code block, or split the paragraph with blank lines",
                ),
            )
        )
    elif count and bracket_scans(text) > MAX_BRACKET_SCANS * len(text) + 200:
        out.append(
            (
                "brackets",
                Excess(
                    start,
                    "'[' left unclosed or nested deeply in this paragraph: the site's Markdown parser would read it "
                    f"more than {MAX_BRACKET_SCANS} times over; escape them as \\[ or put the text in a ``` "
                    "fenced code block",
                ),
            )
        )
    tags = len(_TAG_START.findall(text)) if "<" in text else 0
    if tags > MAX_TAGS:
        out.append(
            (
                "tags",
                Excess(
                    start,
                    f"{tags} HTML tags in one paragraph; the site renders at most {MAX_TAGS}: "
                    "put pasted markup or logs in a ``` fenced code block",
                ),
            )
        )
    ticks = len(_BACKTICKS.findall(text)) if "`" in text else 0
    if ticks > MAX_BACKTICK_RUNS:
        out.append(
            (
                "backticks",
                Excess(
                    start,
                    f"{ticks} runs of backticks in one paragraph; the site renders at most {MAX_BACKTICK_RUNS}: "
                    "put the text in a ``` fenced code block",
                ),
            )
        )
    return out


def _count_unclosed(found: dict[str, Excess], so_far: int, paragraph: list[str], start: int) -> int:
    text = "\n".join(paragraph)
    total = so_far + (unclosed_tags(text) if "<" in text else 0)
    if total > MAX_UNCLOSED_TAGS and "unclosed" not in found:
        found["unclosed"] = Excess(
            start,
            f"more than {MAX_UNCLOSED_TAGS} '<' that start a tag never closed by '>' in the body (this paragraph "
            "reaches the limit); the site renders at most that many: write &lt; or put the text in a ``` fenced "
            "code block",
        )
    return total


#: The bounds on the whole body, checked line by line: counter -> (limit, what is counted, what to do).
_BODY_BOUNDS = {
    "cells": (
        MAX_TABLE_CELLS,
        "table cells",
        "keep the tables to what a reader needs and put long listings in a ``` fenced code block",
    ),
    "body tags": (
        MAX_BODY_TAGS,
        "HTML tags outside code",
        "write the text in Markdown, or put pasted markup in a ``` fenced code block",
    ),
    "footnotes": (MAX_FOOTNOTES, "footnotes", "move the notes into the text or into a list"),
    "admonitions": (MAX_ADMONITIONS, "admonitions (!!! and ???)", "keep the notes to what a reader needs"),
    "blocks": (
        MAX_BLOCKS,
        "list items, quoted lines and admonitions",
        "put long listings in a ``` fenced code block",
    ),
}


def _count_body(found: dict[str, Excess], counts: dict[str, int], line: str, offset: int, container: bool) -> None:
    """Add one line outside code to the body-wide counts; the first line past a bound is reported."""
    if "|" in line:  # a table row, or prose with a pipe (counted too: the bound is far from prose)
        counts["cells"] += line.strip(" \t>").strip("|").count("|") + 1
    if "<" in line:
        counts["body tags"] += len(_TAG_START.findall(line))
    if "[^" in line and _FOOTNOTE.match(line):
        counts["footnotes"] += 1
        if line[:1] in (" ", "\t") and "indented footnote" not in found:  # Python-Markdown fails on one nested
            found["indented footnote"] = Excess(  # in another footnote ("OrderedDict mutated during iteration")
                offset,
                "footnote defined in an indented block (inside another footnote or a list item); the site's "
                "Markdown parser can fail on it: start the definition [^name]: at the beginning of a line",
            )
    if container:
        counts["blocks"] += 1
        if line.lstrip(" \t>").startswith(("!!!", "???")):
            counts["admonitions"] += 1
    for kind, (limit, what, advice) in _BODY_BOUNDS.items():
        if counts[kind] > limit and kind not in found:
            found[kind] = Excess(
                offset, f"more than {limit:,} {what} in the body (this line is past the limit): {advice}"
            )


def excesses(body: str) -> list[Excess]:
    """Every bound ``body`` goes beyond, at most one of each kind, in line order."""
    found: dict[str, Excess] = {}
    if len(body) > MAX_BODY_CHARS:
        found["size"] = Excess(0, f"body of {len(body):,} characters; the site renders at most {MAX_BODY_CHARS:,}")
    fence: str | None = None
    unclosed = 0
    counts = dict.fromkeys(_BODY_BOUNDS, 0)
    paragraph: list[str] = []
    paragraph_start = 0
    lines = body.split("\n")
    for offset, line in enumerate([*lines, ""]):
        if len(line) > MAX_LINE_CHARS and "line" not in found:
            found["line"] = Excess(
                offset, f"line of {len(line):,} characters; the site renders at most {MAX_LINE_CHARS:,} on a line"
            )
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
            continue
        container = _CONTAINER.match(line)
        _count_body(found, counts, line, offset, container is not None)
        if container and "nesting" not in found:
            depth = container.group(1).count(">") + _columns(container.group(2)) // 2 + 1
            if depth > MAX_NESTING:
                found["nesting"] = Excess(
                    offset,
                    f"lists, quotes or admonitions nested about {depth} deep; the site renders at most "
                    f"{MAX_NESTING} levels",
                )
        if fence_match or not line.strip():
            for kind, excess in _paragraph_excess(paragraph, paragraph_start) if paragraph else []:
                found.setdefault(kind, excess)
            unclosed = _count_unclosed(found, unclosed, paragraph, paragraph_start)
            paragraph = []
            fence = fence_match.group(1) if fence_match else None
            continue
        if paragraph and (container or line.lstrip().startswith("|")):
            for kind, excess in _paragraph_excess(paragraph, paragraph_start):
                found.setdefault(kind, excess)
            unclosed = _count_unclosed(found, unclosed, paragraph, paragraph_start)
            paragraph = []
        if not paragraph:
            paragraph_start = offset
        paragraph.append(line)
    return sorted(found.values(), key=lambda e: e.offset)
