"""A Python-Markdown extension that hands failurelog's generated HTML blocks to the output as they are.

The generated pages carry their data (field tables, incident lists) as raw
HTML blocks, one line each, starting with ``<div class="fl-``. Python-Markdown
would pass them through unchanged anyway, but only after its raw-HTML parser
(and MkDocs' own anchor scan) has read every tag of them, which on full
incident pages was most of the build. This preprocessor stores each such line
in Python-Markdown's HTML stash first, the same place the raw-HTML parser
would have put it, so the converted page is identical and no parser reads it.

It runs after the fenced-code preprocessors (priority 25), so a line inside a
code block is never taken for a generated block; an incident's body reaches
the page only as such blocks of cleaned HTML (see :mod:`failurelog.core.bodyhtml`).
The MkDocs hook adds it; Zensical, which runs no hooks, converts the same
lines with its raw-HTML parser and gets the same HTML.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from failurelog.site.html import is_generated_block

#: Between the fenced-code preprocessors (25) and MkDocs' raw-HTML scan (21) and Python-Markdown's (20).
PRIORITY = 23


class _StashGeneratedBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            if is_generated_block(line):
                # stored with its line end, exactly as Python-Markdown's raw-HTML parser stores a block
                out.extend(("", self.md.htmlStash.store(line + "\n"), ""))
            else:
                out.append(line)
        return out


class GeneratedBlocks(Extension):
    """Pass failurelog's generated one-line HTML blocks through without parsing them."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the preprocessor."""
        md.preprocessors.register(_StashGeneratedBlocks(md), "failurelog_generated_blocks", PRIORITY)


def makeExtension(**kwargs: object) -> GeneratedBlocks:
    """The extension, for ``markdown_extensions: [failurelog.site.mdext]``."""
    return GeneratedBlocks(**kwargs)
