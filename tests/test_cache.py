"""The validation cache (.failurelog-cache/): a warm run reports exactly what a cold run reports.

Every negative case and every hostile file, placed among synthetic incidents
(bench/synth.py) that refer to each other in every way the cross-incident
rules judge, is validated without the cache, with a cold cache and with a warm
one, whole and one file at a time. A cache of another schema, a truncated or
malformed one, one written by a newer failurelog are detected and rebuilt; an
edited, deleted, renamed or duplicated file, and a branch checked out, are
reflected.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from failurelog.core import atomic, progress
from failurelog.core.schema import _parse
from failurelog.validate import cache as cache_module
from failurelog.validate import run as run_module
from failurelog.validate.cache import CACHE_DIR, CACHE_FILE, FORMAT, Cache
from failurelog.validate.run import Report, validate
from tests.cli_helpers import run_cli
from tests.search_corpus import SEED as SEARCH_SEED
from tests.search_corpus import _synth
from tests.test_cases import EXPECTED as CASE_EXPECTED
from tests.test_cases import place
from tests.test_hostile import EXPECTED as HOSTILE_EXPECTED
from tests.test_hostile import FILES as HOSTILE_FILES
from tests.test_hostile import TARGET as HOSTILE_TARGET

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "negative"

#: The corpus ends at the last incident a planted reference names (the 21st, see :func:`corpus`): each test
#: validates it cold at least once, so every file more is paid for in every test.
COUNT = 21
#: The files of the corpus that name others (see :func:`corpus`), checked one at a time as well.
REFERRING = (10, 11, 12, 13, 16)


#: libyaml's safe loader and dumper where PyYAML has them: the pure-Python ones take 40 ms a file, and the
#: corpus is read whole several times.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _split(path: Path) -> tuple[dict[str, Any], str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.load(front, Loader=_LOADER)
    assert isinstance(data, dict)
    return data, body


def _write(path: Path, data: dict[str, Any], body: str) -> None:
    front = yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)
    path.write_text("---\n" + front + "---\n" + body, "utf-8")


def _refer(path: Path, entries: list[dict[str, str]]) -> None:
    data, body = _split(path)
    data.setdefault("related", {})["similar_incidents"] = entries
    _write(path, data, body)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """COUNT synthetic incidents, the later ones naming earlier ones in every way the rules judge."""
    root = tmp_path_factory.mktemp("corpus")
    # tests/search_corpus.py's seed: bench/synth.py's checked templates are reused (most of a corpus' cost)
    paths = sorted(_synth().generate(root, COUNT, seed=SEARCH_SEED))
    facts = [_split(p)[0] for p in paths]
    ids = [str(f["id"]) for f in facts]
    day = [str(f["occurred_at"])[:10] for f in facts]
    _refer(paths[10], [{"id": ids[3], "date": day[3], "similarity": "same host"}])  # right
    _refer(paths[11], [{"id": ids[4], "date": "2001-01-01", "similarity": "same NIC"}])  # wrong date
    _refer(paths[12], [{"id": ids[20], "similarity": "later"}])  # not earlier
    _refer(paths[13], [{"id": "SYS-20010101-001", "similarity": "gone"}])  # missing
    _refer(paths[14], [{"id": "SYS-20010101-002", "similarity": "paper", "external": "binder 7"}])  # elsewhere
    _refer(paths[15], [{"id": ids[15], "similarity": "itself"}])  # itself
    _refer(paths[16], [{"id": ids[2], "similarity": "a"}, {"id": ids[5], "date": day[5], "similarity": "b"}])
    return root


@pytest.fixture
def repo(corpus: Path, tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(corpus, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    return root


def outcome(report: Report) -> tuple[list[str], list[tuple[str, int, str, str, str]]]:
    return report.checked, [(p.file, p.line, p.field, p.message, p.rule) for p in report.problems]


def incident_paths(repo: Path) -> list[str]:
    return sorted(p.relative_to(repo).as_posix() for p in (repo / "incidents").rglob("*.md"))


def assert_same_cold_and_warm(repo: Path, monkeypatch: pytest.MonkeyPatch, *also: Path) -> None:
    """No cache, a cold cache and a warm one give the same report: whole, and for ``also`` and the files
    that name others (one at a time)."""
    cold = outcome(validate(repo, cache=False))
    assert not (repo / CACHE_DIR).exists()
    assert outcome(validate(repo)) == cold  # builds the cache
    assert (repo / CACHE_DIR / CACHE_FILE).is_file()
    every = incident_paths(repo)
    chosen = [*(p.relative_to(repo).as_posix() for p in also), *(every[i] for i in REFERRING if i < len(every))]
    singles = {name: outcome(validate(repo, [repo / name], cache=False)) for name in chosen}
    with monkeypatch.context() as patch:
        patch.setattr(run_module, "check_file", _refuse)
        assert outcome(validate(repo)) == cold
        for name, expected in singles.items():
            assert outcome(validate(repo, [repo / name])) == expected, name


def _refuse(*args: object, **kwargs: object) -> object:
    raise AssertionError(f"a warm run checked {args[2]}")


def test_the_corpus_breaks_every_cross_incident_rule(repo: Path) -> None:
    messages = [p.message for p in validate(repo, cache=False).problems]
    for part in ("not 2001-01-01", "began after", "does not exist", "cannot be related to itself"):
        assert any(part in m for m in messages), part
    assert len(messages) == 4


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES.glob("*.md")), ids=lambda p: p.stem)
def test_negative_case_cold_and_warm(repo: Path, case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = place(repo, case, CASE_EXPECTED[case.stem].get("place_as"))  # type: ignore[arg-type]
    assert_same_cold_and_warm(repo, monkeypatch, target)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HOSTILE_EXPECTED))
def test_hostile_file_cold_and_warm(repo: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    target = repo / HOSTILE_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(HOSTILE_FILES / name, target)
    assert_same_cold_and_warm(repo, monkeypatch, target)


def test_duplicate_ids_and_same_moment_cold_and_warm(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = incident_paths(repo)
    data = _split(repo / names[0])[0]
    shutil.copyfile(repo / names[0], repo / "incidents" / "2020" / "copy.md")  # same id, other file
    later, later_body = _split(repo / names[1])
    later["occurred_at"] = data["occurred_at"]  # began at the same moment as the one it names
    later.setdefault("related", {})["similar_incidents"] = [{"id": data["id"], "similarity": "same moment"}]
    _write(repo / names[1], later, later_body)
    messages = [p.message for p in validate(repo, cache=False).problems]
    assert any("is also used by" in m for m in messages)
    assert any("at the same moment as" in m for m in messages)
    assert_same_cold_and_warm(repo, monkeypatch, repo / names[0], repo / names[1])


def _cache(repo: Path) -> dict[str, Any]:
    data = json.loads((repo / CACHE_DIR / CACHE_FILE).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _state(repo: Path) -> str:
    schema_text = (repo / "schema" / "incident.schema.json").read_bytes()
    from failurelog.core.siteconfig import markdown_spec

    return Cache(repo, cache_module.cache_key(schema_text, markdown_spec(repo))).state


def test_a_cache_of_another_schema_is_stale_and_rebuilt(repo: Path) -> None:
    validate(repo)
    assert _state(repo) == "fresh"
    schema_file = repo / "schema" / "incident.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    used = _split(repo / incident_paths(repo)[0])[0]["severity"]
    schema["properties"]["severity"]["enum"].remove(used)  # files the cache holds as valid are not any more
    schema_file.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    assert _state(repo) == "stale"
    warm = outcome(validate(repo))
    assert any(f"{used!r} is not an allowed value" in p[3] for p in warm[1])
    assert warm == outcome(validate(repo, cache=False))
    assert _state(repo) == "fresh"


#: Each kind is another way the cache is unusable, each needing a cold run of the corpus: the inner loop keeps
#: one of the whole file and one of an entry; the other five (same assertions) run with the slow tests.
_SLOW = pytest.mark.slow


@pytest.mark.parametrize(
    "damage",
    [
        "truncated",
        pytest.param("not json", marks=_SLOW),
        pytest.param("a list", marks=_SLOW),
        pytest.param("entry not a list", marks=_SLOW),
        "facts malformed",
        pytest.param("problems malformed", marks=_SLOW),
        pytest.param("empty", marks=_SLOW),
    ],
)
def test_a_damaged_cache_is_detected_and_rebuilt(repo: Path, damage: str) -> None:
    cold = outcome(validate(repo))
    path = repo / CACHE_DIR / CACHE_FILE
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    first = sorted(data["entries"])[12]  # one with a problem of its own: none; its facts name another
    if damage == "truncated":
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "not json":
        path.write_bytes(b"\x00\xff garbage")
    elif damage == "a list":
        path.write_text("[]", encoding="utf-8")
    elif damage == "empty":
        path.write_text("", encoding="utf-8")
    else:
        entry = data["entries"][first]
        if damage == "entry not a list":
            data["entries"][first] = {"id": 1}
        elif damage == "facts malformed":
            entry[7] = [17, "x"]
        else:
            entry[6] = [["only", "three", "items"]]
        path.write_text(json.dumps(data), encoding="utf-8")
    assert outcome(validate(repo)) == cold
    assert _state(repo) == "fresh"
    assert set(_cache(repo)["entries"]) == set(incident_paths(repo))


def test_a_cache_written_by_a_newer_failurelog_is_rebuilt(repo: Path) -> None:
    cold = outcome(validate(repo))
    data = _cache(repo)
    data["format"] = FORMAT + 1
    data["entries"] = {"whatever": "a later layout"}
    (repo / CACHE_DIR / CACHE_FILE).write_text(json.dumps(data), encoding="utf-8")
    assert _state(repo) == "newer"
    assert outcome(validate(repo)) == cold
    assert _cache(repo)["format"] == FORMAT


def test_an_edit_of_the_same_size_and_time_is_seen(repo: Path) -> None:
    validate(repo)
    target = repo / incident_paths(repo)[5]
    before = target.stat()
    text = target.read_text(encoding="utf-8")
    severity = _split(target)[0]["severity"]
    broken = text.replace(f"severity: {severity}", "severity: " + "Q" * len(str(severity)), 1)
    assert broken != text and len(broken) == len(text)
    target.write_text(broken, encoding="utf-8")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    report = validate(repo, [target])
    assert any("is not an allowed value" in p.message for p in report.problems)
    assert outcome(report) == outcome(validate(repo, [target], cache=False))


def test_a_cache_from_another_checkout_is_not_trusted(repo: Path, tmp_path: Path) -> None:
    target = repo / incident_paths(repo)[5]
    target.write_text(target.read_text(encoding="utf-8").replace("severity:", "severty:", 1), encoding="utf-8")
    cold = outcome(validate(repo))
    assert cold[1]
    data = _cache(repo)
    for entry in data["entries"].values():
        entry[6] = []  # a forged cache that says every file is fine, with the right hashes
    (repo / CACHE_DIR / CACHE_FILE).write_text(json.dumps(data), encoding="utf-8")
    clone = tmp_path / "clone"
    shutil.copytree(repo, clone)  # another checkout: same bytes, other inodes and times
    assert outcome(validate(clone)) == cold


def test_a_touched_file_is_checked_again(repo: Path) -> None:
    cold = outcome(validate(repo))
    for name in incident_paths(repo):
        os.utime(repo / name)
    assert outcome(validate(repo)) == cold


def test_deleted_renamed_and_added_files_are_seen(repo: Path) -> None:
    validate(repo)
    names = incident_paths(repo)
    target_id = _split(repo / names[3])[0]["id"]
    (repo / names[3]).unlink()  # named (with its date) by names[10]
    report = validate(repo, [repo / names[10]])
    assert [p.message for p in report.problems] == [
        f"related incident {target_id} does not exist in this repository (if it is kept elsewhere, say where beside it)"
    ]
    (repo / names[4]).rename(repo / "incidents" / "2020" / "renamed.md")  # named by names[11], wrong date
    report = validate(repo)
    assert any("does not match the file name renamed.md" in p.message for p in report.problems)
    assert any("not 2001-01-01" in p.message for p in report.problems)
    assert outcome(report) == outcome(validate(repo, cache=False))
    assert names[3] not in _cache(repo)["entries"] and names[4] not in _cache(repo)["entries"]
    shutil.copyfile(repo / names[20], repo / "incidents" / "2020" / "again.md")
    report = validate(repo, [repo / names[20]])
    assert any("is also used by incidents/2020/again.md" in p.message for p in report.problems)


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@x"
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def test_a_file_added_on_another_branch_is_seen_when_checked_out(repo: Path) -> None:
    (repo / ".gitignore").write_text(f"{CACHE_DIR}/\n", encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    names = incident_paths(repo)
    missing = repo / "incidents" / "2001" / "SYS-20010101-001.md"  # names[13] names it
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "corpus")
    _git(repo, "checkout", "-qb", "other")
    data, body = _split(repo / names[0])
    data["id"], data["occurred_at"] = "SYS-20010101-001", "2001-01-01T09:00:00Z"
    missing.parent.mkdir()
    _write(missing, data, body)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "add it")
    _git(repo, "checkout", "-q", "main")
    target = repo / names[13]
    assert any("does not exist" in p.message for p in validate(repo, [target]).problems)
    _git(repo, "checkout", "-q", "other")
    here = validate(repo, [target])
    assert not any("does not exist" in p.message for p in here.problems)
    assert outcome(here) == outcome(validate(repo, [target], cache=False))
    _git(repo, "checkout", "-q", "main")
    assert any("does not exist" in p.message for p in validate(repo, [target]).problems)
    assert _git(repo, "status", "--porcelain") == ""  # the cache is ignored, nothing else was written


def test_the_schema_is_checked_once_per_schema(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jsonschema import Draft202012Validator

    calls: list[int] = []
    original = Draft202012Validator.check_schema

    def counted(schema: Any) -> None:
        calls.append(1)
        original(schema)

    monkeypatch.setattr(Draft202012Validator, "check_schema", staticmethod(counted))
    target = repo / incident_paths(repo)[0]
    _parse.cache_clear()
    validate(repo, [target])
    assert calls == [1]
    assert _cache(repo)["schema_checked"] is True
    target.write_text(target.read_text(encoding="utf-8").replace("severity:", "severty:", 1), encoding="utf-8")
    _parse.cache_clear()  # a new process: the schema's text is known to be valid from the cache
    assert any("unknown field 'severty'" in p.message for p in validate(repo, [target]).problems)
    assert calls == [1]
    _parse.cache_clear()
    validate(repo, [target], cache=False)
    assert calls == [1, 1]
    _parse.cache_clear()


def test_no_cache_flag_leaves_no_cache(repo: Path) -> None:
    result = run_cli(repo, "validate", "--no-cache")
    assert result.returncode == 1, result.stderr
    assert not (repo / CACHE_DIR).exists()
    assert run_cli(repo, "validate").stdout == result.stdout
    assert (repo / CACHE_DIR / CACHE_FILE).is_file()
    assert run_cli(repo, "validate").stdout == result.stdout


def test_a_read_only_repository_validates_without_a_cache(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path, text: str) -> None:
        raise PermissionError(13, "read-only", str(path))

    monkeypatch.setattr(atomic, "write_text", refuse)
    assert outcome(validate(repo)) == outcome(validate(repo, cache=False))
    assert not (repo / CACHE_DIR / CACHE_FILE).exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for ci, terminal, shown in (("", True, True), ("true", True, False), ("", False, False)):
        stream = _Terminal() if terminal else io.StringIO()
        monkeypatch.setattr(sys, "stderr", stream)
        monkeypatch.setenv("CI", ci)
        with progress.phase("checking", 3) as advance:
            for _ in range(3):
                advance(1)
        assert ("checking: 3 files" in stream.getvalue()) is shown, (ci, terminal)
        assert (stream.getvalue() == "") is not shown


def test_a_full_validate_on_a_terminal_shows_its_phases(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run_module, "PROGRESS_MIN_ITEMS", 1)
    monkeypatch.delenv("CI", raising=False)
    stream = _Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    validate(repo, progress=True)
    assert f"checking: {COUNT} files" in stream.getvalue()
    validate(repo, progress=True)
    assert f"reading the cache: {COUNT} files" in stream.getvalue()


def test_a_full_validate_into_a_pipe_or_in_ci_shows_nothing(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run_module, "PROGRESS_MIN_ITEMS", 1)
    for ci, stream in (("", io.StringIO()), ("true", _Terminal())):
        monkeypatch.setenv("CI", ci)
        monkeypatch.setattr(sys, "stderr", stream)
        validate(repo, progress=True, cache=False)
        validate(repo, progress=True)
        validate(repo, progress=True)
        assert stream.getvalue() == "", ci
