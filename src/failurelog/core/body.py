"""The Markdown body: its ``##`` sections, found outside fenced code blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
#: A line that :data:`_FENCE` or :data:`_HEADING` matches, after a line break: both patterns in one, so that
#: the body is searched once, from one literal to the next (``re`` skips to it, which it cannot do for ``^``).
#: The heading's text is what follows its hashes and blanks, less the closing hashes (:func:`_heading_text`).
_MARK = re.compile(r"\n(?:[ ]{0,3}(`{3,}|~{3,})|(#{1,6})[ \t]+(.*)$)", re.MULTILINE)


def _heading_text(rest: str) -> str:
    """What :data:`_HEADING`'s lazy group keeps of the line after the hashes and blanks.

    Its trailing blanks, then closing hashes, then the blanks before them are stripped: the longest such
    tail, as the lazy group leaves it, in one pass each instead of a match at every position.
    """
    return rest.rstrip(" \t").rstrip("#").rstrip(" \t")


def strip_comments(text: str) -> str:
    """``text`` without its ``<!-- ... -->`` comments (the scaffold's guidance); linear, unlike a lazy regex.

    An unclosed ``<!--`` and what follows it are kept.
    """
    if "<!--" not in text:
        return text
    out: list[str] = []
    at = 0
    while (start := text.find("<!--", at)) != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break
        out.append(text[at:start])
        at = end + 3
    out.append(text[at:])
    return "".join(out)


@dataclass
class BodySection:
    """One ``##`` section: its heading, the file line of the heading, and its text."""

    heading: str
    line: int
    text: str

    @property
    def is_empty(self) -> bool:
        """Only whitespace and HTML comments (the scaffold's guidance) inside."""
        return not strip_comments(self.text).strip()


@dataclass
class ParsedBody:
    """Sections in order, plus stray content the template has no place for."""

    sections: list[BodySection]
    preamble: str
    preamble_line: int
    other_headings: list[tuple[int, int, str]]  # (line, level, text) of # headings outside ##


def parse_body(body: str, first_line: int = 1) -> ParsedBody:
    """Split ``body`` at level-2 headings; ``first_line`` is the file line of its first line.

    Only the lines that may open or close a fence or be a heading (:data:`_MARK`, found by one regex over
    the whole body) are read one by one; the text between two headings is a slice of the body, which is
    what joining its lines again would give.
    """
    marks: list[tuple[int, int, str, int]] = []  # (start, end of the line, heading, file line) of each ``##``
    others: list[tuple[int, int, str]] = []
    fence: str | None = None
    line, counted = first_line, 0
    # The first line has no line break before it: searched as if it had (one more line, the first skipped).
    for mark in _MARK.finditer("\n" + body):
        if (opened := mark.group(1)) is not None:
            if fence is None:
                fence = opened
            elif opened[0] == fence[0] and len(opened) >= len(fence):
                fence = None
        elif fence is None and len(mark.group(2)) <= 2:
            start = mark.start()  # in the body: the search's text has one character more before it
            line += body.count("\n", counted, start)
            counted = start
            if len(mark.group(2)) == 2:
                marks.append((start, mark.end() - 1, _heading_text(mark.group(3)), line))
            else:
                others.append((line, 1, _heading_text(mark.group(3))))
    sections = []
    for n, (_start, end, heading_text, at) in enumerate(marks):
        stop = marks[n + 1][0] - 1 if n + 1 < len(marks) else len(body)
        sections.append(BodySection(heading_text, at, body[end + 1 : stop].strip("\n")))
    preamble = body[: marks[0][0] - 1] if marks and marks[0][0] > 0 else ("" if marks else body)
    return ParsedBody(sections, preamble.strip("\n"), first_line, others)


def publishable(parsed: ParsedBody) -> str:
    """The Markdown the site renders of a body: the preamble and every section that is not empty, as written."""
    parts = [parsed.preamble] if strip_comments(parsed.preamble).strip() else []
    parts.extend(f"## {s.heading}\n\n{s.text}" for s in parsed.sections if not s.is_empty)
    return "\n\n".join(parts)
