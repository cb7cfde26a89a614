"""The signatures page names each incident's hosts, linked to their asset histories and escaped (issue 15)."""

from __future__ import annotations

import html
import re

import markdown

from failurelog.model.load import load_valid
from failurelog.site.context import asset_page, build_context
from failurelog.site.signature_pages import anchor, holders, signatures_page
from tests.site_helpers import ROOT

HOSTILE = 'gw<img src=x onerror="alert(1)">](javascript:alert(2))'


def _entry(page: str, key: str) -> str:
    """The line of incidents under the signature entry whose anchor is ``key``."""
    return page.split(f'<p id="{key}"', 1)[1].split("\n\n", 2)[1]


def test_each_incident_names_its_failed_hosts_linked_to_their_histories() -> None:
    ctx = build_context(load_valid(ROOT).model)
    page = signatures_page(ctx)
    stack = next(s for s, found in holders(ctx).items() if s.kind == "stack" and "ixgbe_poll" in s.text)
    line = _entry(page, anchor(stack))
    gw03, gw04 = (ctx.assets.named(n)[0] for n in ("md-gw-03", "md-gw-04"))
    # both gateways of the pair panicked (md-gw-04 as the Pair Member); the standby that took over is not named
    assert "[SYS-20260304-001](../incidents/2026/SYS-20260304-001.md) (2026-03-04, " in line
    assert f"[md-gw-03](../{asset_page(gw03)}), [md-gw-04](../{asset_page(gw04)}))" in line, line
    assert "md-gw-ny5-01" not in line
    every = [i for found in holders(ctx).values() for i in found]
    hosts_shown = sum(page.count(f"(../{asset_page(h)})") for h in ctx.assets.histories if h.kind.kind == "host")
    assert hosts_shown >= len(every)  # every incident with a signature names at least one host


def test_a_hostile_host_name_is_escaped_in_its_link() -> None:
    model = load_valid(ROOT).model
    incident = model.by_id["SYS-20260304-001"]
    pair = next(a for a in incident.meta["assets"] if a["name"] == "md-gw-04")
    pair["name"] = HOSTILE
    ctx = build_context(model)
    page = signatures_page(ctx)
    rendered = markdown.markdown(page.split("\n---\n", 1)[1])
    assert "<img" not in rendered and not re.search(r"href=\"javascript", rendered, re.IGNORECASE)
    history = next(h for h in ctx.assets.histories if h.name == HOSTILE)
    label = re.escape(f"](../{asset_page(history)})")
    found = re.search(r"\[([^\]]*(?:\\\][^\]]*)*)" + label, page)
    assert found is not None, page
    shown = html.unescape(re.sub(r"\\(.)", r"\1", found.group(1)))
    assert shown == HOSTILE
