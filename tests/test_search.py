"""The site search in real Chromium over a corpus where ids, hosts, versions and words overlap.

The corpus (tests/search_corpus.py) is built into a site once per session.
Each test types a query into the search box of the home page, waits until the
result list stops changing, and checks the first result against what the
corpus files say should come first. The waiting does not depend on the search
engine, so the same tests can be run against another build of the site.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from failurelog.cli.main import main
from failurelog.core.schema import load_schema
from failurelog.site.search_markup import YEAR_TITLE
from tests.browser_helpers import chromium, requested_urls, serve
from tests.search_corpus import HOSTILE_TITLE, PHRASE, PLANTS, Incident, build_corpus, expected, incidents

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.browser, pytest.mark.slow]

from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ITEM = ".md-search-result__item"
#: failurelog's search box says which query its list is for; a theme's own search box has no such mark.
DONE = "var b = document.querySelector('.fl-search'); return !b || b.getAttribute('data-fl-done') === arguments[0]"


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Incident]]]:
    repo = build_corpus(tmp_path_factory.mktemp("search-corpus"))
    site = repo / "site"
    assert main(["--root", str(repo), "build", "--site-dir", str(site)]) == 0
    with serve(site) as url:
        yield url, incidents(repo)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("search-profile")
    browser = chromium(profile)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _snapshot(driver: Any) -> tuple[str, list[str], list[str]]:
    meta = driver.find_element(By.CSS_SELECTOR, ".md-search-result__meta").text
    items = driver.find_elements(By.CSS_SELECTOR, ITEM)
    links = [i.find_element(By.CSS_SELECTOR, "a").get_attribute("href") or "" for i in items[:10]]
    titles = [i.find_element(By.CSS_SELECTOR, "h1").text for i in items[:10]]
    return meta, links, titles


def _settled(driver: Any, query: str, timeout: float = 30) -> tuple[str, list[str], list[str]]:
    """Meta line, result links and titles once the list for ``query`` has stopped changing."""
    idle = ("", "Initializing search", "Type to start searching")
    last, same, end = None, 0, time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            now = _snapshot(driver)
            done = driver.execute_script(DONE, query)
        except StaleElementReferenceException:
            now, done = None, False
        same = same + 1 if now is not None and now == last and done and now[0] not in idle else 0
        if same >= 3:
            assert now is not None
            return now
        last = now
        time.sleep(0.3)
    raise AssertionError(f"search {query!r}: the result list did not settle in {timeout} s (last: {last})")


def search(driver: Any, url: str, query: str) -> tuple[str, list[str], list[str]]:
    """Type ``query`` into the search box of the page at ``url``; the settled results."""
    driver.get(url)
    # search.js builds the box; it is loaded async, so it may run just after the page's load event.
    field = WebDriverWait(driver, 15).until(ec.presence_of_element_located((By.CSS_SELECTOR, "input.md-search__input")))
    driver.execute_script("arguments[0].focus()", field)
    field.send_keys(query)
    return _settled(driver, query)


def ident(link: str) -> str:
    found = re.search(r"/(SYS-\d{8}-\d+)/", link)
    return found.group(1) if found else link


def _one_of_many_001(corpus: dict[str, Incident]) -> str:
    ids = sorted(i for i in corpus if i.endswith("-001"))
    assert len(ids) >= 10, "the corpus should have many ids ending in -001"
    return ids[len(ids) // 2]


QUERIES = [
    ("host", "pg-ny4-01"),
    ("host", "md-gw-ny4-02"),
    ("host", "fixgw-ny4-02"),
    ("field", "Hostname: pgdb-ny4-01"),
    ("host prefix", "md-gw"),
    ("host prefix", "pgdb-ny4"),
    ("version", "5.14.0-503.26.1.el9_5"),
    ("identifier", "RTR_UNAVAILABLE"),
    ("identifier", "exec_audit_log_2026_11_ts_idx"),
    ("phrase", PHRASE),
]


@pytest.mark.parametrize(("kind", "query"), QUERIES, ids=[f"{k}:{q}" for k, q in QUERIES])
def test_first_result(driver: Any, corpus_site: tuple[str, dict[str, Incident]], kind: str, query: str) -> None:
    url, corpus = corpus_site
    wanted = expected(corpus, kind, query)
    assert wanted, f"the corpus has no incident for {kind} {query!r}"
    if kind in ("version", "identifier"):
        assert len(wanted) == 1, f"{kind} {query!r} should be in one incident, not {sorted(wanted)}"
    meta, links, _ = search(driver, url, query)
    assert links, f"search {query!r}: no result ({meta})"
    assert ident(links[0]) in wanted, f"search {query!r}: first {ident(links[0])}, expected one of {sorted(wanted)}"


@pytest.mark.parametrize("case", [str.upper, str.lower], ids=["upper", "lower"])
def test_an_id_in_any_case_comes_first(driver: Any, corpus_site: tuple[str, dict[str, Incident]], case: Any) -> None:
    url, corpus = corpus_site
    target = _one_of_many_001(corpus)
    _, links, _ = search(driver, url, case(target))
    assert links and ident(links[0]) == target, f"search {case(target)!r}: {[ident(x) for x in links[:3]]}"


def test_a_phrase_comes_before_its_words_apart(driver: Any, corpus_site: tuple[str, dict[str, Incident]]) -> None:
    url, corpus = corpus_site
    holding = expected(corpus, "phrase", PHRASE)
    words = PHRASE.lower().split()
    apart = {i for i, c in corpus.items() if i not in holding and all(w in c.text.lower() for w in words)}
    assert apart, "the corpus should have an incident with the phrase's words apart"
    _, links, _ = search(driver, url, PHRASE)
    ranked = [ident(x) for x in links]
    assert set(ranked[: len(holding)]) == holding, ranked


def test_exact_word_before_its_extension(driver: Any, corpus_site: tuple[str, dict[str, Incident]]) -> None:
    url, corpus = corpus_site
    longer = expected(corpus, "identifier", "RTR_UNAVAILABLE_RETRY")
    assert longer, "the corpus should hold RTR_UNAVAILABLE_RETRY too"
    _, links, _ = search(driver, url, "RTR_UNAVAILABLE")
    ranked = [ident(x) for x in links]
    exact = expected(corpus, "identifier", "RTR_UNAVAILABLE")
    assert ranked and ranked[0] in exact and ranked[0] not in longer, ranked


@pytest.mark.parametrize("word", ["qzxvbnotaword", "md-gw-99"])
def test_a_word_found_nowhere_gives_no_incident(
    driver: Any, corpus_site: tuple[str, dict[str, Incident]], word: str
) -> None:
    url, corpus = corpus_site
    assert not any(word in c.text.lower() for c in corpus.values())
    meta, links, _ = search(driver, url, word)
    assert links == [], links
    assert "No incident matches" in meta, meta


def test_titles_show_as_typed(driver: Any, corpus_site: tuple[str, dict[str, Incident]]) -> None:
    url, corpus = corpus_site
    target = next(i for i, c in corpus.items() if c.title == HOSTILE_TITLE)
    _, links, titles = search(driver, url, "zebracorn")
    assert links and ident(links[0]) == target
    assert titles[0] == f"{target}: {HOSTILE_TITLE}"
    first = driver.find_element(By.CSS_SELECTOR, ITEM)
    assert first.find_elements(By.CSS_SELECTOR, "h1 b, h1 script, p script") == []
    facts = first.find_element(By.CSS_SELECTOR, ".fl-search-facts").text
    assert target in facts and re.search(r"P\d-\w+", facts) and re.search(r"\d{4}-\d{2}-\d{2}", facts), facts


def test_q_in_the_address_opens_the_search_on_any_page(
    driver: Any, corpus_site: tuple[str, dict[str, Incident]]
) -> None:
    url, corpus = corpus_site
    target = _one_of_many_001(corpus)
    for page in ("", "statistics/"):
        driver.get(f"{url}{page}?q={target.lower()}")
        _, links, _ = _settled(driver, target.lower())
        assert links and ident(links[0]) == target, (page, links[:3])
        assert driver.execute_script("return document.getElementById('__search').checked")
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors
    requests = requested_urls(driver)
    assert any("/pagefind/" in r for r in requests), "the index was not fetched"
    outside = [r for r in requests if not r.startswith("http://127.0.0.1:")]
    assert outside == [], outside


def test_facets_filter_the_results(driver: Any, corpus_site: tuple[str, dict[str, Incident]]) -> None:
    url, _ = corpus_site
    _, everything, _ = search(driver, url, "md-gw")
    # Facets are labelled with the schema's titles, never its field names.
    schema = load_schema(ROOT)
    titles = sorted([f.title for f in schema.search_facets] + [YEAR_TITLE])
    shown = driver.find_elements(By.CSS_SELECTOR, "select[data-fl-facet]")
    assert [e.get_attribute("data-fl-facet") for e in shown] == titles
    labels = [e.find_element(By.CSS_SELECTOR, "option").get_attribute("textContent") for e in shown]
    assert labels == [f"{t}: all" for t in titles]
    select = driver.find_element(By.CSS_SELECTOR, 'select[data-fl-facet="Severity"]')
    options = [o.get_attribute("value") for o in select.find_elements(By.CSS_SELECTOR, "option")]
    options = [o for o in options if o]
    assert len(options) >= 2, options
    driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", select, options[0]
    )
    time.sleep(0.5)
    _, links, _ = _settled(driver, "md-gw")
    facts = [e.text for e in driver.find_elements(By.CSS_SELECTOR, f"{ITEM} .fl-search-facts")]
    assert links and set(links) != set(everything)
    assert all(options[0] in f for f in facts), facts


def test_a_field_value_is_found_as_label_and_value(driver: Any, corpus_site: tuple[str, dict[str, Incident]]) -> None:
    url, corpus = corpus_site
    kernel = PLANTS[0][1]
    field = load_schema(ROOT).field("system.kernel_version")
    assert kernel and field is not None
    wanted = expected(corpus, "version", kernel)
    assert len(wanted) == 1, wanted
    _, links, _ = search(driver, url, f"{field.title}: {kernel}")
    assert links and ident(links[0]) in wanted, [ident(x) for x in links[:3]]
