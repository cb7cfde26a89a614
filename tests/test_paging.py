"""Long generated lists cut into pages: where the cut falls, the navigation, links into and between the pages.

The pages are generated from the site fixtures with :data:`failurelog.site.paging.PAGE_ROWS` made small, so
every list that grows with the repository spans several pages; the built-site tests (slow) follow every link
of a site built that way by both engines, with ``use_directory_urls`` on and off.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

import pytest

from failurelog.analysis.actions import open_actions
from failurelog.analysis.recent import open_incidents
from failurelog.core.bodyhtml import extension_spec
from failurelog.core.schema import load_schema
from failurelog.core.siteconfig import edit_base, read_config
from failurelog.site import home_page, paging, signature_pages
from failurelog.site import html as h
from failurelog.site import markup as m
from failurelog.site.context import ACTIONS, HOME, INCIDENT_INDEX, Context, build_context
from failurelog.site.paging import pages_by_weight, pages_of
from failurelog.site.tree import render_tree
from tests.site_helpers import ROOT
from tests.test_site_pages import _model

_MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HREF = re.compile(r'href="([^"]+)"')
_ROW_LINK = re.compile(r'<tr><td><a href="[^"]*">([^<]+)</a>')


def _ctx() -> Context:
    """A fresh context (page layouts are made once per context, for the PAGE_ROWS of the moment)."""
    config = read_config(ROOT)
    return build_context(_model(load_schema(ROOT)), edit_base(config), markdown=extension_spec(config))


def _tree(monkeypatch: pytest.MonkeyPatch, rows: int) -> tuple[Context, dict[str, str]]:
    monkeypatch.setattr(paging, "PAGE_ROWS", rows)
    ctx = _ctx()
    return ctx, render_tree(ctx)


def test_a_full_page_has_no_navigation_and_one_row_more_makes_a_second_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "PAGE_ROWS", 4)
    full = pages_of("incidents/index.md", 4)
    assert (full.count, full.nav(1), list(full.span(1))) == (1, "", [0, 1, 2, 3])
    over = pages_of("incidents/index.md", 5)
    assert over.count == 2
    assert list(over.span(1)) == [0, 1, 2, 3] and list(over.span(2)) == [4]
    assert over.path(1) == "incidents/index.md" and over.path(2) == "incidents/index/page-2.md"
    assert over.page_of(3) == "incidents/index.md" and over.page_of(4) == "incidents/index/page-2.md"
    assert "Rows 5 to 5 of 5 (page 2 of 2)" in over.nav(2)
    assert "[Previous](../index.md)" in over.nav(2) and "[First](../index.md)" in over.nav(2)
    assert "[Next](index/page-2.md)" in over.nav(1) and "Previous ·" in over.nav(1)  # no link back from page 1
    assert pages_of("x.md", 0).count == 1  # an empty list is one (empty) page


def test_items_of_many_rows_are_never_cut_and_fill_a_page_up_to_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "PAGE_ROWS", 3)
    weights = [3, 1, 1, 5, 1, 1, 1, 1]
    pages = pages_by_weight("related/index.md", weights)
    assert pages.starts == (0, 1, 3, 4, 7)
    for number in range(1, pages.count + 1):
        rows = sum(weights[i] for i in pages.span(number))
        assert rows <= 3 or len(pages.span(number)) == 1  # only an item larger than a page passes the bound
    assert [pages.number_of(i) for i in range(len(weights))] == [1, 2, 2, 3, 4, 4, 4, 5]


def test_the_incident_index_splits_at_the_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = render_tree(_ctx())[INCIDENT_INDEX]
    count = len(_ctx().model.incidents)
    _ctx_at, tree = _tree(monkeypatch, count)
    assert tree[INCIDENT_INDEX] == whole  # exactly a page: as before, no navigation
    assert not [p for p in tree if p.startswith("incidents/index/")]
    ctx, tree = _tree(monkeypatch, count - 1)
    second = tree["incidents/index/page-2.md"]
    assert _ROW_LINK.findall(second) == [ctx.model.incidents[-1].id]  # the oldest, alone
    assert "incidents/index/page-3.md" not in tree
    shown = _ROW_LINK.findall(tree[INCIDENT_INDEX]) + _ROW_LINK.findall(second)
    assert shown == [i.id for i in ctx.model.incidents]  # newest first, each once


def test_every_value_page_lists_its_incidents_once_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    ctx, tree = _tree(monkeypatch, 2)
    split = 0
    for index in ctx.patterns:
        for value in index.values:
            pages = paging.pages_of(f"patterns/{index.slug}/{value.slug}.md", len(value.incidents))
            shown = [ident for n in range(1, pages.count + 1) for ident in _ROW_LINK.findall(tree[pages.path(n)])]
            assert shown == [i.id for i in value.incidents], (index.slug, value.slug)
            split += pages.count > 1
    assert split  # the fixtures have values of more than two incidents


def _resolve_md(target: str, here: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(target)))


def test_every_link_of_the_paged_tree_reaches_a_page_and_its_anchor(monkeypatch: pytest.MonkeyPatch) -> None:
    ctx, tree = _tree(monkeypatch, 2)
    assert any("/page-" in path for path in tree)
    by_url = {h.page_url(path, ctx.directory_urls): path for path in tree}
    hand_written = {str(p.relative_to(ROOT / "docs")) for p in (ROOT / "docs").rglob("*.md")}
    anchors = {path: set(re.findall(r'id="([^"]+)"', text)) for path, text in tree.items()}
    checked = anchored = 0
    for here, text in tree.items():
        if not here.endswith(".md"):
            continue
        for target in _MD_LINK.findall(text):
            path, _, _anchor = target.partition("#")
            if not path or urlsplit(path).scheme:
                continue
            found = _resolve_md(path, here)
            assert found in tree or found in hand_written, f"{here}: [..]({target})"
            checked += 1
        base = h.page_url(here, ctx.directory_urls)
        for url in _HREF.findall(text):
            path, _, anchor = url.partition("#")
            if urlsplit(url).scheme or not path:
                continue
            found = posixpath.normpath(posixpath.join(posixpath.dirname(base) or ".", unquote(path)))
            found = "" if found == "." else found + ("/" if path.endswith("/") else "")
            assert found in by_url, f"{here}: href {url}"
            if anchor:
                assert anchor in anchors[by_url[found]], f"{here}: href {url}: no such anchor"
                anchored += 1
            checked += 1
    assert checked > 500 and anchored  # the cards link their signatures' entries


def test_the_examples_stay_on_one_page_each() -> None:
    tree = render_tree(_ctx())
    assert not [path for path in tree if "/page-" in path]


def test_the_home_page_names_a_bounded_number_of_a_signatures_incidents(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signature_pages, "HOME_SIGNATURE_INCIDENTS", 1)
    ctx, tree = _tree(monkeypatch, 2)
    repeated = [(s, found) for s, found in signature_pages.holders(ctx).items() if len(found) > 1]
    assert repeated
    home = tree["index.md"]
    for sig, found in repeated[: signature_pages.HOME_SIGNATURES]:
        line = next(x for x in home.splitlines() if signature_pages.anchor(sig) in x)
        assert f"{len(found)} incidents" in line and found[0].id in line  # the newest is named
        assert not [i.id for i in found[1:] if i.id in line]
        assert f"and {len(found) - 1} more]" in line


def test_the_home_page_lists_a_bounded_number_of_open_incidents_and_overdue_actions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(home_page, "HOME_ROWS", 1)
    ctx, tree = _tree(monkeypatch, 2)
    home = tree["index.md"]
    groups = {status: items for status, items in open_incidents(ctx.model).items() if len(items) > 1}
    assert groups  # the examples have more than one incident of some open status
    for status, items in groups.items():
        section = home.split(f"### {m.text(status)} ({len(items)})", 1)[1].split("###", 1)[0]
        assert items[0].id in section  # the newest is listed
        assert not [i.id for i in items[1:] if f">{i.id}<" in section]
        page = ctx.pattern_page("status", status)
        assert page and f"The 1 most recent of {len(items)} shown; see [all {len(items)}]" in section
        linked = tree[page]
        assert all(i.id in linked for i in items)  # what the link promises is there
    overdue = [e for e in open_actions(ctx.model) if e.overdue]
    assert len(overdue) > 1
    part = home.split("## Overdue action items", 1)[1].split("\n## ", 1)[0]
    assert part.count('class="fl-id"') == 1
    assert f"see {m.link(f'all {len(overdue)} overdue', ACTIONS, HOME)} on the actions page" in part
