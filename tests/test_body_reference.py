"""``parse_body`` gives what the line-by-line split it replaced gives, on real, random and hostile bodies.

:func:`failurelog.core.body.parse_body` reads only the lines that may open or
close a fence or be a heading, and takes each section's text as a slice of the
body. The reference below is the reading it replaced: every line through both
patterns, the sections' lines joined again. Both read the example incidents,
the hostile files, and random mixes of their lines with fences of every kind
(indented, longer, shorter, unclosed, the other character), headings of every
level (with closing hashes, tabs, no space, a carriage return), comments and
blank lines.
"""

from __future__ import annotations

import random

from failurelog.core import body as b
from failurelog.core.body import BodySection, ParsedBody, parse_body
from tests.site_helpers import ROOT


def reference_parse_body(body: str, first_line: int = 1) -> ParsedBody:
    """The split before the bulk reading: each line in turn."""
    chunks: list[tuple[BodySection | None, list[str]]] = [(None, [])]
    others: list[tuple[int, int, str]] = []
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        fence_match = b._FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
        elif fence_match:
            fence = fence_match.group(1)
        elif heading := b._HEADING.match(line):
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


def _bodies_on_disk() -> list[str]:
    paths = sorted((ROOT / "incidents").rglob("*.md")) + sorted((ROOT / "tests" / "hostile").rglob("*.md"))
    out = []
    for path in paths:
        text = path.read_bytes().decode("utf-8", errors="replace")
        out.append(text.split("---\n", 2)[-1])
        out.append(text)  # the front matter's lines too: more lines starting with # or spaces
    return out


_MARKUP = [
    "```",
    "```text",
    "````",
    "~~~",
    "~~~~ console",
    "   ```",
    "    ```",
    " ~~~",
    "``",
    "```` ```",
    "## Error Messages",
    "## Backtrace/Stack Trace",
    "##\tTabbed heading",
    "## Closing hashes ##",
    "## Hashes # #",
    "## Hash then blanks #  \t",
    "## # # #",
    "##  \t ##  \t",
    "## C#",
    "## Escaped \\#",
    "# Top # heading ##",
    "##",
    "## ",
    "##NoSpace",
    "# Top heading",
    "### Third level",
    "###### Sixth",
    "####### Seventh",
    "## Carriage return\r",
    "```\r",
    "#",
    " ## indented heading",
    "<!-- guidance -->",
    "<!--",
    "-->",
    "",
    "",
    "\r",
    "#0  0x00007f in OrderContextPool::acquire (this=0x1) at pool.cc:88",
]


def _random_body(rng: random.Random, pool: list[str]) -> str:
    lines = [rng.choice(_MARKUP) if rng.random() < 0.35 else rng.choice(pool) for _ in range(rng.randint(0, 60))]
    text = "\n".join(lines)
    return text + "\n" * rng.randint(0, 2) if rng.random() < 0.7 else "\n" + text


def test_parse_body_matches_the_line_by_line_split() -> None:
    on_disk = _bodies_on_disk()
    pool = [line for text in on_disk for line in text.split("\n")]
    rng = random.Random(15)
    bodies = on_disk + [_random_body(rng, pool) for _ in range(4000)] + ["", "\n", "## A", "## A\n", "```\n## A"]
    headings = 0
    for n, text in enumerate(bodies):
        first = 1 + n % 7
        assert parse_body(text, first) == reference_parse_body(text, first), text
        headings += len(reference_parse_body(text).sections)
    assert headings > 4_000  # the mixes hold many sections, not only unclosed fences
