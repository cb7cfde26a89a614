"""What a reader sees, in a real headless Chromium: page order, banner, home figures, titles, tables, charts.

The site is built from the shipped example incidents plus one draft with a
hostile title, for a fixed build date. Every page kind is photographed at
1400 px and 420 px into ``tests/screenshots/`` (git-ignored) for a person to
look at; the assertions check what the reading-experience issue promises.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import frontmatter
import pytest

from failurelog.cli.main import main
from tests.browser_helpers import _Quiet
from tests.site_helpers import ROOT, make_repo
from tests.test_browser import browser  # noqa: F401  (the browser fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The build date of the test site (SOURCE_DATE_EPOCH): the examples run to 2026-11.
BUILT = date(2026, 12, 1)
SHOTS = Path(__file__).resolve().parent / "screenshots"
HOSTILE_ID = "SYS-20261120-001"
HOSTILE_TITLE = """Disk & NIC "stall" <b>not bold</b> 'quoted' </title><script>alert(1)</script> on md-gw-03"""
SITE_NAME = "System Failure Log"
WIDE, NARROW = 1400, 420

_HOSTILE = f"""---
id: {HOSTILE_ID}
title: {json.dumps(HOSTILE_TITLE)}
occurred_at: "2026-11-20T08:00:00.000Z"
status: draft
severity: P1-High
schema_version: 2
---

## Initial Symptoms

Quotes stalled on md-gw-03.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    repo = make_repo(tmp_path_factory.mktemp("reading") / "repo", ROOT / "incidents")
    (repo / "incidents" / "2026" / f"{HOSTILE_ID}.md").write_text(_HOSTILE, encoding="utf-8")
    out = repo / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 12, 1, 12, tzinfo=UTC).timestamp())))
        assert main(["--root", str(repo), "build", "--site-dir", str(out)]) == 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", repo
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def zensical_site(site: tuple[str, Path]) -> Iterator[str]:
    """The same repository built with Zensical, served on its own port."""
    _url, repo = site
    out = repo / "site-zensical"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 12, 1, 12, tzinfo=UTC).timestamp())))
        assert main(["--root", str(repo), "build", "--engine", "zensical", "--site-dir", str(out)]) == 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _metas(repo: Path) -> list[dict[str, Any]]:
    return [frontmatter.load(str(p)).metadata for p in sorted((repo / "incidents").rglob("*.md"))]


def _open(driver: Any, url: str, width: int = WIDE) -> None:
    driver.set_window_size(width, 1000)
    driver.get(url)
    # The page's script has run its deferred work (scroll cues) once a timer after load has fired.
    driver.execute_async_script("const done = arguments[0]; setTimeout(() => done(true), 50);")


def _shoot(driver: Any, name: str, width: int) -> None:
    SHOTS.mkdir(exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(int(height), 600), 4000))
    driver.save_screenshot(str(SHOTS / f"{name}-{width}.png"))
    driver.set_window_size(width, 1000)


def _page(url: str, path: str) -> str:
    return url + path


def _closed_page(repo: Path) -> str:
    for meta in _metas(repo):
        if meta.get("status") == "closed" and meta.get("response", {}).get("emergency_timeline"):
            moment = datetime.fromisoformat(str(meta["occurred_at"]).replace("Z", "+00:00"))
            return f"incidents/{moment.year}/{meta['id']}/"
    raise AssertionError("no closed example with a timeline")


def test_incident_page_tells_the_card_then_the_story_then_the_folded_data(browser: Any, site: tuple[str, Path]) -> None:  # noqa: F811
    url, repo = site
    _open(browser, _page(url, _closed_page(repo)))
    order = browser.execute_script(
        """
        const c = document.querySelector('.md-content');
        const y = (el) => el ? el.getBoundingClientRect().top + window.scrollY : null;
        const heading = (text) => [...c.querySelectorAll('h2')].find((h) => h.textContent.includes(text));
        return {
          h1: y(c.querySelector('h1')), card: y(c.querySelector('.fl-card')),
          symptoms: y(heading('Initial Symptoms')), timeline: y(c.querySelector('.fl-timeline')),
          lessons: y(heading('What Went Well')), data: y(heading('Recorded data')), history: y(heading('History')),
          banner: c.querySelectorAll('.fl-banner').length,
          sections: [...c.querySelectorAll('details.fl-section')]
            .map((d) => [d.open, d.querySelectorAll('table').length]),
          stamps: [...c.querySelectorAll('.fl-timeline time')].map((t) => t.textContent),
          severity: getComputedStyle(c.querySelector('.fl-card .fl-badge')).backgroundColor,
        };
        """
    )
    positions = [order[k] for k in ("h1", "card", "symptoms", "timeline", "lessons", "data", "history")]
    assert None not in positions, order
    assert positions == sorted(positions), order
    assert order["banner"] == 0  # closed: reviewed, no banner
    assert order["sections"] and all(not is_open and tables == 1 for is_open, tables in order["sections"]), order
    assert order["stamps"] and all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", s) for s in order["stamps"])
    assert order["severity"] not in ("rgba(0, 0, 0, 0)", "transparent")


def test_draft_has_the_not_reviewed_banner_and_the_exact_title(browser: Any, site: tuple[str, Path]) -> None:  # noqa: F811
    url, _repo = site
    _open(browser, _page(url, f"incidents/2026/{HOSTILE_ID}/"))
    banner = browser.find_element("css selector", ".md-content .fl-banner")
    assert banner.is_displayed() and "not reviewed" in banner.text.lower()
    card = browser.find_element("css selector", ".md-content .fl-card")
    assert banner.location["y"] < card.location["y"]
    assert browser.title == f"{HOSTILE_ID}: {HOSTILE_TITLE} - {SITE_NAME}"
    heading = browser.find_element("css selector", ".md-content h1").text
    assert heading == f"{HOSTILE_ID}: {HOSTILE_TITLE}"
    assert browser.execute_script("return document.querySelectorAll('b').length") == 0
    scripts = browser.execute_script("return [...document.scripts].map((s) => s.textContent).join(' ')")
    assert "alert(1)" not in scripts


def test_zensical_shows_the_exact_title_in_the_tab_and_the_heading(browser: Any, zensical_site: str) -> None:  # noqa: F811
    """``&``, quotes, ``<b>`` and ``</title><script>`` in a title: shown as typed, not as markup, with Zensical."""
    _open(browser, _page(zensical_site, f"incidents/2026/{HOSTILE_ID}/"))
    assert browser.title == f"{HOSTILE_ID}: {HOSTILE_TITLE} - {SITE_NAME}"
    heading = browser.find_element("css selector", "article h1").text
    assert heading == f"{HOSTILE_ID}: {HOSTILE_TITLE}"
    assert browser.execute_script("return document.querySelectorAll('article b, title b').length") == 0
    scripts = browser.execute_script("return [...document.scripts].map((s) => s.textContent).join(' ')")
    assert "alert(1)" not in scripts
    _shoot(browser, "zensical-hostile-title", WIDE)


def _expected_home(repo: Path) -> dict[str, float]:
    """The home page's figures, counted here from the incident files and the schema, not by failurelog."""
    schema = json.loads((repo / "schema" / "incident.schema.json").read_text(encoding="utf-8"))
    end = datetime(BUILT.year, BUILT.month, BUILT.day, tzinfo=UTC) + timedelta(days=1)
    now, before = end - timedelta(days=90), end - timedelta(days=180)
    final = schema["properties"]["status"]["enum"][-1]
    figures = {"open": 0.0, "current": 0.0, "previous": 0.0, "downtime_now": 0.0, "overdue": 0.0}
    for meta in _metas(repo):
        moment = datetime.fromisoformat(str(meta["occurred_at"]).replace("Z", "+00:00"))
        figures["open"] += meta["status"] != final
        downtime = (meta.get("impact") or {}).get("trading", {}).get("outage_min")
        if now <= moment < end:
            figures["current"] += 1
            figures["downtime_now"] += downtime or 0
        elif before <= moment < now:
            figures["previous"] += 1
        for items, done in (
            (meta.get("action_items") or [], "Completed"),
            ((meta.get("prevention") or {}).get("immediate_actions") or [], "Completed"),
        ):
            for item in items:
                due = item.get("due") or item.get("target_date")
                if due and date.fromisoformat(str(due)) < BUILT and item.get("status") != done:
                    figures["overdue"] += 1
    return figures


def test_home_page_figures_match_the_data(browser: Any, site: tuple[str, Path]) -> None:  # noqa: F811
    url, repo = site
    expected = _expected_home(repo)
    assert expected["current"] and expected["previous"] and expected["open"] and expected["overdue"]
    _open(browser, url)
    text = browser.find_element("css selector", ".md-content").text
    assert f"{int(expected['open'])} open" in text
    assert f"{int(expected['overdue'])} overdue" in text
    tiles = browser.execute_script(
        "return [...document.querySelectorAll('[data-fl-figure]')].map((t) => "
        "[t.dataset.flFigure, +t.dataset.flCurrent, +t.dataset.flPrevious])"
    )
    by_title = {title: (current, previous) for title, current, previous in tiles}
    assert by_title["Incidents"] == (expected["current"], expected["previous"])
    downtime = next(v for k, v in by_title.items() if "Downtime" in k)
    assert downtime[0] == pytest.approx(expected["downtime_now"])
    recent = browser.find_elements("css selector", ".md-content h2")
    assert [h.text for h in recent][-1].startswith("Most recent")
    rows = browser.execute_script(
        "const h = [...document.querySelectorAll('.md-content h2')].pop(); let n = h.nextElementSibling;"
        "while (n && !n.querySelector('table')) n = n.nextElementSibling;"
        "return n ? n.querySelectorAll('tbody tr').length : 0"
    )
    assert rows == min(10, len(_metas(repo)))


PAGES = {
    "home": "",
    "incident-closed": None,  # filled from the data
    "incident-draft": f"incidents/2026/{HOSTILE_ID}/",
    "incidents": "incidents/",
    "patterns": "patterns/",
    "pattern-field": "patterns/components/",
    "pattern-value": None,
    "related": "related/",
    "signatures": "signatures/",
    "actions": "actions/",
    "statistics": "statistics/",
    "recovery": "recovery/",
    "assets": "asset-history/",
    "asset": None,  # the NIC firmware with the most failures, from the assets index
    "audit": "audit/",
}


def _pages(driver: Any, url: str, repo: Path) -> dict[str, str]:
    pages = dict(PAGES)
    pages["incident-closed"] = _closed_page(repo)
    _open(driver, url + "patterns/components/")
    link = driver.find_element("css selector", ".md-content table tbody a").get_attribute("href")
    pages["pattern-value"] = link.removeprefix(url)
    _open(driver, url + "asset-history/")
    firmware = driver.find_element("css selector", ".md-content table a[href*='firmware/']").get_attribute("href")
    pages["asset"] = firmware.removeprefix(url)
    return {k: v for k, v in pages.items() if v is not None}


def test_no_table_is_clipped_at_1400_and_every_page_kind_is_photographed(browser: Any, site: tuple[str, Path]) -> None:  # noqa: F811
    url, repo = site
    clipped = {}
    for name, path in _pages(browser, url, repo).items():
        for width in (WIDE, NARROW):
            _open(browser, url + path, width)
            if width == WIDE:
                found = browser.execute_script(
                    """
                    const tables = [...document.querySelectorAll('.md-content table')].filter((t) => t.offsetParent);
                    return tables.map((t) => {
                      const box = t.closest('.md-typeset__scrollwrap, .fl-scroll, details') || t.parentElement;
                      return [box.scrollWidth - box.clientWidth, t.querySelector('th, td').textContent.slice(0, 30)];
                    }).filter(([over]) => over > 1);
                    """
                )
                if found:
                    clipped[name] = found
            else:
                # A table wider than a phone has its scroll cue: a note and a shadow at the cut edge.
                missing = browser.execute_script(
                    """
                    return [...document.querySelectorAll('.fl-scroll, .md-typeset__scrollwrap')].filter((b) =>
                      b.offsetParent && b.scrollWidth > b.clientWidth + 1 && !b.classList.contains('fl-scroll-cue')
                    ).map((b) => b.className + ' ' + b.scrollWidth + '/' + b.clientWidth);
                    """
                )
                assert not missing, (name, "wide table without a scroll cue at 420 px", missing)
            _shoot(browser, name, width)
    assert not clipped, clipped


def test_count_charts_have_whole_number_ticks_and_units_clear_of_them(browser: Any, site: tuple[str, Path]) -> None:  # noqa: F811
    url, repo = site
    pages = _pages(browser, url, repo)
    for path in (pages["statistics"], pages["pattern-value"]):
        _open(browser, url + path)
        charts = browser.execute_script(
            """
            return [...document.querySelectorAll('figure.fl-chart')].map((f) => {
              const ticks = [...f.querySelectorAll('svg > text[text-anchor="end"]:not(.fl-unit)')];
              const unit = f.querySelector('svg .fl-unit');
              const boxes = ticks.map((t) => t.getBoundingClientRect());
              const u = unit ? unit.getBoundingClientRect() : null;
              const overlap = u ? boxes.some((b) => !(u.bottom <= b.top || b.bottom <= u.top ||
                                                      u.right <= b.left || b.right <= u.left)) : false;
              return [f.querySelector('figcaption').textContent, ticks.map((t) => t.textContent), overlap];
            });
            """
        )
        counted = [c for c in charts if "incidents per month" in c[0].lower() or "by answer" in c[0].lower()]
        assert counted, charts
        for caption, ticks, _overlap in counted:
            assert ticks and all(re.fullmatch(r"\d[\d,]*", t) for t in ticks), (caption, ticks)
        assert not [c for c in charts if c[2]], [c[0] for c in charts if c[2]]


def test_chart_text_is_readable_on_a_phone(browser: Any, site: tuple[str, Path]) -> None:  # noqa: F811
    url, _repo = site
    _open(browser, url + "statistics/", NARROW)
    smallest = browser.execute_script(
        "return Math.min(...[...document.querySelectorAll('figure.fl-chart svg text')]"
        ".map((t) => t.getBoundingClientRect().height).filter((h) => h > 0))"
    )
    assert smallest >= 9, f"chart text {smallest:.1f} px high at {NARROW} px"


def test_print_leaves_out_navigation_and_opens_every_folded_section(browser: Any, site: tuple[str, Path]) -> None:  # noqa: F811
    url, repo = site
    _open(browser, _page(url, _closed_page(repo)))
    assert browser.execute_script("return [...document.querySelectorAll('details.fl-section')].some((d) => !d.open)")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = browser.execute_script(
            "return ['.md-header', '.md-tabs', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer']"
            ".map((s) => document.querySelector(s)).filter(Boolean).map((e) => getComputedStyle(e).display)"
        )
        assert hidden and set(hidden) == {"none"}, hidden
        browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
        assert browser.execute_script("return [...document.querySelectorAll('details')].every((d) => d.open)")
        browser.execute_script("window.dispatchEvent(new Event('afterprint'))")
        assert browser.execute_script(
            "return [...document.querySelectorAll('details.fl-section')].some((d) => !d.open)"
        )
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_durations_sort_as_numbers_and_filter_as_ranges_and_short_tables_have_no_filters(
    browser: Any,  # noqa: F811
    site: tuple[str, Path],
) -> None:
    url, _repo = site
    _open(browser, url + "incidents/")
    column = browser.execute_script(
        "return [...document.querySelectorAll('.md-content thead th')]"
        ".findIndex((th) => /Downtime/.test(th.textContent))"
    )
    assert column > 0
    header = browser.find_elements("css selector", ".md-content thead th")[column]
    header.click()
    values = browser.execute_script(
        "return [...document.querySelectorAll('.md-content tbody tr')]"
        f".map((r) => r.cells[{column}].textContent.trim())"
    )
    numbers = [float(v.split()[0].replace(",", "")) for v in values if v]
    assert len(numbers) > 5 and numbers == sorted(numbers), values  # 80 min after 9.6 min, not before it
    low, high = browser.find_elements("css selector", ".fl-range input")[:2]
    low.send_keys("10")
    high.send_keys("40")
    shown = browser.execute_script(
        f"return [...document.querySelectorAll('.md-content tbody tr')].filter((r) => !r.hidden)"
        f".map((r) => r.cells[{column}].textContent.trim())"
    )
    expected = [v for v, n in zip([v for v in values if v], numbers, strict=True) if 10 <= n <= 40]
    assert sorted(shown) == sorted(expected) and expected
    # The page of the most frequent component: no filter by component (every row has it), other filters kept.
    _open(browser, url + "patterns/components/")
    browser.find_element("css selector", ".md-content tbody tr a").click()
    labels = [s.get_attribute("aria-label") for s in browser.find_elements("css selector", ".md-content .fl-select")]
    assert labels and not [label for label in labels if "System Component" in label], labels
    # A table of five rows or fewer is read at a glance: no filter box at all.
    _open(browser, url + "patterns/components/")
    browser.find_elements("css selector", ".md-content tbody tr a")[-1].click()  # the rarest component
    rows = browser.execute_script(
        "return document.querySelector('[data-fl-table] ~ table, .fl-index table').rows.length"
    )
    assert browser.find_elements("css selector", "[data-fl-table]") and rows - 1 <= 5
    assert browser.find_elements("css selector", ".md-content .fl-filter") == []


def test_the_card_signature_links_to_its_entry_listing_both_incidents(browser: Any, site: tuple[str, Path]) -> None:  # noqa: F811
    url, _repo = site
    _open(browser, url + "incidents/2025/SYS-20250422-001/")
    links = browser.execute_script(
        "return [...document.querySelectorAll('.fl-card .fl-signature a')].map((a) => [a.textContent, a.href]);"
    )
    escalation = [href for text, href in links if text == "corrected hardware errors, then uncorrectable"]
    assert len(links) == 3 and len(escalation) == 1, links
    _open(browser, escalation[0])
    entry = browser.execute_script(
        """
        const target = document.getElementById(location.hash.slice(1));
        const list = target && target.nextElementSibling;
        const links = (part) => [...list.querySelectorAll('a')].filter((a) => a.href.includes(part))
                                                               .map((a) => a.textContent);
        return target && [target.textContent, links('/incidents/'), links('/asset-history/'),
                          list.querySelectorAll('a').length, target.getBoundingClientRect().top < window.innerHeight];
        """
    )
    assert entry is not None, escalation[0]
    text, incidents, hosts, every_link, in_view = entry
    assert text.startswith("corrected hardware errors, then uncorrectable") and "2 incidents" in text
    assert incidents == ["SYS-20260623-001", "SYS-20250422-001"] and in_view
    assert hosts == ["oms-ld4-02", "oms-ny4-03"]  # each incident's host, linked to its asset history
    assert every_link == len(incidents) + len(hosts)
    _open(browser, url)
    home = browser.execute_script(
        """
        const h = [...document.querySelectorAll('.md-content h2')]
          .find((x) => x.textContent.startsWith('Signatures seen'));
        return h && h.nextElementSibling.textContent;
        """
    )
    assert home and "corrected hardware errors, then uncorrectable: 2 incidents" in home
