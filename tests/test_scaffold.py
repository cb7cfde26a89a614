"""`failurelog new`: next free id, exact round trip of values, no clobbering, a file that validates."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from failurelog.authoring.scaffold import NewIncident, create, resolve_choice
from failurelog.core.atomic import write_new
from failurelog.core.errors import UsageError
from failurelog.core.loader import load
from failurelog.core.schema import Schema
from failurelog.validate.run import validate

AT = "2026-11-03T14:22:07.123Z"


def test_new_incident_validates_as_a_draft(repo: Path) -> None:
    path = create(repo, NewIncident(title="Kernel panic on md-gw-03", at=AT))
    assert path == repo / "incidents" / "2026" / "SYS-20261103-001.md"
    report = validate(repo)
    assert report.problems == []
    doc = load(path)
    assert doc.meta is not None
    assert doc.meta["status"] == "draft"
    assert doc.meta["occurred_at"] == AT


def test_body_carries_every_section_with_guidance(repo: Path, schema: Schema) -> None:
    text = create(repo, NewIncident(title="x", at=AT, all_fields=True)).read_text(encoding="utf-8")
    for section in schema.sections:
        assert f"\n## {section.heading}\n\n<!-- {section.description}" in text


def test_commented_skeleton_lists_every_field_not_given(repo: Path, schema: Schema) -> None:
    text = create(repo, NewIncident(title="x", at=AT, all_fields=True)).read_text(encoding="utf-8")
    for field in schema.fields.values():
        if field.key not in ("id", "title", "occurred_at", "status", "severity"):
            assert f"# {'  ' * (len(field.path) - 1 - field.path.count('[]'))}" in text
            assert f"{field.key}:" in text, field.name


def test_uncommenting_the_skeleton_gives_yaml_in_the_right_places(repo: Path) -> None:
    path = create(repo, NewIncident(title="x", at=AT, all_fields=True))
    lines = path.read_text(encoding="utf-8").split("\n")
    uncommented = [line[2:] if line.startswith("# ") and not line.startswith("# ----") else line for line in lines]
    path.write_text("\n".join(uncommented), encoding="utf-8")
    doc = load(path)
    assert doc.problems == [], doc.problems
    assert doc.meta is not None
    assert "hostname" in doc.meta["system"]
    assert "owner" in doc.meta["action_items"][0]


def test_the_default_scaffold_is_short_and_grouped_by_the_form_sections(repo: Path, schema: Schema) -> None:
    path = create(repo, NewIncident(title="x", at=AT))
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 100, len(text.splitlines())
    assert validate(repo).problems == []
    front, body = text.split("\n---\n", 1)
    headers = re.findall(r"^# ---- ([^(.]+?) ----$", front, re.MULTILINE)
    form = [str(s["title"]) for s in schema.form["sections"]]
    assert headers == [title for title in form if title in headers] and len(headers) >= 10
    given = {"id", "title", "occurred_at", "status", "severity"}
    for top in schema.children():
        if top.key not in given:
            assert re.search(rf"^# {re.escape(top.key)}:", front, re.MULTILINE), top.key
    listing = body.split("More sections of the form", 1)[-1]
    for section in schema.sections:
        written = f"\n## {section.heading}\n" in body
        assert written == bool(section.required_from), section.heading
        assert written or section.heading in listing, section.heading
    full = create(repo, NewIncident(title="y", at=AT, all_fields=True)).read_text(encoding="utf-8")
    assert len(full.splitlines()) > 3 * len(text.splitlines())


def test_sequence_numbers_follow_existing_files(repo: Path) -> None:
    first = create(repo, NewIncident(title="one", at=AT))
    second = create(repo, NewIncident(title="two", at="2026-11-03T23:59:59.999Z"))
    other_day = create(repo, NewIncident(title="three", at="2026-11-04T00:00:00Z"))
    (repo / "incidents" / "2026" / "SYS-20261103-007.md").write_text("stray", encoding="utf-8")
    after_gap = create(repo, NewIncident(title="four", at=AT))
    assert [p.stem for p in (first, second, other_day, after_gap)] == [
        "SYS-20261103-001",
        "SYS-20261103-002",
        "SYS-20261104-001",
        "SYS-20261103-003",
    ]


def test_time_zones_are_converted_to_utc_date(repo: Path) -> None:
    path = create(repo, NewIncident(title="late in New York", at="2026-11-03T22:30:00-05:00"))
    assert path.stem == "SYS-20261104-001"
    doc = load(path)
    assert doc.meta is not None
    assert doc.meta["occurred_at"] == "2026-11-04T03:30:00.000Z"


def test_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("precious", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_new(target, "new")
    assert target.read_text(encoding="utf-8") == "precious"
    assert sorted(os.listdir(tmp_path)) == ["a.md"]  # no temporary file left behind


@pytest.mark.slow
def test_concurrent_runs_get_distinct_ids(repo: Path) -> None:
    with ThreadPoolExecutor(8) as pool:
        paths = list(pool.map(lambda n: create(repo, NewIncident(title=f"n{n}", at=AT)), range(16)))
    assert len({p.name for p in paths}) == 16
    titles = sorted(load(p).meta["title"] for p in paths)  # type: ignore[index]
    assert titles == sorted(f"n{n}" for n in range(16))


@pytest.mark.parametrize(
    ("option", "text", "expected"),
    [
        ("severity", "P0", ("P0-Critical", None)),
        ("severity", "p3-low", ("P3-Low", None)),
        ("components", "nic", ("Network Interface Card (NIC)", None)),
        ("components", "Other: FPGA card", ("Other", "FPGA card")),
        ("failure_types", "kernel", ("Kernel Panic", None)),
    ],
)
def test_choices_accept_prefixes_and_other(
    schema: Schema, option: str, text: str, expected: tuple[str, str | None]
) -> None:
    field = schema.field(option)
    assert field is not None
    rule = schema.other_rule(option)
    assert resolve_choice(field, text, f"--{option}", rule.value if rule else None) == expected


@pytest.mark.parametrize("text", ["P", "Crash", "Quantum"])
def test_ambiguous_or_unknown_choice_lists_the_values(schema: Schema, text: str) -> None:
    field = schema.field("failure_types") if text != "P" else schema.field("severity")
    assert field is not None
    with pytest.raises(UsageError) as caught:
        resolve_choice(field, text, "--x")
    assert "choose one of" in str(caught.value)


def test_components_failure_types_and_other_land_in_the_file(repo: Path) -> None:
    path = create(
        repo,
        NewIncident(
            title="x",
            at=AT,
            severity="P0",
            components=["nic", "Other: FPGA card"],
            failure_types=["Kernel Panic", "hardware"],
        ),
    )
    doc = load(path)
    assert doc.meta is not None
    assert doc.meta["severity"] == "P0-Critical"
    assert doc.meta["components"] == ["Network Interface Card (NIC)", "Other"]
    assert doc.meta["components_other"] == "FPGA card"
    assert doc.meta["failure_types"] == ["Kernel Panic", "Hardware Fault"]
    assert validate(repo).problems == []


def test_capture_records_this_machine(repo: Path) -> None:
    path = create(repo, NewIncident(title="x", at=AT, capture=True))
    doc = load(path)
    assert doc.meta is not None
    system = doc.meta["system"]
    assert system["kernel_version"] == os.uname().release
    assert system["cpu_cores"] == os.cpu_count()
    assert system["total_ram_gb"] > 0
    assert validate(repo).problems == []


HOSTILE = [
    "yes",
    "# x",
    "- x",
    "*x",
    "{a: 1}",
    "'quoted'",
    '"dq"',
    "a: b",
    "line\nbreak",
    "tab\tx",
    "日本語のタイトル",
    "😀 emoji",
    "---",
    "...",
    "<script>alert(1)</script>",
    "%TAG",
    "  spaces  ",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_round_trip(repo: Path, title: str) -> None:
    path = create(repo, NewIncident(title=title, at=AT))
    doc = load(path)
    assert doc.problems == []
    assert doc.meta is not None
    assert doc.meta["title"] == title


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1, max_size=80).filter(
        lambda t: t.strip() != ""
    )
)
def test_any_title_round_trips(repo: Path, title: str) -> None:
    path = create(repo, NewIncident(title=title, at=AT))
    try:
        doc = load(path)
        assert doc.meta is not None, doc.problems
        assert doc.meta["title"] == title
    finally:
        path.unlink()


def test_cli_new_prints_the_path(repo: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "failurelog", "new", "--title", "NIC link flap", "--severity", "P1", "--at", AT],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "incidents/2026/SYS-20261103-001.md\n"


def test_cli_new_rejects_bad_values_without_traceback(repo: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "failurelog", "new", "--title", "x", "--severity", "P9"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("ERROR --severity 'P9' is not a value of Severity")
    assert "Traceback" not in result.stderr
    assert not list((repo / "incidents").rglob("*.md"))


def test_an_ambiguous_prefix_lists_only_the_values_it_matches(schema: Schema) -> None:
    field = schema.field("components")
    assert field is not None and field.choices
    prefix = "o"  # Operating System (Kernel), Other: more than one, fewer than all
    matching = [c for c in field.choices if c.casefold().startswith(prefix)]
    assert 1 < len(matching) < len(field.choices)
    with pytest.raises(UsageError) as caught:
        resolve_choice(field, prefix, "--component")
    listed = str(caught.value).split("choose one of:\n", 1)[1].splitlines()
    assert [line.strip() for line in listed] == matching
    assert f"matches {len(matching)} values" in str(caught.value)


def test_capture_says_what_it_recorded_and_warns_when_the_title_names_another_host(repo: Path) -> None:
    from failurelog.authoring.capture import capture

    here = str(capture().get("hostname", ""))
    assert here, "this machine's host name could not be read"
    other = "md-gw-03" if here != "md-gw-03" else "md-gw-04"
    notes: list[str] = []
    path = create(repo, NewIncident(title=f"NIC flap on {other}", capture=True), notes)
    assert any(note.startswith("captured from this machine:") and here in note for note in notes), notes
    assert any("warning" in note and other in note and "--host" in note for note in notes), notes
    text = path.read_text(encoding="utf-8")
    assert f"hostname: {here}" in text

    notes = []
    path = create(repo, NewIncident(title=f"NIC flap on {other}", capture=True, host=other), notes)
    text = path.read_text(encoding="utf-8")
    assert f"hostname: {other}" in text and "kernel_version" not in text.split("# ----")[0]
    assert any("not this machine" in note for note in notes), notes

    notes = []
    create(repo, NewIncident(title=f"Disk full on {here}", capture=True), notes)
    assert not any("warning" in note for note in notes), notes


def test_capture_reads_the_address_from_the_interfaces_not_name_resolution() -> None:
    from failurelog.authoring.capture import interface_addresses, primary_address

    addresses = interface_addresses()
    assert all(not value.startswith("127.") for value in addresses.values())
    found = primary_address()
    if addresses:  # a machine with a network interface: the captured address is one of its own
        assert found is not None and found[1] in addresses.values()
    else:
        assert found is None
