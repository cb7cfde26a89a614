"""The render and page caches (site/rendercache.py, pagecache.py): a cached tree is a fresh one after every change.

On the overlapping corpus of the search tests (55 incidents sharing hosts,
kernel versions and error lines), under git: one build fills the cache, then
after each kind of change (a body edited, a field moved between pattern
values, a host and kernel changed, an incident added, deleted, renamed, a
commit, an inventory change, a body that looks like the cache's own mark) the
tree built with the kept cache is compared with one rendered without any
cache, file by file, and the bodies rendered anew are counted: only the
changed incidents' own. The page cache keeps incident and pattern value pages
across the builds: a title edit renders anew that incident's page and the pages
that show it, not the others. A page in the page cache that reads the model
around the recorded lookups fails. A damaged or stale cache file is discarded.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest

from failurelog.authoring.renumber import renumber
from failurelog.core import bodyhtml
from failurelog.core.inventory import INVENTORY_FILE
from failurelog.history import read as history_read
from failurelog.model import export
from failurelog.model.incident import Incident
from failurelog.site import context, exports, generate, pagecache, rendercache, story
from failurelog.site.fingerprint import DirectRead
from failurelog.validate import parsed
from failurelog.validate.cache import CACHE_DIR
from tests.search_corpus import _split, build_corpus

TODAY = date(2026, 12, 1)
CACHE = Path(CACHE_DIR) / rendercache.CACHE_FILE


class _Clock(datetime):
    """The history's "now" (an uncommitted change's time on the audit page), the same for every build here."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _Clock:
        return cls(2026, 12, 1, 12, 0, tzinfo=tz or UTC)


def _git(root: Path, *args: str) -> None:
    config = ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *config, *args], cwd=root, check=True, capture_output=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = build_corpus(tmp_path_factory.mktemp("rendercache"))
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "incidents")
    return root


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _cached(root: Path) -> dict[str, bytes]:
    generate._MEMO.clear()  # the "nothing changed" shortcut of prepare is not what is tested here
    done = generate.prepare(root, today=TODAY, out=root.parent / "cached")
    return _tree(done.docs_dir)


def _fresh(root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The tree rendered with every body and export computed afresh; the cache is left as it was."""
    generate._MEMO.clear()
    with monkeypatch.context() as patch:
        patch.setattr(story, "body_parts", bodyhtml.render_parts)
        patch.setattr(exports, "json_export", lambda _schema, incidents: export.to_json(_metas(incidents)))
        patch.setattr(exports, "csv_export", lambda schema, incidents: export.to_csv(schema, _metas(incidents)))
        patch.setattr(rendercache, "begin", lambda *_a, **_k: None)
        patch.setattr(rendercache, "finish", lambda *_a, **_k: None)
        patch.setattr(pagecache, "reuse", lambda *_a, **_k: None)
        patch.setattr(pagecache, "keep", lambda *_a, **_k: None)
        patch.setattr(pagecache, "finish", lambda *_a, **_k: None)
        done = generate.prepare(root, today=TODAY, out=root.parent / "fresh")
    return _tree(done.docs_dir)


def _metas(incidents: list[Incident]) -> list[dict[str, Any]]:
    return sorted((i.meta for i in incidents), key=lambda meta: str(meta.get("id", "")))


def _bodies(root: Path) -> set[str]:
    return {_split(path)[1] for path in _files(root)}


def _files(root: Path) -> list[Path]:
    return sorted((root / "incidents").rglob("*.md"))


def _synthetic(root: Path) -> list[Path]:
    return [p for p in _files(root) if "## Error Messages" in p.read_text(encoding="utf-8")]


def _set_meta(path: Path, change: Callable[[dict[str, object]], None]) -> None:
    """Change the front matter through a line edit of the YAML (the files stay as a person writes them)."""
    text = path.read_text(encoding="utf-8")
    data, _body = _split(path)
    before = dict(data)
    change(data)
    for key, value in data.items():
        if before.get(key) != value and isinstance(value, str):
            text = re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", text, count=1)
    path.write_text(text, encoding="utf-8")


def _edit_body(root: Path) -> None:
    path = _files(root)[3]
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added after the review.\n", encoding="utf-8")


def _edit_title(root: Path) -> None:
    """A title others show: the incident a planted reference names (its title is on the naming incident's page)."""
    path = _synthetic(root)[1]

    def change(data: dict[str, object]) -> None:
        data["title"] = f"{data['title']} (retitled)"

    _set_meta(path, change)


def _move_severity(root: Path) -> None:
    path = _synthetic(root)[2]

    def change(data: dict[str, object]) -> None:
        data["severity"] = "P3-Low" if data["severity"] != "P3-Low" else "P2-Medium"

    _set_meta(path, change)


def _change_host(root: Path) -> None:
    path = _synthetic(root)[8]  # one of the unplanted ones: takes another's host and kernel
    text = path.read_text(encoding="utf-8")
    data, _ = _split(path)
    host = str(data["system"]["hostname"])
    kernel = str(data["system"]["kernel_version"])
    path.write_text(text.replace(host, "pgdb-ny4-01").replace(kernel, "5.14.0-503.26.1.el9_5"), encoding="utf-8")


def _add(root: Path) -> None:
    source = _synthetic(root)[5]
    data, _ = _split(source)
    old = str(data["id"])
    new = f"{old[:-3]}{int(old[-3:]) + 50:03d}"
    target = source.with_name(f"{new}.md")
    target.write_text(source.read_text(encoding="utf-8").replace(old, new) + "\nA later one.\n", encoding="utf-8")


def _added(root: Path) -> Path:
    return next(p for p in _files(root) if p.read_text(encoding="utf-8").endswith("\nA later one.\n"))


def _rename(root: Path) -> None:
    renumber(root, str(_added(root)))


def _delete(root: Path) -> None:
    _added(root).unlink()


def _commit(root: Path) -> None:
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "reviewed")


def _inventory(root: Path) -> None:
    (root / INVENTORY_FILE).parent.mkdir(exist_ok=True)
    (root / INVENTORY_FILE).write_text(
        "assets:\n  - kind: host\n    name: pgdb-ny4-01\n    count: 1\n    since: '2024-01-01'\n"
        "  - kind: kernel\n    name: 5.14.0-503.26.1.el9_5\n    count: 40\n    since: '2024-01-01'\n",
        encoding="utf-8",
    )


def _looks_like_the_mark(root: Path) -> None:
    path = _files(root)[4]
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\n<h2 data-fl-heading="0123">data-fl-heading</h2>\n', encoding="utf-8")


CHANGES: list[Callable[[Path], None]] = [
    _edit_body,
    _edit_title,
    _move_severity,
    _change_host,
    _add,
    _rename,
    _commit,
    _delete,
    _inventory,
    _looks_like_the_mark,
]


@pytest.mark.slow
def test_cached_tree_is_the_fresh_tree_after_every_change(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    subprocess.run(["cp", "-a", str(corpus), str(root)], check=True)
    monkeypatch.setattr(history_read, "datetime", _Clock)  # builds a minute apart: the same audit page
    monkeypatch.setattr(pagecache, "_enabled", True)  # as in serve
    _forget()
    parsed.forget()
    first = _cached(root)
    assert rendercache.stats.rendered == len(_files(root)) == rendercache.stats.used
    assert pagecache.stats.reused == 0
    pages = pagecache.stats.rendered
    assert first == _fresh(root, monkeypatch)
    for change in CHANGES:
        before = _bodies(root)
        change(root)
        new = _bodies(root) - before  # the bodies no build has rendered yet
        cached = _cached(root)
        rendered, pages_rendered = rendercache.stats.rendered, pagecache.stats.rendered
        fresh = _fresh(root, monkeypatch)
        assert sorted(cached) == sorted(fresh), change.__name__
        different = [path for path in fresh if cached[path] != fresh[path]]
        assert different == [], change.__name__
        assert rendered <= len(new), (change.__name__, rendered)
        if change is _edit_body:
            assert rendered == 1
        if change in (_edit_body, _edit_title):  # the incident's page and the few that show it, not every page
            assert 1 <= pages_rendered < pages // 4, (change.__name__, pages_rendered)
        assert rendercache.stats.used == len(_files(root)) - (change is _looks_like_the_mark), change.__name__
    _forget()


def _forget() -> None:
    """What a new process starts with: no bodies, pages or export parts kept."""
    rendercache.forget()
    pagecache.forget()
    exports.forget()


@pytest.mark.slow
def test_a_damaged_or_stale_cache_file_is_discarded(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    subprocess.run(["cp", "-a", str(corpus), str(root)], check=True)
    monkeypatch.setattr(history_read, "datetime", _Clock)
    _forget()
    parsed.forget()
    fresh = _fresh(root, monkeypatch)
    assert _cached(root) == fresh and rendercache.stats.disk == "missing"
    _forget()
    assert _cached(root) == fresh and rendercache.stats.disk == "fresh"
    assert rendercache.stats.rendered == 0  # every body from the file
    good = (root / CACHE).read_text(encoding="utf-8")
    data = json.loads(good)
    shapes = dict(data["bodies"])
    shapes[next(iter(shapes))] = [[2]]
    damaged = {
        "truncated": (good[: len(good) // 2], "corrupt"),
        "an edited page": (good.replace("<p>", "<p><b>", 1), "corrupt"),
        "not an object": ("[]", "corrupt"),
        "another shape": (json.dumps({**data, "bodies": shapes, "checksum": rendercache._checksum(shapes)}), "corrupt"),
        "another key": (good.replace(data["key"], "0" * 64), "stale"),
        "another format": (json.dumps({**data, "format": rendercache.FORMAT + 1}), "stale"),
    }
    for name, (text, state) in damaged.items():
        (root / CACHE).write_text(text, encoding="utf-8")
        _forget()
        assert _cached(root) == fresh, name
        assert rendercache.stats.disk == state, name
        assert rendercache.stats.rendered == len(_files(root)), name
        _forget()
        assert rendercache._read(root / CACHE, rendercache.cache_key()) == "fresh", name  # rewritten whole
    _forget()


def test_a_kept_page_cannot_read_around_the_recorded_lookups(corpus: Path) -> None:
    generate._MEMO.clear()
    ctx = generate.site_context(corpus, generate.load_model(corpus, TODAY))
    incident = ctx.model.incidents[0]
    reads: list[context.Read] = []
    tracked = ctx.tracking(reads)
    for read in (
        lambda: tracked.related.outgoing,
        lambda: tracked.model.by_id.get(incident.id),
        lambda: list(tracked.model.incidents),
        lambda: list(tracked.recurrences),
        lambda: tracked.history and tracked.history.get(incident.id),
        lambda: tracked.memo("signatures", list),
    ):
        with pytest.raises(DirectRead):
            read()
    assert reads == []
    assert tracked.named(incident.id) == context.Named(incident.id, incident.title, incident.page)
    assert [name for name, _args, _seen in reads] == ["named"]
    assert ctx.replay(reads, {})
    assert not ctx.replay([("named", (incident.id,), "another answer")], {})
