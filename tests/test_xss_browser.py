"""Every payload kind of tests/payloads.py, built by both engines, opened in headless Chromium: nothing runs.

One incident carries all the payloads in its body (and some in its front
matter); it passes ``validate``, is built with MkDocs and with Zensical by the
real CLI, and its page is loaded. Each payload would set ``window.__flN``;
the test asserts every one stays undefined after load and after opening every
collapsible block, that no element carries an ``on*`` attribute and no link a
script scheme, and that the browser asked nothing of any other host. The
body's own heading keeps its anchor and its table-of-contents entry.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.browser_helpers import _Quiet, requested_urls
from tests.cli_helpers import run_cli
from tests.payloads import GLOBALS, PAYLOADS
from tests.site_helpers import make_repo
from tests.test_browser import browser  # noqa: F401  (the browser fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOSTILE = Path(__file__).resolve().parent / "hostile" / "files" / "utf8_bom.md"
IDENT = "SYS-20261103-001"

_CHECK = f"""
const set = [];
for (let n = 0; n <= {GLOBALS}; n++) if (window['__fl' + n] !== undefined) set.push(n);
const handlers = [];
for (const el of document.querySelectorAll('*'))
  for (const a of el.attributes) if (a.name.startsWith('on')) handlers.push(el.tagName + ' ' + a.name);
const links = [...document.querySelectorAll('[href],[src],[action],[formaction],[data]')]
  .map(el => el.getAttribute('href') || el.getAttribute('src') || el.getAttribute('action')
             || el.getAttribute('formaction') || el.getAttribute('data') || '')
  .filter(v => /^\\s*(javascript|vbscript|data):/i.test(v.replace(/[\\x00-\\x20]/g, '')));
return [set, handlers, links, document.querySelectorAll('.fl-body').length];
"""


def _incident() -> str:
    good = HOSTILE.read_bytes()[3:].decode("utf-8")
    head, _, _ = good.partition("\n---\n")
    head = head.replace("title: Kernel panic on md-gw-03", "title: '<img src=x onerror=window.__fl0=1> panic'")
    # a heading first: a payload's unclosed raw-HTML block turns what follows it into HTML, headings included
    body = "### Body heading\n\ntext\n\n" + "\n\n".join(f"<!-- {kind} -->\n\n{text}" for kind, text in PAYLOADS)
    return f"{head}\n---\n\n## Initial Symptoms\n\n{body}\n"


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def page_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    repo = make_repo(tmp_path_factory.mktemp(f"xss-{request.param}") / "repo")
    target = repo / "incidents" / "2026" / f"{IDENT}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_incident(), encoding="utf-8")
    assert run_cli(repo, "validate", timeout=120).returncode == 0
    site = repo / "built"
    result = run_cli(repo, "build", "--engine", request.param, "--site-dir", str(site), timeout=600)
    assert result.returncode == 0, result.stderr
    page = next(site.rglob(f"{IDENT}/index.html"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{page.relative_to(site).parent.as_posix()}/"
    finally:
        server.shutdown()
        server.server_close()


def test_no_payload_runs(page_url: str, browser: Any) -> None:  # noqa: F811
    assert len(PAYLOADS) >= 40
    browser.get(page_url)
    browser.execute_script("for (const d of document.querySelectorAll('details')) d.open = true;")
    browser.execute_script("for (const s of document.querySelectorAll('.fl-body summary')) s.click();")
    browser.execute_script("return new Promise(r => setTimeout(r, 500));")
    set_globals, handlers, links, bodies = browser.execute_script(_CHECK)
    assert bodies > 0, "the body was not published"
    toc = browser.execute_script(
        "return [document.getElementById('body-heading') !== null, "
        "[...document.querySelectorAll('nav a[href=\"#body-heading\"]')].length];"
    )
    assert toc[0] and toc[1] > 0, "the body's heading has no anchor or no table-of-contents entry"
    assert set_globals == [], f"payloads ran: {[PAYLOADS[n - 1][0] if n else 'title' for n in set_globals]}"
    assert handlers == []
    assert links == []
    outside = [u for u in requested_urls(browser) if u.startswith("http") and not u.startswith("http://127.0.0.1:")]
    assert outside == []


# Asset names, NIC fields and backtrace frames become pages, page titles, links and signature text of their own
# (asset histories, the signatures page, the card's signature line, suggestion reasons): the same holds there.
_ANALYTICS = """---
id: {ident}
title: Segfault on {host}
occurred_at: '{day}T09:12:07.123Z'
status: draft
severity: P1-High
schema_version: 2
assets:
  - name: {host}
    kind: Server
    role: Primary
  - name: '<img src=x onerror=window.__fl1=1>'
    kind: Server
    role: Standby
    nics:
      - port: '<script>window.__fl2=1</script>'
        vendor: '<b onmouseover=window.__fl3=1>x</b>'
        model: '"><svg onload=window.__fl4=1>'
        firmware: 'javascript:window.__fl5=1'
        driver: '[x](javascript:window.__fl6=1)'
  - name: '../../outside'
    kind: Server
    role: Bystander
---

## Initial Symptoms

Orders stopped.

## Backtrace/Stack Trace

```
#0  0x00007f3a in Pool<img src=x onerror=window.__fl7=1>::acquire (this=0x1) at pool.cc:{line}
#1  0x00007f3b in OrderStateMachine::on_new_order<script>window.__fl8=1</script> (o=0x2) at osm.cc:12
#2  0x00007f3c in Router::route"><svg onload=window.__fl9=1> () at router.cc:40
```
"""
_TWINS = (("SYS-20261104-001", "oms-ny4-01", "2026-11-04", 88), ("SYS-20261204-001", "oms-ny4-02", "2026-12-04", 91))


@pytest.fixture(scope="module")
def analytics_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """Two incidents repeating a hostile stack on two hosts, built with MkDocs and served; (site, its URL)."""
    repo = make_repo(tmp_path_factory.mktemp("xss-analytics") / "repo")
    for ident, host, day, line in _TWINS:
        target = repo / "incidents" / day[:4] / f"{ident}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_ANALYTICS.format(ident=ident, host=host, day=day, line=line), encoding="utf-8")
    assert run_cli(repo, "validate", timeout=120).returncode == 0
    site = repo / "built"
    result = run_cli(repo, "build", "--site-dir", str(site), timeout=600)
    assert result.returncode == 0, result.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield site, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_no_payload_runs_on_the_analytics_pages(analytics_site: tuple[Path, str], browser: Any) -> None:  # noqa: F811
    site, url = analytics_site
    # the payloads reached the pages under test: the shared stack is a signature of both, the hostile Standby and
    # the hostile firmware have histories, and the path trick stayed inside the site
    signatures = (site / "signatures" / "index.html").read_text(encoding="utf-8")
    assert all(ident in signatures for ident, *_ in _TWINS)
    assert "on_new_order" in signatures
    histories = sorted(p.parent for p in (site / "asset-history").rglob("index.html"))
    hostile = [p for p in histories if "onerror" in p.name or "javascript" in p.name or "outside" in p.name]
    assert len(hostile) >= 3, histories
    assert not (site.parent / "outside").exists()
    pages = [site / "index.html", site / "signatures" / "index.html", site / "related" / "index.html"]
    pages += [next(site.rglob(f"{ident}/index.html")) for ident, *_ in _TWINS]
    pages += [p / "index.html" for p in histories]
    for page in pages:
        browser.get(url + page.relative_to(site).as_posix())
        browser.execute_script("for (const d of document.querySelectorAll('details')) d.open = true;")
        browser.execute_script("return new Promise(r => setTimeout(r, 200));")
        set_globals, handlers, links, _ = browser.execute_script(_CHECK)
        where = page.relative_to(site).as_posix()
        assert (set_globals, handlers, links) == ([], [], []), f"{where}: {set_globals} {handlers} {links}"
    outside = [u for u in requested_urls(browser) if u.startswith("http") and not u.startswith("http://127.0.0.1:")]
    assert outside == []
