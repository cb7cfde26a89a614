"""Paged lists in real builds: every link of the built site reaches a page, both engines, both URL styles.

The site fixtures are built with :data:`failurelog.site.paging.PAGE_ROWS` at 2, so the incident index, the
value, asset, signature and action lists all span several pages; every ``<a href>`` of every built page is
followed to a file of the site, and every link to a signature's entry to a page holding that entry.
"""

from __future__ import annotations

import json
import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from failurelog.cli.main import main
from failurelog.site import paging
from tests.site_helpers import make_repo

pytestmark = pytest.mark.slow  # real engine builds: run by .ci/run, skipped by -m "not slow"

EPOCH = "1773100800"  # 2026-03-10, the fixtures' build date


class _Links(HTMLParser):
    """Every link of a page (href and text) and every element id."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self._open, self._text = str(values["href"]), []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.links.append((self._open, "".join(self._text).strip()))
            self._open = None


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _target(site: Path, page: Path, path: str) -> Path:
    """The file a relative link ``path`` of ``page`` (a file of ``site``) reaches."""
    folder = page.parent.relative_to(site).as_posix()
    joined = posixpath.normpath(posixpath.join(folder, unquote(path)))
    found = site / joined
    return found / "index.html" if path.endswith("/") or found.is_dir() else found


def _broken_links(site: Path) -> tuple[list[str], int]:
    """Links of the site's pages that reach no file (or no signature entry), and how many were followed."""
    broken, followed = [], 0
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[0] in ("pagefind", "assets", "search", "404.html"):
            continue  # the search bundle, the theme's files, and the 404 page (its links are absolute)
        for href, _label in _parse(page).links:
            path, _, anchor = href.partition("#")
            if urlsplit(href).scheme or href.startswith("//") or not path:
                continue
            target = _target(site, page, path)
            followed += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href}")
            elif anchor.startswith("sig-") and anchor not in _parse(target).ids:
                broken.append(f"{page.relative_to(site)}: {href} (no such entry)")
    return broken, followed


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_link_of_a_paged_site_resolves(
    engine: str, directory_urls: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo")
    if not directory_urls:
        config = repo / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "\nuse_directory_urls: false\n", encoding="utf-8")
    monkeypatch.setattr(paging, "PAGE_ROWS", 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = tmp_path / "site"
    assert main(["--root", str(repo), "build", "--engine", engine, "--site-dir", str(site)]) == 0
    second = site / ("incidents/index/page-2/index.html" if directory_urls else "incidents/index/page-2.html")
    assert second.is_file()
    assert "Incidents 3 to 4 of" in second.read_text(encoding="utf-8")
    # The search index holds the incident pages and nothing else: not the incident index's later pages.
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert [lang["page_count"] for lang in entry["languages"].values()] == [
        len(list((repo / "incidents").rglob("SYS-*.md")))
    ]
    # Every link, of Markdown and of raw HTML (the data tables, the cards, the badges), in every mode: Zensical
    # reads raw HTML's relative links from the source file's folder, which the generator writes them for.
    broken, followed = _broken_links(site)
    assert not broken
    assert followed > 500
