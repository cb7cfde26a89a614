"""Real builds: ``failurelog build`` with MkDocs and with Zensical, plain ``mkdocs build``, invalid input."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import frontmatter
import pytest

from failurelog.cli.main import main
from tests.cli_helpers import run_cli
from tests.site_helpers import ROOT, SITE_FIXTURES, external_assets, make_repo

pytestmark = pytest.mark.slow  # real engine builds / browser: run by .ci/run, skipped by -m "not slow"

EPOCH = "1773100800"  # 2026-03-10: the build date of every build here
ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}


def build(*args: str) -> int:
    """``failurelog ARGS`` in this process, with the fixed build date."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return main(list(args))


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of this repository's site: its example incidents, schema, docs and mkdocs.yml."""
    return make_repo(tmp_path_factory.mktemp("examples") / "repo", ROOT / "incidents")


@pytest.fixture(scope="module")
def mkdocs_site(examples: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site-mkdocs")
    assert build("--root", str(examples), "build", "--site-dir", str(site)) == 0
    return site


@pytest.fixture(scope="module")
def zensical_site(examples: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site-zensical")
    assert build("--root", str(examples), "build", "--engine", "zensical", "--site-dir", str(site)) == 0
    return site


def _incident_ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "incidents").rglob("SYS-*.md"))


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_every_incident_and_index_page_is_built(engine: str, request: pytest.FixtureRequest, examples: Path) -> None:
    site: Path = request.getfixturevalue(f"{engine}_site")
    for ident in _incident_ids(examples):
        page = site / "incidents" / ident[4:8] / ident / "index.html"
        assert page.is_file(), page
        assert ident in page.read_text(encoding="utf-8")
    for section in ("incidents", "patterns", "related", "actions", "statistics", "data"):
        assert (site / section / "index.html").is_file(), section
    assert (site / "patterns" / "components" / "index.html").is_file()
    assert (site / "data" / "incidents.json").is_file() and (site / "data" / "incidents.csv").is_file()
    assert (site / "assets" / "failurelog" / "failurelog.js").is_file()


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_nothing_is_fetched_from_another_host(engine: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(f"{engine}_site")
    assert external_assets(site) == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in home and "fonts.gstatic.com" not in home


def _navigation(page: str) -> str:
    """The text of every ``<nav>`` element of a page (the home page's own content lists incidents)."""
    out, depth, start = [], 0, 0
    for tag in re.finditer(r"<(/?)nav\b", page):
        if not tag.group(1):
            if depth == 0:
                start = tag.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                out.append(page[start : tag.end()])
    return "".join(out)


def test_incidents_are_not_listed_in_the_navigation(mkdocs_site: Path, examples: Path) -> None:
    home = (mkdocs_site / "index.html").read_text(encoding="utf-8")
    nav = _navigation(home)
    assert 'href="incidents/"' in nav  # the index pages are listed
    assert not any(ident in nav for ident in _incident_ids(examples))
    assert any(ident in home for ident in _incident_ids(examples))  # the home page's content links some


def _fragments(site: Path) -> list[dict[str, Any]]:
    """Every page record of the site's Pagefind index (gzip, then Pagefind's 12-byte signature, then JSON)."""
    out = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data[:12] == b"pagefind_dcd", path
        out.append(json.loads(data[12:]))
    return out


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_search_index_holds_every_incident_and_nothing_else(
    engine: str, request: pytest.FixtureRequest, examples: Path
) -> None:
    site: Path = request.getfixturevalue(f"{engine}_site")
    urls = sorted(f["url"] for f in _fragments(site))
    assert urls == sorted(f"/incidents/{ident[4:8]}/{ident}/" for ident in _incident_ids(examples))
    assert not (site / "search" / "search_index.json").exists()  # Material's own index is off


def test_plain_mkdocs_build_gives_the_same_site(examples: Path, mkdocs_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "plain"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(examples / "mkdocs.yml"), "-d", str(site)],
        cwd=examples,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    ours = sorted(p.relative_to(mkdocs_site).as_posix() for p in mkdocs_site.rglob("*.html"))
    plain = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert ours == plain
    page = "incidents/2026/SYS-20260304-001/index.html"
    assert (site / page).read_text(encoding="utf-8") == (mkdocs_site / page).read_text(encoding="utf-8")


def test_hostile_incident_is_escaped_in_the_built_page(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    site = tmp_path / "site"
    assert build("--root", str(repo), "build", "--site-dir", str(site)) == 0
    html = (site / "incidents" / "2026" / "SYS-20260220-001" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(" not in html
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html or '&lt;script&gt;alert("x")' in html
    for page in site.rglob("*.html"):
        assert "<script>alert(" not in page.read_text(encoding="utf-8"), page


def test_invalid_incident_stops_the_build_with_the_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo")
    broken = repo / "incidents" / "2026" / "SYS-20260210-001.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("severity: P2-Medium", "severity: P9"), "utf-8")
    site = tmp_path / "site"
    assert build("--root", str(repo), "build", "--site-dir", str(site)) == 1
    out, err = capsys.readouterr()
    assert "incidents/2026/SYS-20260210-001.md:" in out and "severity" in out
    assert "ERROR" in err and "not built" in err
    assert not site.exists()


def test_plain_mkdocs_build_stops_on_an_invalid_incident(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    broken = repo / "incidents" / "2026" / "SYS-20260210-001.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("severity: P2-Medium", "severity: P9"), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(repo / "mkdocs.yml"), "-d", str(tmp_path / "s")],
        cwd=repo,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "SYS-20260210-001.md" in done.stderr and "Traceback" not in done.stderr


def test_rebuild_rewrites_only_changed_pages(tmp_path: Path) -> None:
    from datetime import date

    from failurelog.site.generate import _MEMO, prepare

    repo = make_repo(tmp_path / "repo", SITE_FIXTURES / "incidents")
    first = prepare(repo, today=date(2026, 3, 10))
    assert first.written.written > 0
    _MEMO.clear()
    again = prepare(repo, today=date(2026, 3, 10))
    assert again.written.written == 0 and again.written.unchanged == first.written.written
    (repo / "incidents" / "2026" / "SYS-20260220-001.md").unlink()
    _MEMO.clear()
    third = prepare(repo, today=date(2026, 3, 10))
    assert third.written.removed >= 1
    assert not (third.docs_dir / "incidents" / "2026" / "SYS-20260220-001.md").exists()


def test_build_without_mkdocs_yml_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "mkdocs.yml").unlink()
    assert build("--root", str(repo), "build", "--site-dir", str(tmp_path / "site")) == 1
    assert "no mkdocs.yml" in capsys.readouterr().err


def test_serve_hook_watches_the_sources_not_the_generated_tree(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    from failurelog.site import hooks

    repo = make_repo(tmp_path / "repo")

    class Server:
        def __init__(self) -> None:
            self.watched: set[str] = set()

        def watch(self, path: str) -> None:
            self.watched.add(path)

        def unwatch(self, path: str) -> None:
            self.watched.discard(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        config = hooks.on_config(load_config(str(repo / "mkdocs.yml")))
    assert Path(config.docs_dir) == (repo / ".failurelog-build" / "docs").resolve()
    server = Server()
    server.watch(config.docs_dir)
    hooks.on_serve(server, config, builder=None)
    assert config.docs_dir not in server.watched
    assert {str(repo.resolve() / name) for name in ("incidents", "schema", "templates", "docs")} <= server.watched


def _record(site: Path, ident: str) -> dict[str, Any]:
    return next(f for f in _fragments(site) if f["url"].endswith(f"/{ident}/"))


def test_search_reads_field_tables_as_label_value_words(mkdocs_site: Path, examples: Path) -> None:
    meta: dict[str, Any] = dict(frontmatter.load(examples / "incidents/2026/SYS-20260304-001.md").metadata)
    host, address = meta["system"]["hostname"], meta["system"]["ip_address"]
    record = _record(mkdocs_site, "SYS-20260304-001")
    assert f"Hostname {host}. IP Address {address}." in record["content"]
    assert "<td>" not in record["content"] and f"Hostname{host}" not in record["content"]
    assert record["meta"]["id"] == "SYS-20260304-001" and record["meta"]["severity"] == meta["severity"]
    assert record["filters"]["Severity"] == [meta["severity"]] and record["filters"]["Year"] == ["2026"]
    assert ".md" not in record["content"]  # the source line is left out: "md" is no word of an incident


def test_the_page_keeps_its_tables_after_search_read_its_text(mkdocs_site: Path) -> None:
    page = (mkdocs_site / "incidents/2026/SYS-20260304-001/index.html").read_text(encoding="utf-8")
    assert '<table class="fl-data"><tbody>' in page and "<tr><th>Hostname</th> <td>" in page
    assert "Hostname: md-gw-03 ·" not in page  # the search text is never shown


def test_search_keeps_hyphenated_host_names_whole(mkdocs_site: Path) -> None:
    content = _record(mkdocs_site, "SYS-20260304-001")["content"]
    for word in ("md-gw-03", "10.20.3.13", "5.14.0-427.22.1.el9_4.x86_64"):
        assert re.search(rf"(?<![\w.-]){re.escape(word)}(?![\w-])", content), word


def test_build_honours_mkdocs_site_dir_and_says_where_it_wrote(tmp_path: Path) -> None:
    """Issue 12: `failurelog build` used to print "into .../site" whatever mkdocs.yml's site_dir said."""
    repo = make_repo(tmp_path / "repo")
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nsite_dir: site\n" in text
    config.write_text(text.replace("\nsite_dir: site\n", "\nsite_dir: public/html\n"), encoding="utf-8")
    done = run_cli(repo, "build", timeout=600, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("with mkdocs into public/html"), done.stdout
    assert (repo / "public" / "html" / "index.html").is_file()
    assert not (repo / "site").exists()
