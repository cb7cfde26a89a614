"""The Markdown body: its ``##`` sections, found outside fenced code blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass
class BodySection:
    """One ``##`` section: its heading, the file line of the heading, and its text."""

    heading: str
    line: int
    text: str

    @property
    def is_empty(self) -> bool:
        """Only whitespace and HTML comments (the scaffold's guidance) inside."""
        return not _COMMENT.sub("", self.text).strip()


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
