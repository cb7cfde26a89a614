"""What the site would render of a body: bounds (rule ``markdown``) and images from other hosts (rule ``content``).

The body is rendered exactly as the site renders it (the site's own
extensions, then the allow-list cleaner, :mod:`failurelog.core.bodyhtml`), and
the ``src`` of every ``<img>`` in that cleaned HTML is checked: an address
with a host would make every reader's browser fetch from it (a tracking
pixel, or content that changes after review), and on the firm's air-gapped
network it would not load anyway. Whatever construct an image hides in
(an admonition, a footnote, a reference definition inside a quote, raw
HTML), only what the site would publish counts, so ``validate`` and the
site agree.

Before rendering, the bounds of :mod:`failurelog.core.mdlimits` are checked;
a body beyond them is refused with the line and the limit and not rendered.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from failurelog.core.body import parse_body, publishable
from failurelog.core.bodyhtml import RenderError, render
from failurelog.core.loader import Document
from failurelog.core.mdlimits import excesses
from failurelog.core.problems import Problem
from failurelog.core.siteconfig import markdown_spec

_MAYBE_IMAGE = re.compile(r"!\[|<", re.IGNORECASE)


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


def image_sources(cleaned: str) -> list[str]:
    """The ``src`` of every image in cleaned HTML, in order."""
    if "<img" not in cleaned:
        return []
    parser = _Images()
    parser.feed(cleaned)
    parser.close()
    return parser.sources


def _line_of(doc: Document, address: str) -> int:
    """The file line where ``address`` (or failing that its host) is written."""
    host = urlsplit(address.strip()).netloc
    for needle in (address, host):
        if not needle:
            continue
        for offset, line in enumerate(doc.body.split("\n")):
            if needle in line:
                return doc.body_line + offset
    return doc.body_line


def _problem(doc: Document, line: int, message: str, rule: str) -> Problem:
    return Problem(doc.display, line, "body", message, rule)


def outside_content_problems(doc: Document, markdown: str | None = None) -> list[Problem]:
    """Bounds the body goes beyond, else one problem per image the site would fetch from another host.

    ``markdown`` is the site's extension spec (default: the mkdocs.yml of the working folder).
    """
    if not doc.body.strip():
        return []
    over = excesses(doc.body)
    if over:
        return [_problem(doc, doc.body_line + e.offset, e.message, "markdown") for e in over]
    if not _MAYBE_IMAGE.search(doc.body):
        return []
    spec = markdown if markdown is not None else markdown_spec(Path.cwd())
    try:
        cleaned = render(publishable(parse_body(doc.body)), spec)
    except RenderError:
        return [_problem(doc, doc.body_line, "body nested too deeply for the site to render: flatten it", "markdown")]
    problems: list[Problem] = []
    for address in dict.fromkeys(image_sources(cleaned)):
        if not is_outside(address):
            continue
        shown = address if len(address) <= 100 else address[:97] + "..."
        problems.append(
            _problem(
                doc,
                _line_of(doc, address),
                f"image from another host ({shown}): the published site must not fetch outside content; "
                "commit the image and link it with a relative path, or make it a plain link (drop the '!')",
                "content",
            )
        )
    return problems
