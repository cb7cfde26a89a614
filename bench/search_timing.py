"""Pagefind's own time per query, inside headless Chromium, on a built site (issue 11).

Where ``bench_search.py`` times the whole first search (page, search box, results shown), this calls
Pagefind's API in the page: for each query, the ms of ``pagefind.search()`` and of the first ten results'
``data()``, and the number of results; two rounds, the second with Pagefind's chunks cached.

    python bench/search_timing.py SITE_DIR QUERY [QUERY ...]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import serve

TIMED = """
const done = arguments[arguments.length - 1];
(async () => {
  const pf = await import('/pagefind/pagefind.js');
  await pf.options({ baseUrl: '/' });
  await pf.init();
  const out = {};
  for (const q of arguments[0]) {
    const t0 = performance.now();
    const found = await pf.search(q);
    const t1 = performance.now();
    await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
    out[q] = [found.results.length, Math.round(t1 - t0), Math.round(performance.now() - t1)];
  }
  done(out);
})().catch((e) => done(String(e)));
"""


def main() -> None:
    """Print, per round and query, the results found, search ms and data ms."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("queries", nargs="+")
    args = parser.parse_args()

    from selenium import webdriver

    profile = tempfile.mkdtemp(prefix="bench-search-timing-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    if not (args.site / "pagefind" / "pagefind.js").is_file():
        raise SystemExit(f"{args.site}: no Pagefind bundle (pagefind/pagefind.js); build the site first")
    with serve(args.site) as url:
        driver = webdriver.Chrome(options=options, service=webdriver.ChromeService("/usr/bin/chromedriver"))
        try:
            driver.set_script_timeout(300)
            driver.get(url + "404.html")
            for round_ in (1, 2):
                timed = driver.execute_async_script(TIMED, args.queries)
                if isinstance(timed, str):
                    raise SystemExit(f"Pagefind failed in the page: {timed}")
                for query, (count, search_ms, data_ms) in timed.items():
                    print(f"round {round_}  {query!r}: {count} results, search {search_ms} ms, data {data_ms} ms")
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
