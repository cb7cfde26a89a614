"""Shared by the browser tests: a built site on 127.0.0.1 and a headless Chromium that reaches nothing else.

The site is served by ``http.server`` in a thread. Chromium resolves no other
host name (``--host-resolver-rules``), and the tests also check the logged
requests, so a page that fetched anything from outside fails.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
#: Addresses the browser answers itself (its own pages, inline data): not requests to any server.
#: Chromium 150's new-tab page asks for ``chrome-untrusted://new-tab-page/...`` before any site loads.
BROWSER_INTERNAL = re.compile(r"(data|blob|about|chrome|chrome-untrusted|chrome-extension|devtools):")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """``site`` served on 127.0.0.1 (a free port); yields its URL."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium(profile: Path) -> Any:
    """A headless Chromium (selenium driver) with a fresh profile, browser and network logs on."""
    from selenium import webdriver

    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    assert not missing, f"browser tests need {', '.join(missing)}: apt-get install chromium chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    return driver


def requested_urls(driver: Any) -> list[str]:
    """Every URL the page and its workers asked the network for since the last call (performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return [url for url in urls if not BROWSER_INTERNAL.match(url)]
