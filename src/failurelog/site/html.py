"""Raw-HTML pieces of generated pages: data tables and links, built from escaped text.

Data tables are emitted as HTML rather than Markdown tables: Python-Markdown
passes an HTML block through untouched, where each Markdown table cell would
go through every inline pattern (on the full-schema benchmark incidents that
was most of the build). Links in HTML are not rewritten by MkDocs, so they
are computed here from the page paths, for ``use_directory_urls`` on or off;
Zensical reads them from the page's source file and rebases them itself, so
its tree gets them relative to that (``from_source``: the engine is known to
:func:`failurelog.site.generate.prepare`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import quote

#: Every generated raw-HTML block is one line from BLOCK_START to BLOCK_END (see :mod:`failurelog.site.mdext`).
BLOCK_START = '<div class="fl-'
BLOCK_END = "</div>"

_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(value: Any) -> str:
    """User text for HTML element content or an attribute value: escaped, on one line."""
    text = str(value)
    if "\n" in text or "\r" in text or _CONTROL.search(text):
        text = _CONTROL.sub("", _BREAKS.sub(" ", text))
    return html.escape(text, quote=True)


def page_url(path: str, directory_urls: bool = True) -> str:
    """The site-relative URL of tree path ``path`` (``""`` for the home page)."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@lru_cache(maxsize=65536)
def relative_folder(target_folder: str, here_folder: str) -> str:
    """The relative path from tree folder ``here_folder`` to ``target_folder``, ending in ``/`` (empty when the same).

    ``posixpath.relpath`` for tree folders (which hold no ``..``), without its calls to the file system.
    """
    to = target_folder.split("/") if target_folder else []
    at = here_folder.split("/") if here_folder else []
    common = 0
    while common < min(len(to), len(at)) and to[common] == at[common]:
        common += 1
    parts = [".."] * (len(at) - common) + to[common:]
    return "/".join(parts) + "/" if parts else ""


def href(target: str, here: str, directory_urls: bool = True, from_source: bool = False) -> str:
    """The relative URL from the page at tree path ``here`` to tree path ``target``.

    ``from_source``: the engine reads a relative link of raw HTML from the folder of the page's source file,
    not of its URL, and rebases it to the URL itself (Zensical does; MkDocs leaves raw HTML alone). With
    directory URLs the two folders differ by one for every page but an index, hence one ``../`` fewer.
    """
    to = page_url(target, directory_urls)
    here_folder = here.rpartition("/")[0] if from_source else page_url(here, directory_urls).rpartition("/")[0]
    folder, _, name = to.rpartition("/")
    url = relative_folder(folder, here_folder) + name
    return quote(url or "./", safe="/#.-_~")


def is_generated_block(line: str) -> bool:
    """Whether ``line`` is one of the generated one-line HTML blocks (see :func:`block`)."""
    return line.startswith(BLOCK_START) and line.endswith(BLOCK_END)


def block(css: str, inner: str) -> str:
    """A generated raw-HTML block: ``inner`` (one line of HTML) in a ``<div class="fl-<css>">``."""
    if "\n" in inner:
        raise ValueError("a generated HTML block must be one line")
    return f'{BLOCK_START}{esc(css)}">{inner}{BLOCK_END}'


#: The start of a block of an incident's own (cleaned) body HTML.
BODY_START = '<div class="fl-body">'


def body_block(cleaned: str) -> str:
    """Cleaned body HTML as one generated block line: line breaks become ``&#10;``, which HTML reads alike."""
    return f"{BODY_START}{cleaned.replace(chr(13), '').replace(chr(10), '&#10;')}{BLOCK_END}"


def a(label: str, url: str) -> str:
    """A link with escaped label and address."""
    return f'<a href="{esc(url)}">{esc(label)}</a>'


def table(
    rows: Sequence[Sequence[str]],
    *,
    header: Sequence[str] | None = None,
    caption: str | None = None,
    css: str | None = None,
    row_headers: bool = False,
) -> str:
    """One line of HTML: a table of already-escaped cells (the first cell a ``<th>`` when ``row_headers``)."""
    head = [f'<table class="{esc(css)}">' if css else "<table>"]
    if caption:
        head.append(f"<caption>{esc(caption)}</caption>")
    if header:
        head.append("<thead><tr>" + " ".join(f"<th>{h}</th>" for h in header) + "</tr></thead>")
    head.append("<tbody>")
    lines = []
    for row in rows:
        cells = (
            [f"<th>{row[0]}</th>", *(f"<td>{c}</td>" for c in row[1:])]
            if row_headers
            else [f"<td>{c}</td>" for c in row]
        )
        lines.append("<tr>" + " ".join(cells) + "</tr>")
    # Spaces between cells and rows: search indexers read the cells' text one after the other.
    return "".join(head) + " ".join(lines) + "</tbody></table>"
