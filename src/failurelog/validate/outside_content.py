"""Images the published site would fetch from another host are errors (rule ``content``).

The site escapes raw HTML and disarms ``javascript:`` links in an incident's
body, so nothing an author writes can run script. A Markdown image, though, is
still an ``<img>`` whose address the author chooses: ``![](https://host/x.png)``
would make every reader's browser fetch from that host (a tracking pixel, or
content that changes after review), and on the firm's air-gapped network it
would not load anyway. So ``validate`` (and therefore ``build``) refuses images
whose address has a host, pointing at the line that holds the address.

The body is rendered with Python-Markdown, the parser the site uses, so every
image syntax (inline, reference-style, nested brackets, angle brackets) is
found as the site would see it, and images inside code are not. Raw HTML is
turned into text first, as the site does (so a raw ``<img>`` is shown, never
fetched, and is not reported here). Only bodies that contain ``![`` are
rendered, which keeps validation fast.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from failurelog.core.loader import Document
from failurelog.core.problems import Problem

#: Python-Markdown extensions that change what is code and what is text, as on the site.
EXTENSIONS = ("tables", "footnotes", "def_list", "admonition", "pymdownx.superfences")

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
#: What stands before a ``<`` that opens a link destination, ``](<url>)`` or ``[ref]: <url>``, on its line.
_DESTINATION = re.compile(r"(?:\]\(\s*|^ {0,3}\[[^\]\n]+\]:\s*)$")


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.extend(value or "" for name, value in attrs if name == "src")


def is_outside(address: str) -> bool:
    """True when ``address`` names another host (``https://x/``, ``//x/``, ``ftp://x/``)."""
    parts = urlsplit(address.strip())
    return bool(parts.netloc) or parts.scheme.lower() in ("http", "https", "ftp")


def _without_raw_html(body: str) -> str:
    """``body`` with raw HTML turned into text, as the site does, keeping ``<...>`` link destinations."""
    out: list[str] = []
    last = 0
    for match in _TAG_START.finditer(body):
        start = match.start()
        if _DESTINATION.search(body, body.rfind("\n", 0, start) + 1, start):
            continue
        out.append(body[last:start])
        out.append("&lt;")
        last = start + 1
    out.append(body[last:])
    return "".join(out)


def image_sources(body: str) -> list[str]:
    """The address of every Markdown image in ``body`` as the site renders it, in order."""
    if "![" not in body:
        return []
    import markdown

    parser = _Images()
    parser.feed(markdown.markdown(_without_raw_html(body), extensions=list(EXTENSIONS)))
    parser.close()
    return parser.sources


def _line_of(doc: Document, address: str) -> int:
    """The file line where ``address`` is written (the reference definition for a reference-style image)."""
    for offset, line in enumerate(doc.body.split("\n")):
        if address in line:
            return doc.body_line + offset
    return doc.body_line


def outside_content_problems(doc: Document) -> list[Problem]:
    """One problem per image in the body that would be fetched from another host."""
    problems: list[Problem] = []
    for address in dict.fromkeys(image_sources(doc.body)):
        if not is_outside(address):
            continue
        shown = address if len(address) <= 100 else address[:97] + "..."
        problems.append(
            Problem(
                doc.display,
                _line_of(doc, address),
                "body",
                f"image from another host ({shown}): the published site must not fetch outside content; "
                "commit the image and link it with a relative path, or make it a plain link (drop the '!')",
                "content",
            )
        )
    return problems
