"""Reading incident files: encodings, front-matter shapes, YAML traps, hostile sizes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from failurelog.core import yamlio
from failurelog.core.loader import MAX_BYTES, load
from failurelog.validate.run import validate

GOOD = (
    "---\nid: SYS-20261103-001\ntitle: Kernel panic\noccurred_at: '2026-11-03T14:22:07.123Z'\n"
    "status: draft\nseverity: P1-High\n---\n\n## Initial Symptoms\n\nFeed stopped.\n"
)


def write(repo: Path, data: bytes, name: str = "SYS-20261103-001.md") -> Path:
    path = repo / "incidents" / "2026" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "line", "needle"),
    [
        (b"\xef\xbb\xbf" + GOOD.encode(), 1, "byte-order mark"),
        (GOOD.replace("\n", "\r\n").encode(), 1, "CRLF"),
        (GOOD.encode().replace(b"Kernel panic", b"Kernel \xff panic"), 3, "not valid UTF-8"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00" * 10, 1, "binary file"),
        (GOOD.encode() + b"\n## Error Messages\n\n\x00\n", 15, "binary file"),
    ],
    ids=["bom", "crlf", "latin1-byte", "elf-binary", "nul-in-body"],
)
def test_unreadable_bytes_are_reported_with_line(repo: Path, data: bytes, line: int, needle: str) -> None:
    path = write(repo, data)
    before = path.read_bytes()
    report = validate(repo)
    assert [(p.line, needle in p.message) for p in report.problems] == [(line, True)]
    assert path.read_bytes() == before  # validation never changes a file


def test_oversized_file_is_refused_unread(repo: Path) -> None:
    write(repo, GOOD.encode() + b"x" * (MAX_BYTES + 10))
    report = validate(repo)
    assert len(report.problems) == 1
    assert "at most 1 MiB" in report.problems[0].message


def test_alias_bomb_fails_fast(repo: Path) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    bomb = "---\n" + "\n".join(levels) + "\n---\n"
    write(repo, bomb.encode())
    start = time.perf_counter()
    report = validate(repo)
    elapsed = time.perf_counter() - start
    assert report.problems and all("aliases" in p.message for p in report.problems)
    assert elapsed < 5, f"alias bomb took {elapsed:.1f} s"  # a naive walk takes minutes


def test_deep_nesting_is_refused(repo: Path) -> None:
    deep = "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n"
    write(repo, deep.encode())
    report = validate(repo)
    assert len(report.problems) == 1
    assert report.problems[0].message.startswith(("nested deeper", "invalid YAML"))


def test_symlink_outside_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text(GOOD, encoding="utf-8")
    link = repo / "incidents" / "2026" / "SYS-20261103-001.md"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    report = validate(repo)
    assert [p.message.startswith("symbolic link points outside") for p in report.problems] == [True]


def test_line_map_points_at_keys_and_items(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text(GOOD.replace("severity: P1-High\n", "severity: P1-High\ncomponents:\n  - Motherboard\n"))
    doc = load(path)
    assert doc.meta is not None
    assert doc.lines[("id",)] == 2
    assert doc.lines[("components",)] == 7
    assert doc.lines[("components", 0)] == 8
    assert doc.body_line == 11
    assert doc.body.startswith("## Initial Symptoms")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("NO", "NO"),
        ("on", "on"),
        ("12:30", "12:30"),
        ("2026-12-01", "2026-12-01"),
        ("012", 12),
        ("0o17", 15),
        ("0x1f", 31),
        ("1.5e3", 1500.0),
        ("true", True),
        ("~", None),
        ("'yes'", "yes"),
    ],
)
def test_yaml_12_core_scalars(text: str, value: object) -> None:
    parsed = yamlio.parse(f"k: {text}\n")
    assert parsed.problems == []
    assert parsed.data == {"k": value}


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "# x",
        "- x",
        "*x",
        "{a: 1}",
        "&a",
        "!tag",
        "%x",
        "@x",
        "`x",
        "0o17",
        "12:30",
        "2026-12-01",
        "null",
        "",
        " lead",
        "trail ",
        "a: b",
        'quote\'s "both"',
        "日本語",
        "😀 emoji",
        "line\nbreak",
        "tab\there",
        "\u2028sep",
    ],
)
def test_dump_value_reads_back_equal(value: str) -> None:
    dumped = yamlio.dump_value(value)
    assert "\n" not in dumped
    assert yamlio.parse(f"k: {dumped}\n").data == {"k": value}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("title: Disk full: /var at 100%\n", 1, "a value containing ': ' needs quotes"),
        ("system:\n\thostname: md-gw-03\n", 2, "tabs are not allowed in YAML; indent with spaces"),
        ('title: "unclosed\nstatus: draft\n', 1, "a quoted value is not closed"),
        ("system:\n  hostname: a\n ip_address: b\n", 3, "not indented like the keys around it"),
        ("title: @oncall paged\n", 1, "put the whole value in quotes"),
        ("components: [NIC, Firmware\nstatus: draft\n", 1, "a [ list ] is not closed"),
    ],
)
def test_yaml_errors_say_what_to_change_with_line_and_column(text: str, line: int, words: str) -> None:
    from failurelog.core.yamlio import parse

    problems = parse(text).problems
    assert len(problems) == 1
    assert problems[0].line == line
    assert words in problems[0].message and "column " in problems[0].message, problems[0].message
    assert "(YAML: " in problems[0].message  # PyYAML's own words are kept for whoever wants them
