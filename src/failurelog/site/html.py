"""Raw-HTML pieces of generated pages: data tables and links, built from escaped text.

Data tables are emitted as HTML rather than Markdown tables: Python-Markdown
passes an HTML block through untouched, where each Markdown table cell would
go through every inline pattern (on the full-schema benchmark incidents that
was most of the build). Links in HTML are not rewritten by MkDocs, so they
are computed here from the page paths, for ``use_directory_urls`` on or off.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import quote

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


@lru_cache(maxsize=8192)
def _relative_folder(target_folder: str, here_folder: str) -> str:
    rel = posixpath.relpath(target_folder or ".", here_folder or ".")
    return "" if rel == "." else rel + "/"


def href(target: str, here: str, directory_urls: bool = True) -> str:
    """The relative URL from the page at tree path ``here`` to tree path ``target``."""
    to, at = page_url(target, directory_urls), page_url(here, directory_urls)
    here_folder = at.rpartition("/")[0]
    folder, _, name = to.rpartition("/")
    url = _relative_folder(folder, here_folder) + name
    return quote(url or "./", safe="/#.-_~")


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
    out = [f'<table class="{esc(css)}">' if css else "<table>"]
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    if header:
        out.append("<thead><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        cells = (
            [f"<th>{row[0]}</th>", *(f"<td>{c}</td>" for c in row[1:])]
            if row_headers
            else [f"<td>{c}</td>" for c in row]
        )
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)
