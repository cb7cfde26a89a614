"""What an incident page tells the site search (Pagefind) besides its text: result fields and filters.

Pagefind reads ``data-pagefind-*`` attributes from the built HTML
(:mod:`failurelog.site.search_index`). Each incident page carries one hidden
generated block: the id and the date as result metadata, and every
``x-search-facet`` field of the schema (plus the year) as both a filter and
metadata, so a result shows id, severity and date without loading the page,
and the search box offers those fields as facets. A filter is keyed by the
field's schema title ("Severity", "System Component"), which the search box
shows as the facet's label; metadata by the field's name. The line under a
result's title is one more metadata value, ``facts``, written here so that the
browser names no field: the id, the facets the summary card shows as badges
(severity, then status: :func:`failurelog.site.card.summary_fields`), the
date. The block is marked
``data-pagefind-ignore``: its text is not indexed as words (the visible
tables already are), only its metadata and filters.

A row of the folded "Recorded data" tables is indexed as ``Label value``
(so ``Hostname: md-gw-03`` finds the incident) only when its value holds
words a person types (:func:`words_to_find`): a number (a measurement, a
count), a yes/no or a placeholder (``-``) is marked ``data-pagefind-ignore``
and stays on the page. Those tables hold more than half of the words Pagefind
reads on an incident page (bench/README.md, "Site search").
"""

from __future__ import annotations

from typing import Any

from failurelog.core.annotations import get as annotation
from failurelog.model.incident import Incident
from failurelog.site import html as h
from failurelog.site import markup as m
from failurelog.site.card import BADGE, summary_fields
from failurelog.site.context import Context

#: The metadata key and the filter (facet label) of the year an incident began; the other facets are the
#: schema's fields (metadata: the field's name; filter: its title).
YEAR, YEAR_TITLE = "year", "Year"
#: The metadata keys every incident result has, whatever the schema says; ``facts`` is the line shown under
#: a result's title (assets/search.js shows it as it is).
ID, DATE, FACTS = "id", "date", "facts"
#: What separates the parts of a result's ``facts`` line.
FACTS_SEPARATOR = " \N{MIDDLE DOT} "


#: The attribute that keeps an element's text out of the index (its ``data-pagefind-*`` values still count).
IGNORE = "data-pagefind-ignore"


def words_to_find(value: Any) -> bool:
    """Whether a field value holds words to search for: not a number, a yes/no or text without a letter or digit."""
    if isinstance(value, bool | int | float):
        return False
    if isinstance(value, str):
        return any(c.isalnum() for c in value)
    if isinstance(value, list):
        return any(words_to_find(v) for v in value)
    return value is not None


def _span(kind: str, key: str, value: str) -> str:
    return f'<span data-pagefind-{kind}="{h.esc(key)}">{h.esc(value)}</span>'


def facet_values(ctx: Context, incident: Incident) -> list[tuple[str, str, str]]:
    """``(name, title, value)`` of an incident's facets, as shown on the site: each facet field's values, the year."""
    out = []
    for spec in ctx.model.schema.search_facets:
        for value in incident.values(spec.name):
            if value is not None and value != "":
                out.append((spec.name, spec.title, m.display(spec, value)))
    out.append((YEAR, YEAR_TITLE, f"{incident.occurred_at.year:04d}"))
    return out


def result_facts(ctx: Context, incident: Incident) -> list[str]:
    """The parts of a search result's line: the id, the card's badge facets in the card's order, the date."""
    facets = {f.name for f in ctx.model.schema.search_facets}
    badges = [f for f in summary_fields(ctx) if f.name in facets and annotation(f.schema, "x-summary") == BADGE]
    shown = [m.display(f, v) for f in badges if isinstance(v := incident.value(f.name), str) and v]
    return [incident.id, *shown, incident.day]


def search_block(ctx: Context, incident: Incident) -> str:
    """The hidden block of an incident page that gives the search its result fields and filters."""
    spans = [_span("meta", ID, incident.id), _span("meta", DATE, incident.day)]
    spans.append(_span("meta", FACTS, FACTS_SEPARATOR.join(result_facts(ctx, incident))))
    seen: set[str] = set()
    for name, title, value in facet_values(ctx, incident):
        spans.append(_span("filter", title, value))
        if name not in seen:  # metadata holds one value per key: the first (a list field's first value)
            seen.add(name)
            spans.append(_span("meta", name, value))
    return f'{h.BLOCK_START}search-data" hidden {IGNORE}>{"".join(spans)}{h.BLOCK_END}'
