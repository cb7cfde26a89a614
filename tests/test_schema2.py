"""Schema 2: migration of first-schema files, the paper form's round trip of the new fields, and the site.

The migration runs on a copy of every shipped example as it was before schema 2
(``tests/fixtures/schema1``); the form tests start from the filled-in forms in
``tests/fixtures/forms`` and from the examples exported as forms.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from failurelog.cli.main import main
from failurelog.core.loader import load
from failurelog.core.repository import load_all
from failurelog.core.schema import Schema, load_schema
from failurelog.model.incident import build_model
from failurelog.seedform import api
from failurelog.site.context import build_context
from failurelog.site.incident_page import incident_page
from failurelog.site.index_pages import value_page_text
from failurelog.validate.run import validate
from tests.cli_helpers import run_cli

from .conftest import FIXTURES, ROOT

SCHEMA1 = FIXTURES / "schema1"
OLD_EXAMPLES = sorted((SCHEMA1 / "incidents").rglob("SYS-*.md"))
EXAMPLES = sorted((ROOT / "incidents").rglob("SYS-*.md"))
P0_FORM = FIXTURES / "forms" / "p0-kernel-panic-closed.txt"


def _repo(target: Path, incidents: list[Path], base: Path) -> Path:
    """A repository with this project's schema and templates and copies of ``incidents`` (paths under ``base``)."""
    shutil.copytree(ROOT / "schema", target / "schema")
    shutil.copytree(ROOT / "templates", target / "templates")
    (target / "incidents").mkdir(parents=True)
    for path in incidents:
        dest = target / path.relative_to(base)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dest)
    return target


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -- migration -----------------------------------------------------------------


def test_fixtures_are_todays_examples_valid_for_the_first_schema(tmp_path: Path) -> None:
    assert len(OLD_EXAMPLES) == len(EXAMPLES) == 19
    repo = _repo(tmp_path / "v1", OLD_EXAMPLES, SCHEMA1)
    shutil.copy(SCHEMA1 / "incident.schema.json", repo / "schema" / "incident.schema.json")
    assert validate(repo).problems == []


def test_migrate_upgrades_every_example_in_place_and_lists_what_it_changed(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", OLD_EXAMPLES, SCHEMA1)
    before = {p.name: p.read_text(encoding="utf-8") for p in (repo / "incidents").rglob("*.md")}
    result = run_cli(repo, "migrate")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "19 upgraded, 0 already at schema 2, 0 left unchanged"
    assert sum(line.endswith(": upgraded to schema 2") for line in lines) == 19
    assert "  response.detection_method -> response.detection_methods (a list)" in lines
    schema = load_schema(repo)
    for path in sorted((repo / "incidents").rglob("*.md")):
        doc = load(path)
        assert doc.meta is not None
        assert doc.text.endswith(before[path.name].split("\n---\n", 1)[1])  # the body, byte for byte
        assert doc.meta["schema_version"] == schema.version
        assert isinstance(doc.meta["response"]["detection_methods"], list)
        primary = doc.meta["assets"][0]
        assert (primary["name"], primary["role"]) == (doc.meta["system"]["hostname"], "Primary")
        assert "downtime_min" not in doc.meta.get("impact", {}).get("trading", {})
    # Two examples gave the trigger as the incident time, before the first indication: schema 2 refuses
    # that order, and migrate does not guess which time to change (the shipped examples were fixed by hand).
    report = validate(repo)
    assert sorted((p.file, p.field) for p in report.problems) == [
        ("incidents/2026/SYS-20260113-001.md", "occurred_at"),
        ("incidents/2026/SYS-20260407-001.md", "occurred_at"),
    ]
    again = run_cli(repo, "migrate")
    assert again.returncode == 0
    assert again.stdout.splitlines() == ["0 upgraded, 19 already at schema 2, 0 left unchanged"]


def test_migrate_keeps_lines_comments_and_quoting(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", [], ROOT)
    path = repo / "incidents" / "2026" / "SYS-20261103-001.md"
    path.parent.mkdir(parents=True)
    text = (
        "---\n"
        "id: SYS-20261103-001  # keep this comment\n"
        "title: 'yes'\n"
        "occurred_at: '2026-11-03T14:22:07.123Z'\n"
        "status: draft\n"
        "severity: P1-High\n"
        "metrics:\n"
        "  cpu:\n"
        "    per_core: >-\n"
        "      cores 2-5 busy,\n"
        "      others idle\n"
        "impact:\n"
        "  trading:\n"
        "    downtime_min: 14  # measured at the router\n"
        "response:\n"
        "  detection_method: 'Health Check Failure'\n"
        "remarks:\n"
        "  impact.trading.downtime_min: about 14 minutes\n"
        "# ---- Fields still to fill in. ----\n"
        "#   financial_loss_usd:  # Financial Loss (USD)\n"
        "---\n\n## Initial Symptoms\n\nFeed stopped.\n"
    )
    path.write_text(text, encoding="utf-8")
    result = run_cli(repo, "migrate", "--dry-run")
    assert result.returncode == 0 and "would upgrade" in result.stdout
    assert path.read_text(encoding="utf-8") == text  # a dry run writes nothing
    assert run_cli(repo, "migrate").returncode == 0
    new = path.read_text(encoding="utf-8")
    assert "id: SYS-20261103-001  # keep this comment\ntitle: 'yes'\n" in new
    assert "    outage_min: 14  # measured at the router\n" in new
    assert "  detection_methods:\n    - 'Health Check Failure'\n" in new
    assert "  impact.trading.outage_min: about 14 minutes\n" in new
    assert "  metrics.cpu.per_core: cores 2-5 busy, others idle\n" in new
    assert "#   loss_estimated_usd:  # Financial Loss (USD)\n" in new
    assert "metrics:" not in new  # it held only the per-core text
    # the new line goes after the last value (the scaffold's commented lines stay last); the body is untouched
    last_value = "  metrics.cpu.per_core: cores 2-5 busy, others idle\n"
    assert last_value + "schema_version: 2\n# ---- Fields still to fill in." in new
    assert new.endswith("\n---\n\n## Initial Symptoms\n\nFeed stopped.\n")
    assert validate(repo).problems == []


def test_migrate_leaves_an_unreadable_file_alone_and_says_why(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", [], ROOT)
    path = repo / "incidents" / "2026" / "SYS-20261103-001.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\nid: [unclosed\n---\n", encoding="utf-8")
    newer = repo / "incidents" / "2026" / "SYS-20261103-002.md"
    newer.write_text("---\nid: SYS-20261103-002\nschema_version: 3\n---\n", encoding="utf-8")
    result = run_cli(repo, "migrate")
    assert result.returncode == 1
    assert "SYS-20261103-001.md: left unchanged: cannot read it" in result.stdout
    assert "SYS-20261103-002.md: left unchanged: schema_version is 3; this failurelog knows versions up to 2" in (
        result.stdout
    )
    assert path.read_text(encoding="utf-8") == "---\nid: [unclosed\n---\n"


# -- the paper form ------------------------------------------------------------------


def _import(capsys: pytest.CaptureFixture[str], repo: Path, form: Path) -> tuple[dict[str, Any], str]:
    code, out, err = _run(capsys, "--root", str(repo), "import", str(form))
    assert code == 0, err
    doc = load(repo / out.strip())
    assert doc.meta is not None
    return doc.meta, err


def _export(capsys: pytest.CaptureFixture[str], repo: Path, ident: str) -> str:
    code, text, err = _run(capsys, "--root", str(repo), "export", ident)
    assert code == 0, err
    return text


def test_a_form_that_ticks_several_detection_boxes_keeps_them_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _repo(tmp_path / "first", EXAMPLES, ROOT)
    text = _export(capsys, first, "SYS-20260304-001")
    assert "[ ] Automated Monitoring Alert\n[X] Health Check Failure" in text
    ticked = text.replace(
        "[ ] Automated Monitoring Alert\n[X] Health Check", "[X] Automated Monitoring Alert\n[X] Health Check"
    )
    form = tmp_path / "form.txt"
    form.write_text(ticked, encoding="utf-8")
    second = _repo(tmp_path / "second", [p for p in EXAMPLES if p.stem != "SYS-20260304-001"], ROOT)
    meta, err = _import(capsys, second, form)
    assert meta["response"]["detection_methods"] == ["Automated Monitoring Alert", "Health Check Failure"]
    assert "Detection Method" not in err and "response.detection_methods" not in meta.get("remarks", {})
    assert _export(capsys, second, "SYS-20260304-001") == ticked  # and back to the same form
    assert validate(second).problems == []


def test_a_precursor_before_the_incident_time_keeps_the_form_closed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = P0_FORM.read_text(encoding="utf-8").replace("\r\n", "\n")
    text = text.replace(
        "TIME OF FIRST INDICATION: 2026-02-12 09:31:07.412 UTC",
        "TIME OF FIRST INDICATION: 2026-02-12 09:27:07.412 UTC",  # PSU predictive failure, 4 min before the crash
    ).replace("DURATION OF DEGRADATION: 00:00:02", "DURATION OF DEGRADATION: 00:04:02")
    form = tmp_path / "precursor.txt"
    form.write_text(text, encoding="utf-8")
    repo = _repo(tmp_path / "repo", [], ROOT)
    meta, err = _import(capsys, repo, form)
    assert meta["status"] == "closed"
    assert meta["failure"]["first_indication_at"] == "2026-02-12T09:27:07.412Z"
    assert meta["occurred_at"] == "2026-02-12T09:31:07.412Z"
    assert "chronology" not in err and "imported as" not in err
    assert validate(repo).problems == []


def test_a_time_out_of_order_is_set_aside_by_name_without_lowering_the_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = P0_FORM.read_text(encoding="utf-8").replace("\r\n", "\n")
    text = text.replace(
        "Workaround Implemented At: 2026-02-12 09:45:00 UTC", "Workaround Implemented At: 2026-02-12 09:20:00 UTC"
    )
    form = tmp_path / "backwards.txt"
    form.write_text(text, encoding="utf-8")
    repo = _repo(tmp_path / "repo", [], ROOT)
    meta, err = _import(capsys, repo, form)
    assert meta["status"] == "closed"  # the form's stage: the one bad time does not lower it
    assert "implemented_at" not in meta["resolution"]["workaround"]
    assert meta["failure"]["first_indication_at"] == "2026-02-12T09:31:07.412Z"
    assert "2026-02-12 09:20:00 UTC" in meta["remarks"]["resolution.workaround.implemented_at"]
    warning = next(line for line in err.splitlines() if "resolution.workaround.implemented_at" in line)
    assert "refused by the chronology rule" in warning and "is earlier than failure.complete_failure_at" in warning


def test_incidents_not_in_the_repository_are_marked_kept_elsewhere_and_link_once_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path / "repo", [], ROOT)
    meta, err = _import(capsys, repo, P0_FORM)
    similar = meta["related"]["similar_incidents"][0]
    assert (similar["id"], similar["external"]) == ("SYS-20251104-002", api.KEPT_ELSEWHERE)
    assert "SYS-20251104-002 is not in this repository: kept as a reference to a record kept elsewhere" in err
    assert validate(repo).problems == []  # an archive imported in any order still validates
    text = _export(capsys, repo, meta["id"])
    assert "[failurelog] related.similar_incidents[0].external:" in text  # what the form has no box for
    second = _repo(tmp_path / "second", [], ROOT)
    form = tmp_path / "again.txt"
    form.write_text(text, encoding="utf-8")
    back, _ = _import(capsys, second, form)
    assert back["related"] == meta["related"]  # lossless
    schema = load_schema(repo)
    page = incident_page(_context(repo, schema), _by_id(repo, schema, meta["id"]))
    assert "SYS-20251104-002 <em>(not in this repository)</em>" in page
    # the older incident is imported later: the same reference is now a link
    older = repo / "incidents" / "2025" / "SYS-20251104-002.md"
    older.parent.mkdir(parents=True)
    older.write_text(
        "---\nid: SYS-20251104-002\ntitle: ixgbe rx ring panic on md-gw-01\noccurred_at: '2025-11-04T10:00:00.000Z'\n"
        "status: draft\nseverity: P1-High\nschema_version: 2\n---\n",
        encoding="utf-8",
    )
    assert validate(repo).problems == []
    page = incident_page(_context(repo, schema), _by_id(repo, schema, meta["id"]))
    assert "not in this repository" not in page
    assert "SYS-20251104-002: ixgbe rx ring panic on md-gw-01</a>" in page


def test_a_reference_missing_without_saying_where_is_still_refused(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", [], ROOT)
    path = repo / "incidents" / "2026" / "SYS-20261103-001.md"
    path.parent.mkdir(parents=True)
    path.write_text(
        "---\nid: SYS-20261103-001\ntitle: x\noccurred_at: '2026-11-03T14:22:07.123Z'\nstatus: draft\n"
        "severity: P1-High\nrelated:\n  similar_incidents:\n    - id: SYS-20261101-001\n      similarity: same\n"
        "schema_version: 2\n---\n",
        encoding="utf-8",
    )
    problems = validate(repo).problems
    assert [(p.field, p.rule) for p in problems] == [("related.similar_incidents[0].id", "reference")]
    assert "if it is kept elsewhere, say where beside it" in problems[0].message


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_export_json_and_csv_carry_the_new_fields(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--root", str(ROOT), "export", example.stem, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    record = data[0] if isinstance(data, list) else data
    assert record["assets"][0]["role"] == "Primary" and record["schema_version"] == 2


def test_csv_has_a_column_for_every_new_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--root", str(ROOT), "export", "--format", "csv")
    assert code == 0
    header = out.splitlines()[0].split(",")
    for column in (
        "assets[].name",
        "assets[].nics[].firmware",
        "cause.trigger",
        "impact.degraded_min",
        "impact.trading.loss_realised_usd",
        "action_items[].verified_by",
        "metrics.latency.p99_us",
        "response.detection_methods",
        "related.similar_incidents[].external",
        "schema_version",
    ):
        assert column in header, column
    rows = out.splitlines()
    md_gw = next(r for r in rows if r.startswith("SYS-20260304-001,"))
    assert "md-gw-03; md-gw-04; md-gw-ny5-01" in md_gw


# -- the site ----------------------------------------------------------------------


def _context(repo: Path, schema: Schema) -> Any:
    model = build_model(load_all(repo), schema)
    return build_context(model, None)


def _by_id(repo: Path, schema: Schema, ident: str) -> Any:
    return _context(repo, schema).model.by_id[ident]


def _value_page(ctx: Any, field: str, value: str) -> str:
    index = next(p for p in ctx.patterns if p.field.name == field)
    found = next(v for v in index.values if v.value == value)
    return str(value_page_text(ctx, index, found))


@pytest.fixture(scope="module")
def examples_ctx() -> Any:
    return _context(ROOT, load_schema(ROOT))


def test_every_affected_host_has_a_page(examples_ctx: Any) -> None:
    page = _value_page(examples_ctx, "assets[].name", "md-gw-04")
    assert "SYS-20260304-001" in page
    for host in ("strat-ny4-05", "strat-ny4-06", "strat-ny4-08"):
        assert "SYS-20260210-001" in _value_page(examples_ctx, "assets[].name", host)


def test_each_firmware_version_has_a_page_with_its_incidents(examples_ctx: Any) -> None:
    index = next(p for p in examples_ctx.patterns if p.field.name == "assets[].nics[].firmware")
    value = next(v for v in index.values if v.value == "8.1.2.1004")
    assert sorted(i.id for i in value.incidents) == ["SYS-20250318-001", "SYS-20250709-001", "SYS-20260122-001"]
    page = value_page_text(examples_ctx, index, value)
    for ident in ("SYS-20250318-001", "SYS-20250709-001", "SYS-20260122-001"):
        assert ident in page


def test_the_incident_page_links_every_host_and_version(examples_ctx: Any) -> None:
    page = incident_page(examples_ctx, examples_ctx.model.by_id["SYS-20260304-001"])
    assert "/asset-history/host/md-gw-04/" in page  # a host or version: its history, which links its pattern page
    assert "/asset-history/driver/5-21-5/" in page
    assert "/patterns/change-ids/chg-26-0412/" in page
    assert "Schema Version" not in page


def test_downtime_statistics_read_outage_minutes(examples_ctx: Any) -> None:
    model = examples_ctx.model
    incident = model.by_id["SYS-20260519-001"]  # drop-copy lag: degraded 31 min, no outage
    assert model.downtime(incident) == 0
    assert incident.value("impact.degraded_min") == 31
