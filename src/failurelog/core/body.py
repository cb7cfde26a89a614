"""The Markdown body: its ``##`` sections, found outside fenced code blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")


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
    """Split ``body`` at level-2 headings; ``first_line`` is the file line of its first line."""
    chunks: list[tuple[BodySection | None, list[str]]] = [(None, [])]
    others: list[tuple[int, int, str]] = []
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
        elif fence_match:
            fence = fence_match.group(1)
        elif heading := _HEADING.match(line):
            level = len(heading.group(1))
            if level == 2:
                chunks.append((BodySection(heading.group(2), first_line + offset, ""), []))
                continue
            if level == 1:
                others.append((first_line + offset, level, heading.group(2)))
        chunks[-1][1].append(line)
    sections = []
    for section, lines in chunks[1:]:
        assert section is not None
        section.text = "\n".join(lines).strip("\n")
        sections.append(section)
    return ParsedBody(sections, "\n".join(chunks[0][1]).strip("\n"), first_line, others)


def publishable(parsed: ParsedBody) -> str:
    """The Markdown the site renders of a body: the preamble and every section that is not empty, as written."""
    parts = [parsed.preamble] if strip_comments(parsed.preamble).strip() else []
    parts.extend(f"## {s.heading}\n\n{s.text}" for s in parsed.sections if not s.is_empty)
    return "\n\n".join(parts)
