"""The `failurelog` command (through tests.cli_helpers.run_cli): formats, exit codes, repository rules."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from failurelog.core.loader import Document
from failurelog.core.problems import Problem
from failurelog.core.schema import Schema
from failurelog.validate.run import validate
from tests.cli_helpers import run_cli

NEGATIVE = Path(__file__).parent / "cases" / "negative"
GOOD = (
    "---\nid: {id}\ntitle: {title}\noccurred_at: '{at}'\nstatus: draft\nseverity: P1-High\n"
    "{extra}schema_version: 2\n---\n\n"
    "## Initial Symptoms\n\nFeed stopped.\n"
)


def incident(repo: Path, incident_id: str, *, extra: str = "", name: str | None = None, title: str = "x") -> Path:
    day = incident_id[4:12]
    at = f"{day[:4]}-{day[4:6]}-{day[6:]}T10:00:00.000Z"
    path = repo / "incidents" / day[:4] / f"{name or incident_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GOOD.format(id=incident_id, title=title, at=at, extra=extra), encoding="utf-8")
    return path


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(repo, *args)


def test_help_starts_fast_without_heavy_imports() -> None:
    code = (
        "import sys, failurelog.cli.main as c\n"
        "try:\n    c.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('jsonschema', 'jinja2', 'git', 'fastjsonschema', 'yaml') if m in sys.modules))"
    )
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("[]"), result.stdout
    assert time.perf_counter() - start < 10  # generous: the point is the empty module list above


def test_valid_repository_exits_0(repo: Path) -> None:
    incident(repo, "SYS-20261103-001")
    result = run(repo, "validate")
    assert (result.returncode, result.stdout) == (0, "ok: 1 incident valid\n")


def test_text_output_is_path_line_field_message(repo: Path) -> None:
    incident(repo, "SYS-20261103-001", extra="severty: P1\n")
    result = run(repo, "validate")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "incidents/2026/SYS-20261103-001.md:7: severty: unknown field 'severty'; did you mean 'severity'?",
        "1 problem in 1 of 1 incident",
    ]


def test_json_output(repo: Path) -> None:
    incident(repo, "SYS-20261103-001", extra="severty: P1\n")
    incident(repo, "SYS-20261103-002")
    result = run(repo, "validate", "--format", "json")
    data = json.loads(result.stdout)
    assert result.returncode == 1
    assert data["status"] == "fail"
    assert data["checked"] == ["incidents/2026/SYS-20261103-001.md", "incidents/2026/SYS-20261103-002.md"]
    assert data["errors"] == [
        {
            "file": "incidents/2026/SYS-20261103-001.md",
            "line": 7,
            "field": "severty",
            "message": "unknown field 'severty'; did you mean 'severity'?",
            "rule": "schema",
        }
    ]


def test_github_annotations_escape_their_payload(repo: Path) -> None:
    incident(repo, "SYS-20261103-001", extra="severty: 100%\n")
    result = run(repo, "validate", "--format", "github")
    first = result.stdout.splitlines()[0]
    assert first == (
        "::error file=incidents/2026/SYS-20261103-001.md,line=7,title=failurelog%3A severty::"
        "unknown field 'severty'; did you mean 'severity'?"
    )


def test_paths_limit_the_report_but_not_the_context(repo: Path) -> None:
    incident(repo, "SYS-20261103-001", extra="severty: x\n")
    target = incident(
        repo,
        "SYS-20261104-001",
        extra="related:\n  similar_incidents:\n    - id: SYS-20261103-001\n      similarity: same NIC\n",
    )
    result = run(repo, "validate", str(target.relative_to(repo)))
    assert (result.returncode, result.stdout) == (0, "ok: 1 incident valid\n")


def test_duplicate_ids_name_both_files(repo: Path) -> None:
    incident(repo, "SYS-20261103-001")
    incident(repo, "SYS-20261103-001", name="SYS-20261103-002")
    report = validate(repo)
    dupes = [p for p in report.problems if "also used by" in p.message]
    assert {p.file for p in dupes} == {"incidents/2026/SYS-20261103-001.md", "incidents/2026/SYS-20261103-002.md"}
    assert all("renumber" in p.message for p in dupes)


def test_related_incident_must_exist_and_have_its_date(repo: Path) -> None:
    incident(repo, "SYS-20261101-001")
    refs = (
        "related:\n  similar_incidents:\n"
        "    - id: SYS-20261101-001\n      date: '2026-11-02'\n      similarity: same firmware\n"
        "    - id: SYS-20261102-009\n      similarity: same host\n"
        "    - id: SYS-20261103-001\n      similarity: itself\n"
    )
    incident(repo, "SYS-20261103-001", extra=refs)
    found = [(p.line, p.field, p.message) for p in validate(repo).problems]
    assert found == [
        (10, "related.similar_incidents[0].date", "SYS-20261101-001 occurred on 2026-11-01, not 2026-11-02"),
        (
            12,
            "related.similar_incidents[1].id",
            "related incident SYS-20261102-009 does not exist in this repository "
            "(if it is kept elsewhere, say where beside it)",
        ),
        (14, "related.similar_incidents[2].id", "an incident cannot be related to itself"),
    ]


def test_usage_errors_exit_2(repo: Path) -> None:
    assert run(repo, "validate", "--format", "xml").returncode == 2
    missing = run(repo, "validate", "nope.md")
    assert missing.returncode == 2  # issue 12: a path that does not exist is a usage error
    assert missing.stderr == "ERROR no such file or folder: nope.md\n"


def test_outside_a_repository(tmp_path: Path) -> None:
    result = run(tmp_path, "validate")
    assert result.returncode == 2
    assert result.stderr.startswith("ERROR not inside a failurelog repository")
    assert "Traceback" not in result.stderr


def test_color_always_and_no_color(repo: Path) -> None:
    incident(repo, "SYS-20261103-001", extra="severty: x\n")
    colored = run(repo, "validate", "--color", "always")
    assert "\033[" in colored.stdout
    assert "\033[" not in run(repo, "validate").stdout


def _with_front_matter() -> list[Path]:
    from failurelog.core.loader import load

    return [p for p in sorted(NEGATIVE.glob("*.md")) if load(p).meta is not None]


@pytest.mark.parametrize("case", _with_front_matter(), ids=lambda p: p.stem)
def test_quick_check_agrees_with_the_full_validator(schema: Schema, case: Path) -> None:
    """The fast path may only skip the full validator when the full validator finds nothing."""
    from failurelog.core.loader import load

    meta = load(case).meta
    full_ok = not list(schema.validator.iter_errors(meta))
    assert schema.quick_check(meta) == full_ok


def test_quick_check_cases_cover_both_answers(schema: Schema) -> None:
    from failurelog.core.loader import load

    answers = {schema.quick_check(load(p).meta) for p in _with_front_matter()}
    assert answers == {True, False}


def test_the_compiled_check_is_used_for_a_few_files_once_this_process_has_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiling it pays for itself from QUICK_CHECK_MIN_FILES files on; once compiled, every run uses it."""
    from failurelog.core.schema import _parse
    from failurelog.validate import checks
    from failurelog.validate import run as run_module

    fresh = _parse.__wrapped__((repo / "schema" / "incident.schema.json").read_text(encoding="utf-8"))
    assert not run_module.use_quick_check(fresh, 1)
    assert run_module.use_quick_check(fresh, run_module.QUICK_CHECK_MIN_FILES)
    fresh.quick_check  # noqa: B018
    assert run_module.use_quick_check(fresh, 1)
    example = sorted((Path(__file__).resolve().parent.parent / "incidents").rglob("*.md"))[0]
    (repo / "incidents" / example.parent.name).mkdir()
    shutil.copyfile(example, repo / "incidents" / example.parent.name / example.name)
    full: list[str] = []
    original = checks.schema_problems

    def counted(doc: Document, schema: Schema) -> list[Problem]:
        full.append(doc.display)
        return original(doc, schema)

    monkeypatch.setattr(run_module, "schema_problems", counted)
    assert validate(repo, cache=False).ok  # the project schema's check is compiled (tests/conftest.py)
    assert full == []
    broken = repo / "incidents" / example.parent.name / example.name
    broken.write_text(broken.read_text(encoding="utf-8").replace("severity:", "severty:", 1), encoding="utf-8")
    assert any("unknown field 'severty'" in p.message for p in validate(repo, cache=False).problems)
    assert full == [broken.relative_to(repo).as_posix()]  # rejected: the full validator says why
