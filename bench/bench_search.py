"""Site search benchmark (issue 11): Pagefind behind Material's search box against Material's built-in search.

For each size N (default 1,000 and 10,000 synthetic incidents, bench/synth.py) it builds, side by side:

- **ours**: ``failurelog build`` of this checkout (Pagefind index of the incident pages), with MkDocs
  and, with ``--zensical``, with Zensical too;
- **lunr**: ``failurelog build`` of a baseline revision (``--baseline``, default ``main``; exported with
  ``git archive``, run from that copy) whose site uses Material's own search plugin.

Then, in real headless Chromium with a fresh profile each run, served by ``http.server`` on
127.0.0.1 (no compression, as a plain static file server), it opens ``/?q=QUERY`` (both searches
honour ``?q=``) and measures the bytes downloaded in all (home page, assets, index, results; counted
by the server, so requests from web workers count too) until the first result is shown, and the
time from navigation start to the first result. Index bytes: Material's ``search/search_index.json``;
Pagefind's ``pagefind/`` folder (all of it: scripts, wasm, index chunks, fragments). Build times are
wall clock, each build in a fresh process; the Pagefind share is the time of indexing the built site
again alone. Medians of ``--runs`` browser runs.

    python bench/bench_search.py [--sizes 1000 10000] [--work /tmp/bench-search] [--zensical] [--write]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

SECTION = "## Site search (issue 11)"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
RESULT = ".md-search-result__item"
#: Notes when (ms from navigation start) and where the first result shows; already shown: now.
WATCH = """const sel = arguments[0];
const check = () => {
  const r = document.querySelector(sel);
  if (r && !window.__benchFirst) {
    window.__benchFirst = [performance.now(), r.querySelector('a').getAttribute('href')];
  }
  return !!r;
};
if (!check()) { new MutationObserver((m, o) => { if (check()) o.disconnect(); })
  .observe(document.body, {childList: true, subtree: true}); }"""


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def corpus(work: Path, count: int) -> Path:
    """``count`` synthetic incidents (generated once, reused)."""
    repo = work / f"corpus-{count}"
    if not (repo / ".complete").exists():
        shutil.rmtree(repo, ignore_errors=True)
        synth.generate(repo, count)
        (repo / ".complete").write_text("done\n")
    return repo


def site_repo(source: Path, corpus_dir: Path, target: Path) -> Path:
    """A repository with the corpus's incidents and ``source``'s schema, templates and site files."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copytree(corpus_dir / "incidents", target / "incidents", copy_function=os.link)
    for name in ("schema", "templates", "mkdocs.yml", "scripts", "docs"):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        elif (source / name).exists():
            shutil.copy2(source / name, target / name)
    return target


def baseline_checkout(work: Path, rev: str) -> Path:
    """The baseline revision's files (``git archive``), to run its failurelog from."""
    out = work / f"baseline-{rev.replace('/', '_')}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return out


def build(code: Path, repo: Path, engine: str) -> tuple[float, Path]:
    """Seconds of ``failurelog build`` run from ``code``'s sources; the site folder."""
    site = repo / f"site-{engine}"
    script = "import sys; from failurelog.cli.main import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", script, "--root", str(repo), "build", "--engine", engine, "--site-dir", str(site)]
    start = time.perf_counter()
    done = subprocess.run(command, env={**ENV, "PYTHONPATH": str(code / "src")}, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build failed ({code}, {engine}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, site


#: Bytes of file content the bench's server has sent (the page's and its workers' requests alike).
SENT = [0]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        while chunk := source.read(1 << 16):
            outputfile.write(chunk)
            SENT[0] += len(chunk)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def first_search(url: str, query: str, timeout: float) -> tuple[int, float, str]:
    """Bytes downloaded and ms from navigation start until the first result of ``?q=query``; its link."""
    from urllib.parse import quote

    from selenium import webdriver

    profile = tempfile.mkdtemp(prefix="bench-search-profile-")
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
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))
    try:
        driver.set_page_load_timeout(timeout)
        driver.set_script_timeout(timeout)
        SENT[0] = 0
        driver.get(f"{url}?q={quote(query)}")
        # Short calls, polled: a search that takes minutes must not hit the driver's own request timeout.
        driver.execute_script(WATCH, RESULT)
        end = time.monotonic() + timeout
        found = None
        while found is None and time.monotonic() < end:
            time.sleep(0.25)
            found = driver.execute_script("return window.__benchFirst || null")
        if found is None:
            raise SystemExit(f"no result for {query!r} at {url} within {timeout} s")
        time.sleep(1.0)  # let the result fragments still in flight arrive: they are part of the first search
        # Counted at the server: Pagefind fetches its index from a web worker, whose requests the page's
        # network log does not show.
        return SENT[0], float(found[0]), str(found[1])
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def index_bytes(site: Path) -> tuple[int, int]:
    """(bytes of the search index, bytes of its largest single file)."""
    for folder in ("pagefind", "search"):
        if (site / folder).is_dir():
            files = [p for p in (site / folder).rglob("*") if p.is_file()]
            return sum(p.stat().st_size for p in files), max(p.stat().st_size for p in files)
    return 0, 0


def pagefind_seconds(site: Path) -> float:
    from failurelog.site.search_index import build_search_index

    scratch = site.parent / "site-reindex"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(site, scratch, ignore=shutil.ignore_patterns("pagefind"), copy_function=os.link)
    try:
        return build_search_index(scratch).seconds
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def measure(site: Path, query: str, runs: int, timeout: float) -> dict[str, Any]:
    with serve(site) as url:
        got = [first_search(url, query, timeout) for _ in range(runs)]
    total, largest = index_bytes(site)
    return {
        "index_bytes": total,
        "largest_file": largest,
        "downloaded": statistics.median(g[0] for g in got),
        "first_result_ms": statistics.median(g[1] for g in got),
        "runs_ms": [round(g[1]) for g in got],
        "first_link": got[0][2],
    }


def mb(n: float) -> str:
    return f"{n / 1e6:,.2f} MB" if n < 1e8 else f"{n / 1e6:,.0f} MB"


def report(rows: list[dict[str, Any]], query_note: str) -> str:
    lines = [
        SECTION,
        "",
        f"Measured by `python bench/bench_search.py` on {time.strftime('%Y-%m-%d')}, 2 shared cores. {query_note}",
        "",
        "| incidents | search | build | of which index | index bytes (largest file) | downloaded for the first search "
        "| time to first result (runs) | first result |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        rest = r["build_s"] - r["index_s"]
        share = f"{r['index_s']:.1f} s ({100 * r['index_s'] / rest:.1f}%)" if r["index_s"] else ""
        lines.append(
            f"| {r['count']:,} | {r['label']} | {r['build_s']:.1f} s | {share} | {mb(r['index_bytes'])} "
            f"({mb(r['largest_file'])}) | {mb(r['downloaded'])} | {r['first_result_ms'] / 1000:.2f} s "
            f"({', '.join(f'{x / 1000:.2f}' for x in r['runs_ms'])}) | `{r['first_link']}` |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-search"))
    parser.add_argument("--baseline", default="main", help="revision whose site uses Material's own search")
    parser.add_argument("--zensical", action="store_true", help="also build and search with Zensical (ours)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--runs-large", type=int, default=3, help="browser runs at the largest size")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--write", action="store_true", help="replace this section of bench/README.md")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    base = baseline_checkout(args.work, args.baseline)
    rows = []
    for count in args.sizes:
        data = corpus(args.work, count)
        query = sorted(p.stem for p in (data / "incidents").rglob("*.md"))[count // 2]
        plans = [("ours", ROOT, "mkdocs", "Pagefind, MkDocs")]
        if args.zensical:
            plans.append(("ours", ROOT, "zensical", "Pagefind, Zensical"))
        plans.append(("lunr", base, "mkdocs", f"Material's search ({args.baseline})"))
        for kind, code, engine, label in plans:
            repo = site_repo(code, data, args.work / f"{kind}-{count}")
            seconds, site = build(code, repo, engine)
            row = {"count": count, "label": label, "build_s": seconds, "query": query}
            row["index_s"] = pagefind_seconds(site) if kind == "ours" else 0.0
            runs = args.runs_large if count == max(args.sizes) else args.runs
            row.update(measure(site, query, runs, args.timeout))
            rows.append(row)
            print(json.dumps(row), flush=True)
            shutil.rmtree(repo, ignore_errors=True)
    note = "Query: an incident id from the middle of the corpus, opened as `/?q=ID` with a fresh browser profile."
    text = report(rows, note)
    print(text)
    (args.work / "results.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    if args.write:
        readme = ROOT / "bench" / "README.md"
        current = readme.read_text(encoding="utf-8")
        if SECTION in current:
            head, _, tail = current.partition(SECTION)
            rest = tail.split("\n## ", 1)
            current = head + text + ("\n## " + rest[1] if len(rest) > 1 else "")
        else:
            current = current.rstrip("\n") + "\n\n" + text
        readme.write_text(current, encoding="utf-8")


if __name__ == "__main__":
    main()
