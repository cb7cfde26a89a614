"""The hostile corpus, end to end through the `failurelog` command (tests.cli_helpers.run_cli).

Every hostile file gets a clear `path:line: message` error, exit status 1, no
traceback, no hang (each run is bounded by a timeout) and leaves every file as
it was. The small files are committed in tests/hostile/files/ (made by
tests/hostile/make_corpus.py); the huge ones, symbolic links, a FIFO and a
folder named like an incident are made here. tests/test_loading.py checks the
loader itself in-process; this checks what a user sees.

Property-based tests at the end: checking never raises on arbitrary bytes or
YAML-shaped text, and `new` writes back exactly the components, failure types,
`Other:` texts and times it was given.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from failurelog.authoring.scaffold import NewIncident, create, format_timestamp
from failurelog.core.errors import UsageError
from failurelog.core.loader import load
from failurelog.core.schema import Schema
from failurelog.validate.cache import CACHE_DIR
from failurelog.validate.run import check_document, validate
from tests.cli_helpers import run_cli

HOSTILE = Path(__file__).resolve().parent / "hostile"
FILES = HOSTILE / "files"
EXPECTED: dict[str, list[list[int | str]]] = json.loads((HOSTILE / "expected.json").read_text(encoding="utf-8"))
TARGET = "incidents/2026/SYS-20261103-001.md"
TIMEOUT = 60  # seconds; a run that takes longer is a hang
GOOD = (FILES / "utf8_bom.md").read_bytes()[3:]  # the corpus' well-formed incident, without its BOM


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    start = time.perf_counter()
    result = run_cli(repo, *args, timeout=TIMEOUT)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert time.perf_counter() - start < TIMEOUT
    return result


def snapshot(*folders: Path) -> dict[str, tuple[int, int, bytes | None]]:
    """Mode, mtime and (for regular files) bytes of everything below ``folders``, links not followed.

    The validation cache (``.failurelog-cache/`` at a folder's top, git-ignored, failurelog's own) is left out.
    """
    out: dict[str, tuple[int, int, bytes | None]] = {}
    for folder in folders:
        for base, dirs, names in os.walk(folder):
            if Path(base) == folder:
                dirs[:] = [d for d in dirs if d != CACHE_DIR]
            for name in dirs + names:
                path = Path(base) / name
                info = path.lstat()
                data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
                out[str(path)] = (info.st_mode, info.st_mtime_ns, data)
    return out


def assert_reported(result: subprocess.CompletedProcess[str], expected: list[list[int | str]]) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for line, needle in expected:
        wanted = f"{TARGET}:{line}: "
        assert any(text.startswith(wanted) and str(needle) in text for text in lines), (line, needle, lines[:20])
    assert lines[-1].endswith("incident") or lines[-1].endswith("incidents")  # the summary line


def test_every_committed_file_has_an_expectation() -> None:
    assert sorted(p.name for p in FILES.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_committed_hostile_file(repo: Path, name: str) -> None:
    target = repo / TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FILES / name, target)
    before = snapshot(repo)
    result = run(repo, "validate")
    assert_reported(result, EXPECTED[name])
    assert snapshot(repo) == before
    assert not (repo / "pwned").exists()  # the python/object tag was not run


@pytest.mark.slow
def test_all_at_once_in_every_format(repo: Path) -> None:
    folder = repo / "incidents" / "2026"
    folder.mkdir(parents=True)
    for name in EXPECTED:
        shutil.copyfile(FILES / name, folder / name)
    before = snapshot(repo)
    as_json = run(repo, "validate", "--format", "json")
    assert as_json.returncode == 1
    data = json.loads(as_json.stdout)
    assert data["status"] == "fail"
    assert {Path(e["file"]).name for e in data["errors"]} == set(EXPECTED)
    assert all(isinstance(e["line"], int) and e["line"] >= 1 for e in data["errors"])
    github = run(repo, "validate", "--format", "github")
    assert github.returncode == 1
    annotations = [line for line in github.stdout.splitlines() if line.startswith("::error file=")]
    assert len(annotations) == len(data["errors"])
    assert all(",line=" in line for line in annotations)
    text = run(repo, "validate", "incidents/2026")
    assert text.returncode == 1
    assert snapshot(repo) == before


def test_huge_file_is_refused_unread(repo: Path) -> None:
    target = repo / TARGET
    target.parent.mkdir(parents=True)
    with target.open("wb") as out:
        out.write(GOOD)
        block = b"[   12.345678] EDAC MC0: 1 CE memory read error on CPU_SrcID#0_Ha#0_Chan#1_DIMM#0\n" * 12_000
        for _ in range(40 * 1024 * 1024 // len(block)):
            out.write(block)
    assert target.stat().st_size > 39 * 1024 * 1024
    before = snapshot(repo)
    assert_reported(run(repo, "validate"), [[1, "MiB; an incident may be at most 1 MiB"]])
    assert snapshot(repo) == before


def test_one_megabyte_single_line_value(repo: Path) -> None:
    target = repo / TARGET
    target.parent.mkdir(parents=True)
    target.write_bytes(GOOD.replace(b"Kernel panic on md-gw-03", b"x" * (1024 * 1024 - len(GOOD) - 100)))
    result = run(repo, "validate")
    assert result.returncode in (0, 1)  # a long title may be allowed; what matters is no hang and no crash
    if result.returncode == 1:
        assert result.stdout.startswith(f"{TARGET}:3: title:")


def test_deep_block_nesting_generated(repo: Path) -> None:
    target = repo / TARGET
    target.parent.mkdir(parents=True)
    depth = 1000  # about 0.5 MiB of indentation: under the size limit, far over the nesting limit
    text = "---\n" + "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v: 1\n---\n"
    target.write_text(text, encoding="utf-8")
    result = run(repo, "validate")
    assert result.returncode == 1
    assert result.stdout.startswith(f"{TARGET}:")
    assert "nested deeper than 64 levels" in result.stdout or "invalid YAML" in result.stdout


def test_big_alias_bomb_generated(repo: Path) -> None:
    target = repo / TARGET
    target.parent.mkdir(parents=True)
    lines = ["a0: &a0 [" + ", ".join(["lol"] * 50) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 50) + "]" for i in range(1, 20)]
    target.write_text("---\n" + "\n".join(lines) + "\n---\n", encoding="utf-8")
    start = time.perf_counter()
    result = run(repo, "validate", "--format", "json")
    assert result.returncode == 1
    assert time.perf_counter() - start < 30
    assert all("anchors and aliases" in e["message"] for e in json.loads(result.stdout)["errors"])


SPECIAL = ["outside-file", "dev-zero", "loop", "dangling", "fifo", "folder"]


def make_special(kind: str, repo: Path, outside: Path) -> None:
    target = repo / TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    if kind == "outside-file":
        secret = outside / "secret.md"
        secret.write_bytes(GOOD)
        target.symlink_to(secret)
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "loop":
        target.symlink_to(target.parent / "other.md")
        (target.parent / "other.md").symlink_to(target)
    elif kind == "dangling":
        target.symlink_to(target.parent / "missing.md")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()


NEEDLES = {
    "outside-file": "symbolic link points outside the repository",
    "dev-zero": "symbolic link points outside the repository",
    "loop": "symbolic link loop",
    "dangling": "not a regular file",
    "fifo": "not a regular file",
    "folder": "not a regular file",
}


@pytest.mark.parametrize("kind", SPECIAL)
def test_links_fifos_and_folders(repo: Path, tmp_path: Path, kind: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    make_special(kind, repo, outside)
    before = snapshot(repo, outside)
    # named on the command line too, except the folder: a folder named there is searched for incidents
    for args in (("validate",), ("validate", TARGET))[: 1 if kind == "folder" else 2]:
        assert_reported(run(repo, *args), [[1, NEEDLES[kind]]])
    assert snapshot(repo, outside) == before


def test_folder_linked_from_outside_is_not_read(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "SYS-20270101-001.md").write_text("---\nid: SYS-20270101-001\ntitle: from outside\n---\n")
    (repo / "incidents" / "2027").symlink_to(outside, target_is_directory=True)
    result = run(repo, "validate", "--format", "json")
    assert "from outside" not in result.stdout
    assert all("2027" not in e["file"] for e in json.loads(result.stdout)["errors"])


@pytest.mark.slow
def test_new_refuses_hostile_times_and_writes_nothing(repo: Path) -> None:
    for at in ("0999-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00", "2026-13-01", "../../etc", "now"):
        result = run(repo, "new", "--title", "x", "--at", at)
        assert result.returncode == 2
        assert result.stderr.startswith("ERROR --at")
    assert list((repo / "incidents").rglob("*")) == []


# -- properties ---------------------------------------------------------------


def test_a_huge_asset_value_is_not_repeated_in_full(tmp_path: Path, schema: Schema) -> None:
    source = Path(__file__).resolve().parent.parent / "incidents" / "2026" / "SYS-20260113-001.md"
    text = source.read_text(encoding="utf-8")
    kernel = "5.14.0-427.42.1.el9_4.x86_64"
    assert f"kernel: {kernel}\n" in text and f"kernel_version: {kernel}\n" in text
    text = text.replace(f"kernel: {kernel}\n", f"kernel: {'k' * 5000}\n")
    text = text.replace(f"kernel_version: {kernel}\n", f"kernel_version: {'v' * 5000}\n")
    path = tmp_path / "SYS-20260113-001.md"
    path.write_text(text, encoding="utf-8")
    doc = load(path, root=tmp_path)
    check_document(doc, schema)
    mismatch = [p for p in doc.problems if "both describe the same machine" in p.message]
    assert len(mismatch) == 1 and mismatch[0].field.endswith(".kernel")
    assert "'kkk" in mismatch[0].message and "'vvv" in mismatch[0].message
    assert len(mismatch[0].message) < 300


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096))
def test_checking_never_raises_on_arbitrary_bytes(tmp_path: Path, schema: Schema, data: bytes) -> None:
    path = tmp_path / "SYS-20261103-001.md"
    path.write_bytes(data)
    doc = load(path, root=tmp_path)
    check_document(doc, schema)
    assert all(p.line >= 1 and p.file == str(path) for p in doc.problems)


YAML_TOKENS = [*"-:#&*!|>'\"{}[],?%@` \t\n\\abcSYS0123456789.", "---\n", "id: ", "- ", "\u2028", "\u0085", "é", "😀"]
YAMLISH = st.lists(st.sampled_from(YAML_TOKENS), max_size=200).map("".join)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=YAMLISH, body=YAMLISH)
def test_checking_never_raises_on_yaml_shaped_text(tmp_path: Path, schema: Schema, front: str, body: str) -> None:
    path = tmp_path / "SYS-20261103-001.md"
    path.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
    doc = load(path, root=tmp_path)
    check_document(doc, schema)
    assert all(p.line >= 1 for p in doc.problems)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates().map(str),
)


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_checking_never_raises_on_schema_shaped_front_matter(
    tmp_path: Path, schema: Schema, data: st.DataObject
) -> None:
    """Real field names at every level with values of every type: exercises the schema messages."""
    names = st.sampled_from(sorted({part for f in schema.fields.values() for part in f.path if part != "[]"}))
    values = st.recursive(
        SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(names, inner, max_size=5), max_leaves=25
    )
    meta = data.draw(st.dictionaries(names, values, max_size=12))
    path = tmp_path / "SYS-20261103-001.md"
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n## Initial Symptoms\n\nx\n")
    doc = load(path, root=tmp_path)
    check_document(doc, schema)
    assert all(p.line >= 1 for p in doc.problems)


def _named(schema: Schema, name: str) -> list[str]:
    """The field's values except Other, which is given as `Other: text`."""
    field = schema.field(name)
    assert field is not None and field.choices is not None
    return [c for c in field.choices if c != "Other"]


OTHER_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda t: t.strip() != "" and ";" not in t
)

ZONES = st.one_of(
    st.just(UTC),
    st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)).map(
        lambda d: timezone(timedelta(minutes=int(d.total_seconds() // 60)))
    ),
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_new_round_trips_components_failure_types_other_and_times(
    repo: Path, schema: Schema, data: st.DataObject
) -> None:
    components = data.draw(st.lists(st.sampled_from(_named(schema, "components")), max_size=5), "components")
    failure_types = data.draw(st.lists(st.sampled_from(_named(schema, "failure_types")), max_size=5), "types")
    others = data.draw(st.lists(OTHER_TEXT, max_size=2), "other components")
    other_types = data.draw(st.lists(OTHER_TEXT, max_size=2), "other failure types")
    when = data.draw(st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES))
    naive = data.draw(st.booleans(), "naive")
    at = when.replace(tzinfo=None).isoformat() if naive else when.isoformat()
    request = NewIncident(
        title="round trip",
        components=components + [f"Other: {text}" for text in others],
        failure_types=failure_types + [f"Other: {text}" for text in other_types],
        at=at,
    )
    path = create(repo, request)
    try:
        doc = load(path, root=repo)
        assert doc.problems == [] and doc.meta is not None
        expected_components = list(dict.fromkeys(components + (["Other"] if others else [])))
        assert doc.meta.get("components", []) == expected_components
        if others:
            assert doc.meta["components_other"] == "; ".join(t.strip() for t in others)
        assert doc.meta.get("failure_types", []) == list(
            dict.fromkeys(failure_types + (["Other"] if other_types else []))
        )
        if other_types:
            assert doc.meta["failure_types_other"] == "; ".join(t.strip() for t in other_types)
        utc = when.replace(tzinfo=UTC) if naive else when.astimezone(UTC)
        assert doc.meta["occurred_at"] == format_timestamp(utc)
        assert path.stem.startswith(f"SYS-{utc:%Y%m%d}-")
        assert validate(repo, [path]).problems == []
    finally:
        path.unlink()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_new_never_crashes_on_any_time_text(repo: Path, text: str) -> None:
    assume("\x00" not in text)
    try:
        path = create(repo, NewIncident(title="x", at=text))
    except UsageError as exc:
        assert str(exc).startswith("--at ")
        return
    try:
        assert load(path, root=repo).problems == []
    finally:
        path.unlink()
