"""The site's search index: Pagefind run over the built incident pages, for MkDocs and Zensical alike.

Material's own search (lunr) downloads one JSON file holding every page's text
before the first result (287 MB at 10,000 incidents) and splits what is typed
at dashes. Pagefind (the ``pagefind[bin]`` package: its binary ships in the
wheel, nothing is downloaded) writes a chunked index into ``SITE/pagefind/``:
the browser fetches the few chunks a query's words need and the fragments of
the results it shows. The search box is Material's, driven by
``assets/failurelog/search.js``; Material's and Zensical's own search indexes
are switched off in ``mkdocs.yml``.

Only incident pages are indexed, each from its ``<article>`` (not the header,
navigation or footer of the theme), without permalink marks and without the
blocks marked ``data-pagefind-ignore`` (:mod:`failurelog.site.search_markup`).
Pagefind keeps a hyphenated, dotted or underscored word (``md-gw-03``,
``5.14.0-503.26.1.el9_5``, ``RTR_UNAVAILABLE``) as one word and indexes its
parts beside it at a lower weight; the search box uses Pagefind's own query
parsing, so what is typed is split the same way as the index.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from failurelog.core.errors import FailurelogError

#: The folder of the site that holds the index and Pagefind's scripts.
BUNDLE_DIR = "pagefind"
#: The part of a built page that is indexed (Material's and Zensical's page content).
ROOT_SELECTOR = "article"
#: Parts of the article that are not words to find: the headings' permalink marks.
EXCLUDE_SELECTORS = (".headerlink",)


def incident_pages_glob(directory_urls: bool = True) -> str:
    """The built pages of the incidents (``incidents/YYYY/ID.md`` in the generated tree), as a Pagefind glob.

    Only year folders: the incident index's later pages (``incidents/index/page-2.md``) are not incidents.
    """
    return "incidents/[0-9]*/*/index.html" if directory_urls else "incidents/[0-9]*/*.html"


@dataclass(frozen=True)
class IndexResult:
    """What indexing did: pages indexed, the index's size on disk and the time it took."""

    pages: int
    bytes: int
    seconds: float


def _executable() -> Path:
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise FailurelogError(
            "the search index needs Pagefind's binary: install this project with its dependencies "
            "(pip install -e .), which brings pagefind[bin]"
        )
    return found


def _pages_indexed(log: str) -> int:
    for line in log.splitlines():
        words = line.split()
        if len(words) >= 3 and words[0] == "Indexed" and words[2] in ("page", "pages"):  # "1 page"
            return int(words[1])
    return 0


def build_search_index(
    site_dir: Path, *, directory_urls: bool = True, subdir: str = BUNDLE_DIR, nice: int = 0
) -> IndexResult:
    """Index the incident pages of the built site in ``site_dir`` into ``site_dir/pagefind`` (or ``subdir``).

    ``nice``: run Pagefind at that lower priority (through ``nice``, where there is one), so that a
    background run leaves the CPUs to the rebuilds a reader waits for.
    """
    lower = shutil.which("nice") if nice > 0 else None
    command = [
        *([lower, "-n", str(nice)] if lower else []),
        str(_executable()),
        "--site",
        str(site_dir),
        "--output-subdir",
        subdir,
        "--glob",
        incident_pages_glob(directory_urls),
        "--root-selector",
        ROOT_SELECTOR,
        "--exclude-selectors",
        ",".join(EXCLUDE_SELECTORS),
        "--force-language",
        "en",
    ]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise FailurelogError(f"search index: pagefind failed (exit {done.returncode}):\n{detail}")
    bundle = site_dir / subdir
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    return IndexResult(pages=_pages_indexed(done.stdout), bytes=size, seconds=seconds)


#: How much lower than ``serve`` a background index runs (a niceness; 19 is the lowest priority).
BACKGROUND_NICE = 10


class BackgroundIndex:
    """Re-index a served site in a thread, so a rebuild never waits for Pagefind (``serve`` only).

    Each run writes a new bundle beside the old one and then swaps the folders, so the browser always
    finds a whole index (the previous one until the new one is ready). A request made while a run is
    going starts one more run after it; requests in between fold into that one.
    """

    def __init__(self, report: Callable[[str], None]) -> None:
        """``report`` receives one line per run (or failure)."""
        self._report = report
        self._lock = threading.Lock()
        self._wanted: tuple[Path, bool] | None = None
        self._thread: threading.Thread | None = None

    def request(self, site_dir: Path, *, directory_urls: bool = True) -> None:
        """Index ``site_dir`` as soon as the current run (if any) is done."""
        with self._lock:
            self._wanted = (site_dir, directory_urls)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="failurelog-search-index", daemon=True)
                self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Block until no run is going or wanted (tests and shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _loop(self) -> None:
        while True:
            with self._lock:
                wanted, self._wanted = self._wanted, None
                if wanted is None:
                    self._thread = None
                    return
            self._run(*wanted)

    def _run(self, site_dir: Path, directory_urls: bool) -> None:
        fresh, old = site_dir / f"{BUNDLE_DIR}.next", site_dir / f"{BUNDLE_DIR}.old"
        try:
            shutil.rmtree(fresh, ignore_errors=True)
            done = build_search_index(site_dir, directory_urls=directory_urls, subdir=fresh.name, nice=BACKGROUND_NICE)
            shutil.rmtree(old, ignore_errors=True)
            bundle = site_dir / BUNDLE_DIR
            if bundle.exists():
                bundle.rename(old)
            fresh.rename(bundle)
            shutil.rmtree(old, ignore_errors=True)
        except (FailurelogError, OSError) as exc:
            self._report(f"failurelog: no search index: {exc}")
            return
        self._report(f"failurelog: search index of {done.pages} pages, {done.bytes} bytes, in {done.seconds:.1f} s")
