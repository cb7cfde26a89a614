"""Long generated lists cut into pages of a bounded number of rows, with links between the pages.

A list whose rows grow with the repository (the incident index, a value's
incidents, the open actions...) is shown :data:`PAGE_ROWS` rows a page. Page 1
keeps the list's own tree path, so existing links and the navigation keep
working; page ``n`` is ``STEM/page-n.md``, where ``STEM`` is the first page's
path without ``.md`` (``incidents/index/page-2.md``) or, for a second list on
the same page, a stem of its own. Nothing else in the tree lives under a stem,
so a page can never collide with a value's or an asset's page. A list that
fits on one page is shown exactly as before, without navigation.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from failurelog.site import markup as m

#: Marks the table after it as sortable and filterable (see assets/failurelog/failurelog.js).
TABLE_MARKER = '<div class="fl-table-tools" data-fl-table></div>'

#: Rows on one page of a long list: what a reader scans, and what keeps a page well under 1 MB at 10,000 incidents.
PAGE_ROWS = 250

T = TypeVar("T")


@dataclass(frozen=True)
class Pages:
    """How one list of ``total`` items is cut into pages: where each page starts, and each page's tree path."""

    first: str  # tree path of page 1: the list's page today
    starts: tuple[int, ...]  # index of the first item of each page; (0,) for a list on one page
    total: int
    stem: str  # page n (n >= 2) is f"{stem}/page-{n}.md"
    noun: str = "rows"

    @property
    def count(self) -> int:
        """How many pages."""
        return len(self.starts)

    def path(self, number: int) -> str:
        """Tree path of page ``number`` (from 1)."""
        return self.first if number == 1 else f"{self.stem}/page-{number}.md"

    def span(self, number: int) -> range:
        """The indexes of the items on page ``number``."""
        end = self.starts[number] if number < self.count else self.total
        return range(self.starts[number - 1], end)

    def items(self, seq: Sequence[T], number: int) -> Sequence[T]:
        """The items of ``seq`` (the whole list) shown on page ``number``."""
        span = self.span(number)
        return seq[span.start : span.stop]

    def number_of(self, index: int) -> int:
        """The page (from 1) that shows item ``index`` of the list."""
        return max(1, bisect_right(self.starts, index))

    def page_of(self, index: int) -> str:
        """Tree path of the page that shows item ``index``: where a link to that item points."""
        return self.path(self.number_of(index))

    def extra(self) -> list[int]:
        """The page numbers after the first (each one a page of its own in the tree)."""
        return list(range(2, self.count + 1))

    def title(self, title: str, number: int) -> str:
        """A page title: the list's own on page 1, with ``(page n of N)`` after it."""
        return title if number == 1 else f"{title} (page {number} of {self.count})"

    def nav(self, number: int, here: str | None = None) -> str:
        """``Rows 201 to 400 of 9,832 (page 2 of 40) · First · Previous · Next · Last`` ("" for one page).

        ``here`` is the page the line is on when it is not the list's own page
        (a list shown on page 1 of another list's page).
        """
        if self.count == 1:
            return ""
        span = self.span(number)
        at = here or self.path(number)
        shown = f"{self.noun.capitalize()} {span.start + 1:,} to {span.stop:,} of {self.total:,}"
        shown += f" (page {number} of {self.count})"
        steps = [("First", 1), ("Previous", number - 1), ("Next", number + 1), ("Last", self.count)]
        links = [
            m.link(label, self.path(target), at) if 1 <= target <= self.count and target != number else label
            for label, target in steps
        ]
        return f"{shown} · " + " · ".join(links)


@dataclass(frozen=True)
class Listing(Generic[T]):
    """One long list shown on a page with others (the actions page's, the audit page's): rows, header, pages."""

    title: str
    header: list[str]
    entries: Sequence[T]
    row: Callable[[T, str], list[str]]  # the cells of an entry's row on the page at a tree path
    pages: Pages
    filterable: bool = True  # the table gets the filter box (``TABLE_MARKER``)

    def table(self, number: int, here: str | None = None) -> str:
        """Page ``number`` of the list as a Markdown table, with the page navigation above and below when paged."""
        at = here or self.pages.path(number)
        table = m.table(self.header, [self.row(e, at) for e in self.pages.items(self.entries, number)])
        if self.filterable:
            table = f"{TABLE_MARKER}\n\n{table}"
        nav = self.pages.nav(number, at)
        return f"{nav}\n\n{table}\n\n{nav}" if nav else table

    def page(self, number: int, title: str, back: str) -> str:
        """Page ``number`` (from 2) of the list as a page of its own, linking back to the page ``back`` (``title``)."""
        heading = self.pages.title(f"{title}: {self.title}", number)
        link = m.link(title, back, self.pages.path(number))
        return (
            m.page_header(heading, hide=("navigation",), search=False)
            + f"# {m.text(heading)}\n\n{link}\n\n{self.table(number)}\n"
        )


def pages_of(first: str, total: int, *, stem: str | None = None, noun: str = "rows") -> Pages:
    """A list of ``total`` rows cut every :data:`PAGE_ROWS` rows."""
    size = max(1, PAGE_ROWS)
    starts = tuple(range(0, total, size)) or (0,)
    return Pages(first, starts, total, stem or first.removesuffix(".md"), noun)


def pages_by_weight(first: str, weights: Sequence[int], *, stem: str | None = None, noun: str = "rows") -> Pages:
    """A list of items of several rows each (a cluster's incidents): a new page past :data:`PAGE_ROWS` rows.

    An item is never cut; one larger than a page has a page of its own.
    """
    size = max(1, PAGE_ROWS)
    starts, rows = [0], 0
    for index, weight in enumerate(weights):
        if rows and rows + weight > size:
            starts.append(index)
            rows = 0
        rows += weight
    return Pages(first, tuple(starts), len(weights), stem or first.removesuffix(".md"), noun)


def page_jobs(pages: Pages, render: Callable[..., str], *args: Any) -> list[tuple[str, Callable[[], str]]]:
    """A tree job per page: ``(tree path, call)``, where the call is ``render(*args, number)``."""
    return [(pages.path(n), partial(render, *args, n)) for n in range(1, pages.count + 1)]
