"""A build with nothing changed since the one that made the site folder does nothing; any change rebuilds.

The key tests change one input at a time and check that the key moves; the record tests check that a site
folder touched after its build is not taken as current. The slow test builds the site fixtures for real,
under git, through the CLI: cold, unchanged, after an edit, a commit, a new branch, a new day, a tampered
site, ``--force`` and another engine option.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from failurelog.cli.main import main
from failurelog.site.sitedir import MARKER
from failurelog.site.uptodate import build_key, forget, is_current, record
from tests.site_helpers import make_repo

DAY = date(2026, 3, 10)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "first")
    return repo


def _key(repo: Path, **changes: object) -> str:
    options: dict[str, object] = {"engine": "mkdocs", "strict": False, "site_dir": repo / "site", "today": DAY}
    options.update(changes)
    return build_key(repo, **options)  # type: ignore[arg-type]


def _bump(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_the_key_moves_with_every_input(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    first = _key(repo)
    assert _key(repo) == first  # nothing changed: the same key
    changed = {
        "engine": _key(repo, engine="zensical"),
        "strict": _key(repo, strict=True),
        "site dir": _key(repo, site_dir=repo / "public"),
        "day": _key(repo, today=date(2026, 3, 11)),
    }
    incident = next((repo / "incidents").rglob("*.md"))
    for name, path in (
        ("incident", incident),
        ("schema", repo / "schema" / "incident.schema.json"),
        ("mkdocs.yml", repo / "mkdocs.yml"),
        ("hook", repo / "scripts" / "mkdocs_hooks.py"),
        ("docs", next((repo / "docs").rglob("*.md"))),
    ):
        _bump(path)
        changed[name] = _key(repo)
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qam", "touch", "--allow-empty")
    changed["commit"] = _key(repo)
    _git(repo, "branch", "other")
    changed["branch"] = _key(repo)
    (repo / "incidents" / "2026" / "SYS-20260309-001.md").write_text("---\nid: x\n---\n", encoding="utf-8")
    changed["new incident"] = _key(repo)
    keys = [first, *changed.values()]
    assert len(set(keys)) == len(keys), changed


def test_a_recorded_folder_is_current_until_anything_in_it_changes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "incidents").mkdir(parents=True)
    page = site / "incidents" / "index.html"
    page.write_text("<p>built</p>", encoding="utf-8")
    record(site, "k1", 19)
    assert is_current(site, "k1") == 19
    assert is_current(site, "k2") is None  # another key
    page.write_text("<p>edited</p>", encoding="utf-8")
    assert is_current(site, "k1") is None  # a file changed
    record(site, "k1", 19)
    (site / "extra.html").write_text("", encoding="utf-8")
    assert is_current(site, "k1") is None  # a file added
    (site / "extra.html").unlink()
    assert is_current(site, "k1") == 19
    page.unlink()
    assert is_current(site, "k1") is None  # a file removed


def test_a_started_build_forgets_the_record_and_a_damaged_marker_means_a_build(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    record(site, "k1", 3)
    forget(site)
    assert (site / MARKER).is_file()  # still a folder a build made
    assert is_current(site, "k1") is None
    for damaged in ("made by failurelog build\n{not json\n", "made by failurelog build\n[1, 2]\n", "\xff"):
        (site / MARKER).write_text(damaged, encoding="utf-8")
        assert is_current(site, "k1") is None
    (site / MARKER).write_text('made by failurelog build\n{"key": "k1", "incidents": "3", "site": ""}\n')
    assert is_current(site, "k1") is None


@pytest.mark.slow
def test_build_skips_only_when_nothing_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path)

    def build(*extra: str) -> str:
        assert main(["--root", str(repo), "build", *extra]) == 0
        return capsys.readouterr().out

    assert build().startswith("built ")
    page = next((repo / "site" / "incidents").rglob("index.html"))
    before = page.stat().st_mtime_ns
    assert build().startswith("up to date: site already holds the build of ")
    assert page.stat().st_mtime_ns == before  # nothing was written
    incident = next((repo / "incidents").rglob("*.md"))
    incident.write_text(incident.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), "utf-8")
    assert build().startswith("built ")
    assert "Edited " in (repo / "site" / "incidents" / "index.html").read_text(encoding="utf-8")
    assert build().startswith("up to date")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qam", "edit")
    assert build().startswith("built ")  # the history pages show the commit
    (repo / "site" / "index.html").write_text("tampered", encoding="utf-8")
    assert build().startswith("built ")
    assert "tampered" not in (repo / "site" / "index.html").read_text(encoding="utf-8")
    assert build("--force").startswith("built ")
    assert build("--strict").startswith("built ")  # another option is another build
