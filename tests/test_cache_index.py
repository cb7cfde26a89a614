"""The cache index (.failurelog-cache/index.json): a one-file run reads only what it needs, and reports the same.

The files are dated an hour back before the cache is written, so their entries are not racy and a one-file
run takes the other files' stamps and ids from the index alone (a racy one is compared by hash, as without
an index). A damaged index, one of another layout, or one beside another validate.json is not used; a file
edited with the same size and time, and a new file with a duplicate id, are still seen.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from failurelog.core.siteconfig import markdown_spec
from failurelog.validate.cache import CACHE_DIR, CACHE_FILE, Cache, cache_key
from failurelog.validate.cacheindex import INDEX_FILE, INDEX_FORMAT, read_index
from failurelog.validate.run import validate
from tests.test_cache import REFERRING, _split, _write, assert_same_cold_and_warm, incident_paths, outcome
from tests.test_cache import corpus as corpus  # the fixture, shared
from tests.test_cache import repo as repo  # the fixture, shared

HOUR_NS = 3600 * 10**9


def _age(repo: Path) -> None:
    """Date every incident an hour back: its cache entry is then trusted by stamp, without a hash."""
    then = time.time_ns() - HOUR_NS
    for name in incident_paths(repo):
        os.utime(repo / name, ns=(then, then))


def _cache(repo: Path, *, quick: bool = True) -> Cache:
    key = cache_key((repo / "schema" / "incident.schema.json").read_bytes(), markdown_spec(repo))
    return Cache(repo, key, quick=quick)


@pytest.fixture
def aged(repo: Path) -> Iterator[Path]:
    _age(repo)
    yield repo


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names whose entries are read from the text of validate.json through the index."""
    names: list[str] = []
    original = Cache._from_index

    def counted(self: Cache, display: str) -> object:
        names.append(display)
        return original(self, display)

    monkeypatch.setattr(Cache, "_from_index", counted)
    return names


def test_an_index_is_written_beside_the_cache_and_describes_it(aged: Path) -> None:
    validate(aged)
    data = (aged / CACHE_DIR / CACHE_FILE).read_bytes()
    index = read_index((aged / CACHE_DIR / INDEX_FILE).read_text(encoding="utf-8"), data)
    assert index is not None
    assert index.names == incident_paths(aged)
    entries = json.loads(data)["entries"]
    for at, name in enumerate(index.names):
        assert list(index.stamp(at)) == entries[name][:4]
        assert index.ids[at] == entries[name][7][0]


def test_a_one_file_run_reads_the_entries_of_the_files_it_needs_only(aged: Path, read: list[str]) -> None:
    validate(aged)
    names = incident_paths(aged)
    target = names[REFERRING[-1]]  # names two others
    cold = outcome(validate(aged, [aged / target], cache=False))
    read.clear()
    assert outcome(validate(aged, [aged / target])) == cold
    named = [str(entry["id"]) for entry in _split(aged / target)[0]["related"]["similar_incidents"]]
    holding = sorted(name for name in names if _split(aged / name)[0]["id"] in named)
    assert len(holding) == 2
    assert sorted(read) == sorted([target, *holding])


def test_cold_and_warm_agree_through_the_index(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = incident_paths(aged)
    shutil.copyfile(aged / names[0], aged / "incidents" / "2020" / "copy.md")  # a duplicate id
    _age(aged)
    assert_same_cold_and_warm(aged, monkeypatch, aged / names[0], aged / "incidents" / "2020" / "copy.md")
    assert _cache(aged)._index is not None


#: Each kind is another way the index is unusable, each needing a cold run of the corpus: the inner loop keeps
#: an unreadable index and a well-formed one of another cache; the other five (same assertions) run as slow.
_SLOW = pytest.mark.slow


@pytest.mark.parametrize(
    "damage",
    [
        "truncated",
        pytest.param("not json", marks=_SLOW),
        pytest.param("other format", marks=_SLOW),
        "other cache",
        pytest.param("short column", marks=_SLOW),
        pytest.param("names not text", marks=_SLOW),
        pytest.param("gone", marks=_SLOW),
    ],
)
def test_a_damaged_or_foreign_index_is_not_used_and_is_rewritten(aged: Path, damage: str) -> None:
    validate(aged)
    target = aged / incident_paths(aged)[REFERRING[0]]
    cold = outcome(validate(aged, [target], cache=False))
    path = aged / CACHE_DIR / INDEX_FILE
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    if damage == "truncated":
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "not json":
        path.write_bytes(b"\x00\xff garbage")
    elif damage == "gone":
        path.unlink()
    else:
        if damage == "other format":
            data["format"] = INDEX_FORMAT + 1
        elif damage == "other cache":
            data["sha256"] = "0" * 64
        elif damage == "short column":
            data["mtime"] = data["mtime"][:8]
        else:
            data["names"][3] = 3
        path.write_text(json.dumps(data), encoding="utf-8")
    assert _cache(aged)._index is None
    assert outcome(validate(aged, [target])) == cold  # read whole; nothing changed, but the index is rewritten
    assert _cache(aged)._index is not None
    assert outcome(validate(aged, [target])) == cold


def test_an_index_beside_another_validate_json_is_not_used(aged: Path) -> None:
    names = incident_paths(aged)
    target = aged / names[5]
    target.write_text(target.read_text(encoding="utf-8").replace("severity:", "severty:", 1), encoding="utf-8")
    _age(aged)
    cold = outcome(validate(aged, [target], cache=False))
    assert cold[1]
    validate(aged)
    cache_file = aged / CACHE_DIR / CACHE_FILE
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    cache_file.write_text(json.dumps(data, indent=1), encoding="utf-8")  # the same entries, every one moved
    assert _cache(aged)._index is None
    assert outcome(validate(aged, [target])) == cold
    index = read_index((aged / CACHE_DIR / INDEX_FILE).read_text(encoding="utf-8"), cache_file.read_bytes())
    assert index is not None and index.names == names  # that run wrote the index of the cache it read


def test_another_file_edited_to_the_same_size_and_time_is_seen(aged: Path) -> None:
    names = incident_paths(aged)
    mine, other = aged / names[6], aged / names[7]
    validate(aged)
    my_id, other_id = _split(mine)[0]["id"], _split(other)[0]["id"]
    assert len(my_id) == len(other_id)
    before = other.stat()
    text = other.read_text(encoding="utf-8")
    other.write_text(text.replace(f"id: {other_id}", f"id: {my_id}", 1), encoding="utf-8")
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert other.stat().st_size == before.st_size
    report = validate(aged, [mine])
    assert any(f"is also used by {names[7]}" in p.message for p in report.problems)
    assert outcome(report) == outcome(validate(aged, [mine], cache=False))


def test_a_new_file_with_a_duplicate_id_is_seen(aged: Path) -> None:
    names = incident_paths(aged)
    validate(aged)
    data, body = _split(aged / names[20])
    _write(aged / "incidents" / "2020" / "again.md", data, body)
    report = validate(aged, [aged / names[20]])
    assert any("is also used by incidents/2020/again.md" in p.message for p in report.problems)
    index = _cache(aged)._index
    assert index is not None and "incidents/2020/again.md" in index.names


def test_a_deleted_file_leaves_the_index_when_one_file_is_checked(aged: Path) -> None:
    names = incident_paths(aged)
    validate(aged)
    (aged / names[3]).unlink()  # named by names[10]
    report = validate(aged, [aged / names[10]])
    assert len(report.problems) == 1 and "does not exist in this repository" in report.problems[0].message
    index = _cache(aged)._index
    assert index is not None and names[3] not in index.names and len(index.names) == len(names) - 1
    assert outcome(validate(aged)) == outcome(validate(aged, cache=False))
