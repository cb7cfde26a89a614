"""The search index step and the search data of an incident page, without a browser or a site build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from failurelog.core.annotations import get as annotation
from failurelog.core.errors import FailurelogError
from failurelog.core.schema import load_schema
from failurelog.model.incident import Incident
from failurelog.site.card import BADGE, summary_fields
from failurelog.site.context import Context, build_context
from failurelog.site.incident_page import fields_section
from failurelog.site.search_index import BUNDLE_DIR, build_search_index, incident_pages_glob
from failurelog.site.search_markup import FACTS_SEPARATOR, YEAR_TITLE, result_facts, search_block, words_to_find
from tests.site_helpers import ROOT
from tests.test_site_pages import _model

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title></head><body>
<header>header words everywhere</header><article><h1>{title}<a class="headerlink" href="#x">&para;</a></h1>
{extra}<p>{text}</p></article><footer>footer</footer></body></html>"""


def _page(site: Path, rel: str, title: str, text: str, extra: str = "") -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(title=title, text=text, extra=extra), encoding="utf-8")


def test_only_incident_pages_are_indexed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    meta = '<div hidden data-pagefind-ignore><span data-pagefind-filter="severity">P1-High</span></div>'
    _page(site, "incidents/2026/SYS-20260101-001/index.html", "SYS-20260101-001: one", "md-gw-03 panic", meta)
    _page(site, "incidents/2026/SYS-20260102-001/index.html", "SYS-20260102-001: two", "pg-ny4-01 psu")
    _page(site, "incidents/index.html", "Incidents", "SYS-20260101-001 SYS-20260102-001")
    _page(site, "incidents/index/page-2/index.html", "Incidents (page 2)", "SYS-20260101-001 md-gw-03")
    _page(site, "patterns/hostname/md-gw-03/index.html", "md-gw-03", "md-gw-03")
    done = build_search_index(site)
    assert done.pages == 2
    bundle = site / BUNDLE_DIR
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    assert done.bytes == sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 2
    assert len(list((bundle / "fragment").iterdir())) == 2


def test_the_glob_follows_the_url_style_and_takes_only_year_folders(tmp_path: Path) -> None:
    assert incident_pages_glob(True) == "incidents/[0-9]*/*/index.html"
    assert incident_pages_glob(False) == "incidents/[0-9]*/*.html"
    site = tmp_path / "site"
    _page(site, "incidents/2026/SYS-20260101-001.html", "SYS-20260101-001: one", "md-gw-03 panic")
    _page(site, "incidents/index/page-2.html", "Incidents (page 2)", "SYS-20260101-001 md-gw-03")
    assert build_search_index(site, directory_urls=False).pages == 1


def test_a_failed_index_is_an_error_with_pagefinds_message(tmp_path: Path) -> None:
    with pytest.raises(FailurelogError, match="search index: pagefind failed"):
        build_search_index(tmp_path / "no-such-site")


def test_an_incident_page_gives_the_search_its_id_date_and_facets() -> None:
    schema = load_schema(ROOT)

    ctx = build_context(_model(schema), "https://git.example.invalid/edit/")
    incident = next(i for i in ctx.model.incidents if i.id == "SYS-20260115-001")
    block = search_block(ctx, incident)
    assert block.startswith('<div class="fl-search-') and " hidden data-pagefind-ignore>" in block
    assert '<span data-pagefind-meta="id">SYS-20260115-001</span>' in block
    assert '<span data-pagefind-meta="date">2026-01-15</span>' in block
    facets = {f.title for f in schema.search_facets}  # a facet is labelled with its field's title
    assert facets, "the schema marks no field x-search-facet"
    filters = set(re.findall(r'data-pagefind-filter="([^"]+)"', block))
    assert filters == facets | {YEAR_TITLE}
    assert not filters & {f.name for f in schema.search_facets}
    components = incident.values("components")
    component = schema.field("components")
    assert components and component is not None
    for value in components:
        assert f'<span data-pagefind-filter="{component.title}">{value}</span>' in block


def test_a_results_facts_line_comes_from_the_schema() -> None:
    schema = load_schema(ROOT)
    ctx = build_context(_model(schema), "https://git.example.invalid/edit/")
    incident = next(i for i in ctx.model.incidents if i.id == "SYS-20260115-001")
    block = search_block(ctx, incident)
    found = re.search(r'<span data-pagefind-meta="facts">([^<]*)</span>', block)
    assert found, block
    parts = found.group(1).split(FACTS_SEPARATOR)
    badges = [
        f for f in summary_fields(ctx) if f in schema.search_facets and annotation(f.schema, "x-summary") == BADGE
    ]
    assert badges, "the schema marks no search facet as a card badge"
    assert parts == [incident.id, *(str(incident.value(f.name)) for f in badges), incident.day]
    assert parts == result_facts(ctx, incident)
    # The card's order: a badge with an x-summary-order comes before one without (severity before status).
    orders = [annotation(f.schema, "x-summary-order") for f in badges]
    assert orders == sorted(orders, key=lambda o: (o is None, o or 0))


ROW = re.compile(r"<tr( data-pagefind-ignore)?><th>([^<]*)</th> <td>(.*?)</td></tr>")


def _field_rows(ctx: Context, incident: Incident) -> dict[str, tuple[bool, str]]:
    """The "Recorded data" rows of an incident page: label -> (left out of the index, cell)."""
    return {label: (bool(ignored), cell) for ignored, label, cell in ROW.findall(fields_section(ctx, incident))}


def test_field_values_without_words_to_find_are_left_out_of_the_index() -> None:
    schema = load_schema(ROOT)
    ctx = build_context(_model(schema), "https://git.example.invalid/edit/")
    incident = next(i for i in ctx.model.incidents if i.id == "SYS-20260115-001")
    number, text = schema.field("system.cpu_cores"), schema.field("system.hostname")
    placeholder = schema.field("system.cpu_model")
    assert number is not None and text is not None and placeholder is not None
    assert isinstance(incident.value(number.name), int) and isinstance(incident.value(text.name), str)
    incident.meta["system"][placeholder.key] = "-"
    incident.meta.get("remarks", {}).pop(number.name, None)
    rows = _field_rows(ctx, incident)
    assert not rows[text.title][0] and str(incident.value(text.name)) in rows[text.title][1]
    assert rows[number.title][0], rows[number.title]
    assert rows[placeholder.title] == (True, "-")
    # Left out of the index, still on the page.
    assert str(incident.value(number.name)) in rows[number.title][1].replace(",", "")
    # A remark is words to find, whatever the value it is on.
    incident.meta.setdefault("remarks", {})[number.name] = "counted after the BIOS update"
    assert not _field_rows(ctx, incident)[number.title][0]


@pytest.mark.parametrize(
    ("value", "findable"),
    [
        (32, False),
        (0.5, False),
        (True, False),
        ("-", False),
        ("\N{EM DASH}", False),
        (" ", False),
        (["-", "?"], False),
        ("md-gw-03", True),
        ("5.14.0-503.26.1.el9_5", True),
        ("10.1.2.3", True),
        (["-", "eth0"], True),
    ],
)
def test_words_to_find(value: object, findable: bool) -> None:
    assert words_to_find(value) is findable
