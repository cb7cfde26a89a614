"""The built site in a real headless Chromium: navigation, search, pattern pages, offline.

Needs Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``,
``/usr/bin/chromedriver``) and the ``selenium`` package from the test extra.
The site is served on 127.0.0.1 (tests/browser_helpers.py); every request
the browser makes is logged, and any that is not for 127.0.0.1 fails the test
(name resolution of other hosts is disabled as well, so none can succeed).
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import frontmatter
import pytest

from failurelog.cli.main import main
from failurelog.core.body import parse_body
from failurelog.core.paths import incident_files
from tests.browser_helpers import chromium, requested_urls, serve
from tests.site_helpers import ROOT, make_repo

# No skip when the browser is missing: a site nobody opened is not a tested site. `.ci/run`
# installs Debian's chromium and chromium-driver; on a workstation, install them first.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    repo = make_repo(tmp_path_factory.mktemp("browser") / "repo", ROOT / "incidents")
    site = repo / "site"
    assert main(["--root", str(repo), "build", "--site-dir", str(site)]) == 0
    with serve(site) as url:
        yield url


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    driver = chromium(tmp_path / "profile")
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def _check_clean(driver: Any, seen: list[str]) -> None:
    """No console errors, and no request to anything but the local server."""
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors
    seen.extend(requested_urls(driver))
    network = seen
    assert network, "no request was logged"
    outside = [u for u in network if not u.startswith("http://127.0.0.1:")]
    assert outside == [], outside


def _wait(driver: Any) -> WebDriverWait[Any]:
    return WebDriverWait(driver, 20)


def _search_target() -> tuple[str, str]:
    """An incident id and a phrase from its error messages that no other incident file contains."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in incident_files(ROOT)}
    for ident, text in sorted(texts.items()):
        body = parse_body(text.split("\n---\n", 1)[-1])
        section = next((s for s in body.sections if s.heading == "Error Messages"), None)
        if section is None:
            continue
        for line in section.text.splitlines():
            words = re.findall(r"[A-Za-z][A-Za-z_]{4,}", line)
            for i in range(len(words) - 1):
                unique = [w for w in words[i : i + 2] if sum(w.lower() in t.lower() for t in texts.values()) == 1]
                if unique:
                    return ident, " ".join(words[i : i + 2])
    raise AssertionError("no example incident has a distinctive error-message phrase to search for")


def _host_search_target() -> tuple[str, str]:
    """An incident id and its host name, where only that incident's field table names the host."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in incident_files(ROOT)}
    for ident, text in sorted(texts.items()):
        meta: dict[str, Any] = dict(frontmatter.loads(text).metadata)
        host = str(meta.get("system", {}).get("hostname", ""))
        others = [t for other, t in texts.items() if other != ident and host in t]
        if "-" in host and host not in str(meta.get("title", "")) and not others:
            return ident, host
    raise AssertionError("no example incident has a host name that only its field table shows")


RESULT = ".md-search-result__item a, .md-search-result__link"


def _first_search_result(driver: Any, site_url: str, query: str, target: str) -> Any:
    """Type ``query`` into the site search; the first result once it is ``target``'s page and stays so.

    Results refresh with every key typed, so an earlier partial query's list can
    show first; the test waits for the full query's list (and fails after the
    timeout with the first result it saw if that never names ``target``).
    """
    driver.get(site_url)
    driver.find_element(By.CSS_SELECTOR, "label.md-search__icon, .md-search__input").click()
    field = _wait(driver).until(ec.element_to_be_clickable((By.CSS_SELECTOR, "input.md-search__input")))
    field.send_keys(query)

    def first_is_target(d: Any) -> Any:
        found = d.find_elements(By.CSS_SELECTOR, RESULT)
        return found[0] if found and target in (found[0].get_attribute("href") or "") else False

    # a list being redrawn leaves stale elements behind: look again rather than fail
    wait = WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException,))
    try:
        wait.until(first_is_target)
        time.sleep(0.5)  # the last key's search has run: the list no longer changes
        return wait.until(first_is_target)
    except TimeoutException:
        try:
            found = driver.find_elements(By.CSS_SELECTOR, RESULT)
            shown = found[0].get_attribute("href") if found else "no result"
        except StaleElementReferenceException:
            shown = "a list still being redrawn"
        raise AssertionError(f"search {query!r}: first result {shown}, expected {target}") from None


def test_home_index_incident_search_and_pattern_page(browser: Any, site_url: str) -> None:
    seen: list[str] = []
    browser.get(site_url)
    assert "System Failure Log" in browser.title
    _check_clean(browser, seen)

    # home -> incident index -> an incident
    browser.find_element(By.LINK_TEXT, "Incidents").click()
    _wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "input.fl-filter")))
    first = browser.find_element(By.CSS_SELECTOR, "article table tbody tr td a")
    ident = first.text
    first.click()
    _wait(browser).until(ec.title_contains(ident))
    assert ident in browser.find_element(By.TAG_NAME, "h1").text
    _check_clean(browser, seen)

    # the index filters in the browser
    browser.get(site_url + "incidents/")
    box = _wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "input.fl-filter")))
    rows = browser.find_elements(By.CSS_SELECTOR, "article table tbody tr")
    box.send_keys(ident)
    _wait(browser).until(lambda d: len([r for r in rows if r.is_displayed()]) == 1)
    _check_clean(browser, seen)

    # search a phrase from an incident's error messages and land on it
    target, phrase = _search_target()
    result = _first_search_result(browser, site_url, phrase, target)
    result.click()
    _wait(browser).until(ec.title_contains(target))
    _check_clean(browser, seen)

    # patterns -> a field -> a value
    browser.get(site_url)
    browser.find_element(By.LINK_TEXT, "Patterns").click()
    _wait(browser).until(ec.title_contains("Patterns"))
    browser.find_element(By.CSS_SELECTOR, "article table tbody tr td a").click()
    _wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "article table tbody tr td a")))
    browser.find_element(By.CSS_SELECTOR, "article table tbody tr td a").click()
    _wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "figure.fl-chart svg")))
    assert browser.find_elements(By.CSS_SELECTOR, "article table tbody tr")
    _check_clean(browser, seen)


def test_search_finds_an_incident_by_a_host_name_in_its_fields(browser: Any, site_url: str) -> None:
    seen: list[str] = []
    target, host = _host_search_target()
    result = _first_search_result(browser, site_url, host, target)
    result.click()
    _wait(browser).until(ec.title_contains(target))
    assert host in browser.find_element(By.TAG_NAME, "article").text
    _check_clean(browser, seen)


def test_statistics_charts_render_offline(browser: Any, site_url: str) -> None:
    seen: list[str] = []
    browser.get(site_url + "statistics/")
    charts = _wait(browser).until(ec.presence_of_all_elements_located((By.CSS_SELECTOR, "figure.fl-chart svg")))
    assert len(charts) >= 5
    assert all(chart.size["width"] > 300 for chart in charts)
    _check_clean(browser, seen)
