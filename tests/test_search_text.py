"""What the site search reads of a page: generated blocks as 'Label: value' text, everything else as it is."""

from __future__ import annotations

from failurelog.site import html as h
from failurelog.site.search_text import flatten, search_view


def test_a_field_table_reads_as_label_value_pairs() -> None:
    table = h.table([["Hostname", "md-gw-03"], ["IP Address", "10.20.3.13"]], row_headers=True, caption="System")
    assert flatten(h.block("fields", table)) == "System · Hostname: md-gw-03 · IP Address: 10.20.3.13"


def test_lists_links_and_line_breaks_become_separate_items() -> None:
    inner = (
        '<p class="fl-caption">Recovery Steps</p><ol class="fl-list"><li><strong>14:25</strong> — Failover</li> '
        '<li>Reboot <a href="../x/">md-gw-04</a></li></ol>' + h.table([["NICs", "X2522<br> X550"]], row_headers=True)
    )
    expected = "Recovery Steps · 14:25 — Failover · Reboot md-gw-04 · NICs: X2522 · X550"
    assert flatten(h.block("fields", inner)) == expected


def test_escaped_text_stays_escaped() -> None:
    table = h.table([[h.esc("Note"), h.esc("<script> & co")]], row_headers=True)
    assert flatten(h.block("fields", table)) == "Note: &lt;script&gt; &amp; co"


def test_only_generated_block_lines_change() -> None:
    block = h.block("fields", h.table([["Hostname", "md-gw-03"]], row_headers=True))
    page = f'<h2 id="system">System</h2>\n{block}\n<p>Body with <code>&lt;div class="fl-x"&gt;</code></p>'
    assert search_view(page) == '<h2 id="system">System</h2>\n<p>Hostname: md-gw-03</p>\n' + page.split("\n")[2]
    assert search_view("<p>no blocks here</p>") == "<p>no blocks here</p>"
