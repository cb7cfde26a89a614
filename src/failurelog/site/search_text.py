"""What the site search indexes of a page: its HTML with each generated data block as one line of text.

Material's search plugin splits a page into sections at its headings and
keeps the text of each. A generated field table gives it hundreds of tags to
parse per incident, and, since table cells carry no spaces between them, text
like ``Hostnamefixgw-ch2-03IP Address10.1.2.3`` in which a host name or an
address is no longer a word of its own. :func:`search_view` replaces each
generated block (one line, see :mod:`failurelog.site.mdext`) by a paragraph
of ``Label: value · Label: value`` text, which indexes every value as words
and costs one tag. Headings, the body's blocks (``fl-body``) and everything else stay as they are,
so sections and their anchors are the same as on the page.
"""

from __future__ import annotations

import re

from failurelog.site.html import BLOCK_START, BODY_START, is_generated_block

_LABEL_END = re.compile(r"</th>\s*<td>")
_ITEM_END = re.compile(r"<br>|</(?:td|th|li|p|caption|tr)>")
_TAG = re.compile(r"<[^>]*>")
_SEPARATORS = re.compile(r"\s*(?:·\s*)+")


def flatten(block: str) -> str:
    """The text of one generated HTML block, still HTML-escaped: ``Label: value`` items joined by `` · ``."""
    text = _ITEM_END.sub(" · ", _LABEL_END.sub(": ", block))
    text = _SEPARATORS.sub(" · ", _TAG.sub("", text))
    return text.strip(" ·")


def search_view(content: str) -> str:
    """``content`` (a page's HTML) with every generated block line replaced by ``<p>`` + its text."""
    if BLOCK_START not in content:
        return content
    lines = content.split("\n")
    for number, line in enumerate(lines):
        if is_generated_block(line) and not line.startswith(BODY_START):
            text = flatten(line)
            lines[number] = f"<p>{text}</p>" if text else ""
    return "\n".join(lines)
