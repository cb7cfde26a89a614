"""Every host, model and version an incident page shows links to its asset history (issue 15)."""

from __future__ import annotations

import html
import re

from failurelog.core.schema import Schema
from failurelog.model.load import load_valid
from failurelog.site.asset_pages import asset_history_page
from failurelog.site.context import asset_page, build_context
from failurelog.site.incident_page import incident_page
from failurelog.site.index_pages import incident_index
from tests.analytics_helpers import make, model_of
from tests.site_helpers import ROOT

HOSTILE = 'db<img src=x onerror="alert(1)">&01'


def _links(page: str) -> dict[str, set[str]]:
    """Link label (unescaped) -> the addresses it links to, for every ``<a href>`` of the page."""
    found: dict[str, set[str]] = {}
    for href, label in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', page):
        found.setdefault(html.unescape(label), set()).add(html.unescape(href))
    return found


def test_every_asset_an_example_names_is_linked_from_its_page() -> None:
    ctx = build_context(load_valid(ROOT).model)
    kinds = {h.kind.kind for h in ctx.assets.histories}
    assert {"host", "model", "bios", "kernel", "firmware", "driver"} <= kinds  # the examples name every kind
    checked = 0
    for incident in ctx.model.incidents:
        links = _links(incident_page(ctx, incident))
        for history in ctx.assets.histories:
            if any(o.incident is incident for o in history.occurrences):
                target = ctx.href(asset_page(history), incident.page)
                assert target in links.get(history.name, set()), (incident.id, history.kind.kind, history.name)
                checked += 1
    assert checked > len(ctx.model.incidents)


def test_the_card_and_system_specifications_link_the_host() -> None:
    ctx = build_context(load_valid(ROOT).model)
    incident = ctx.model.by_id["SYS-20260304-001"]
    page = incident_page(ctx, incident)
    host = f'<a href="../../../asset-history/host/{incident.value("system.hostname")}/">'
    card = next(line for line in page.splitlines() if line.startswith('<div class="fl-card">'))
    assert host in card
    specs = page.split("System Specifications", 1)[1]
    assert re.search(r"<th>Hostname</th> <td>" + re.escape(host), specs)


def test_a_hostile_asset_name_is_escaped_in_its_link(schema: Schema) -> None:
    primary = make("SYS-20260105-001", "2026-01-05T10:00:00Z", recover=10, outage=5)
    assets = primary.meta["assets"]
    assets.append({"name": HOSTILE, "role": "Bystander"})
    model = model_of(schema, [primary])
    ctx = build_context(model)
    history = next(h for h in ctx.assets.histories if h.name == HOSTILE)
    for page, here in ((incident_page(ctx, primary), primary.page), (incident_index(ctx), "incidents/index.md")):
        assert "<img" not in page and 'onerror="' not in page
        if here == primary.page:
            assert ctx.href(asset_page(history), here) in _links(page)[HOSTILE]
    assert "<img" not in asset_history_page(ctx, history)
