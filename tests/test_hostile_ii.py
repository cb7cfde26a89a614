"""Hardening II through the real CLI: bodies that hung or crashed the build, secrets behind YAML escapes,
numbers no system reports, site folders that held sources, unwritable folders.

Every run is bounded by a timeout, has no traceback, and (where it must
refuse) exits 1 with ``path:line:`` and leaves every file as it was.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli
from tests.test_hostile import GOOD, TARGET, run, snapshot
from tests.test_renumber import write

pytestmark = pytest.mark.slow

HEAD, _, _ = GOOD.decode("utf-8").partition("\n---\n")
SEVERITY = "severity: P1-High"


def with_front(extra: str) -> str:
    return HEAD.replace(SEVERITY, f"{SEVERITY}\n{extra}") + "\n---\n\n## Initial Symptoms\n\nFeed stopped.\n"


def with_body(body: str) -> str:
    return HEAD + "\n---\n\n## Initial Symptoms\n\n" + body + "\n"


BODY_LINE = with_body("x").split("\n").index("x") + 1
BODIES = {
    "line of <": ("<" * 900_000, "at most 20,000 on a line"),
    "nested brackets": ("[" * 50_000, "'[' in one paragraph"),
    "400 admonitions": ("".join("    " * i + "!!! note\n" for i in range(400)), "at most 8 levels"),
    "600-level list": ("".join("  " * i + "- x\n" for i in range(600)), "at most 8 levels"),
    "unclosed comments": ("<!--" * 200_000, "at most 20,000 on a line"),
    "unclosed tags": ("<a " * 5_000, "HTML tags in one paragraph"),
    "dense raw-HTML table": (
        "| a | b |\n|---|---|\n" + "| <b>x</b> | [y](z) |\n" * 1_600,
        "more than 1,000 HTML tags outside code in the body",
    ),
    "thousands of footnotes": ("".join(f"x[^{i}]\n\n[^{i}]: n\n\n" for i in range(600)), "more than 500 footnotes"),
    "thousands of nested items": (
        "".join("  " * (i % 8) + f"- item {i}\n" for i in range(3_200)),
        "more than 3,000 list items",
    ),
    "image in an admonition": ("!!! note\n    ![x](https://evil.invalid/p.png)", "image from another host"),
    "image in a footnote": ("x[^1]\n\n[^1]: ![y](//evil.invalid/q.png)", "image from another host"),
    "image by reference in a quote": ("> ![z][r]\n>\n> [r]: https://evil.invalid/r.png", "image from another host"),
    "raw img in a definition": ('Term\n:   <img src="https://evil.invalid/s.png">', "image from another host"),
}
FRONT = {
    "hex-escaped AWS key": ('note_x: "\\x41KIAIOSFODNN7EXAMPLQ"', "AWS access key id"),
    "unicode-escaped GitHub token": ('note_x: "\\u0067hp_abcdefghijklmnopqrstuvwxyz0123456789AB"', "GitHub token"),
    "escaped @ in a URL": ('note_x: "https://svc:hunter2pass\\x40db.invalid/x"', "password in a URL"),
    "line continuation": ('note_x: "password=Sup3r\\\n  Secr3t!"', "password"),
    ".inf": ("system:\n  total_ram_gb: .inf", "not a finite number"),
    ".nan": ("system:\n  total_ram_gb: .nan", "not a finite number"),
    "1e400": ("system:\n  total_ram_gb: 1e400", "not a finite number"),
    "400-digit integer": ("system:\n  cpu_cores: " + "9" * 400, "not a finite number"),
    "5000-digit hex": ("system:\n  cpu_cores: 0x" + "f" * 5000, "not a finite number"),
    "beyond the range": ("system:\n  total_ram_gb: 5000000", "greater than the maximum of 1048576"),
}


def _place(repo: Path, text: str) -> Path:
    target = repo / TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_body_is_refused_with_line_and_limit(repo: Path, kind: str) -> None:
    body, needle = BODIES[kind]
    _place(repo, with_body(body))
    before = snapshot(repo)
    result = run(repo, "validate")
    assert result.returncode == 1, result.stdout
    lines = [line for line in result.stdout.splitlines() if needle in line]
    assert lines and all(line.startswith(f"{TARGET}:") for line in lines), result.stdout[:500]
    assert int(lines[0].split(":")[1]) >= BODY_LINE
    assert snapshot(repo) == before


@pytest.mark.parametrize("kind", sorted(FRONT))
def test_front_matter_is_refused(repo: Path, kind: str) -> None:
    extra, needle = FRONT[kind]
    if extra.startswith("note_x"):
        text = with_front("").replace("title: Kernel panic on md-gw-03", "title: " + extra.split(": ", 1)[1])
        line = 3
    else:
        text = with_front(extra)
        line = text.split("\n").index(extra.split("\n")[-1]) + 1
    _place(repo, text)
    before = snapshot(repo)
    result = run(repo, "validate")
    assert result.returncode == 1
    assert any(s.startswith(f"{TARGET}:{line}: ") and needle in s for s in result.stdout.splitlines()), result.stdout
    assert snapshot(repo) == before
    for fmt in ("json", "csv"):
        exported = run(repo, "export", "--format", fmt)
        assert exported.returncode == 0
        assert "AKIAIOSFODNN7EXAMPLQ" not in exported.stdout and "hunter2pass" not in exported.stdout
        assert "ghp_abcdef" not in exported.stdout and "Secr3t" not in exported.stdout
        assert "NaN" not in exported.stdout and "Infinity" not in exported.stdout
        assert "left out" in exported.stderr


def _site_repo(repo: Path) -> Path:
    root = Path(__file__).resolve().parent.parent
    for name in ("mkdocs.yml", "scripts", "docs"):
        source = root / name
        if source.is_dir():
            import shutil

            shutil.copytree(source, repo / name)
        else:
            (repo / name).write_bytes(source.read_bytes())
    _place(repo, GOOD.decode("utf-8"))
    return repo


@pytest.mark.parametrize(
    "folder", ["incidents", "schema", "templates", "docs", ".", "incidents/2026/site", "..", "mine"]
)
def test_build_refuses_a_site_folder_that_holds_anything_else(repo: Path, folder: str) -> None:
    _site_repo(repo)
    (repo / "mine").mkdir()
    (repo / "mine" / "notes.txt").write_text("uncommitted work\n", encoding="utf-8")
    before = snapshot(repo)
    result = run(repo, "build", "--site-dir", folder)
    assert result.returncode == 2, result.stderr
    assert "--site-dir" in result.stderr
    assert snapshot(repo) == before


def test_build_reuses_its_own_site_folder(repo: Path) -> None:
    _site_repo(repo)
    assert run_cli(repo, "build", "--site-dir", "out", timeout=600).returncode == 0
    assert (repo / "out" / ".failurelog-site").is_file()
    # --force: with nothing changed the build would be skipped (site/uptodate.py), and this is about emptying
    assert run_cli(repo, "build", "--site-dir", "out", "--force", timeout=600).returncode == 0


def test_import_of_a_huge_number_is_refused_without_a_traceback(repo: Path, tmp_path: Path) -> None:
    form = Path(__file__).resolve().parent / "fixtures" / "forms" / "p0-kernel-panic-closed.txt"
    text = form.read_text(encoding="utf-8")
    huge = tmp_path / "huge.txt"
    import re

    huge.write_text(re.sub(r"(Total RAM:\s*)[^\n]*", lambda m: m.group(1) + "9" * 401, text, count=1), "utf-8")
    write(repo, "SYS-20251104-002")  # the form names it as a similar incident
    result = run(repo, "import", str(huge))  # no traceback (run checks), and whatever it wrote validates
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert "is not a valid Total RAM" in result.stderr or "Total RAM" in result.stdout
    assert run(repo, "validate").returncode == 0


def test_history_skips_an_unreadable_past_revision(repo: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "a@b.invalid")
    git("config", "user.name", "A")
    target = _place(repo, with_front("system:\n  cpu_cores: 0x" + "f" * 5000))
    git("add", "-A")
    git("commit", "-qm", "bad")
    target.write_text(with_front("system:\n  cpu_cores: 8"), encoding="utf-8")
    git("commit", "-qam", "fixed")
    result = run(repo, "history", "SYS-20261103-001")
    assert result.returncode == 0, result.stderr
    assert "not compared" in result.stdout or "unreadable" in result.stdout
    assert json.loads(run(repo, "history", "SYS-20261103-001", "--format", "json").stdout)


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC, errno.EACCES])
def test_unwritable_folder_or_full_disk_gives_a_message(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], code: int
) -> None:
    import tempfile

    from failurelog.cli.main import main

    def refuse(*args: object, dir: str = "", **kwargs: object) -> tuple[int, str]:
        raise OSError(code, os.strerror(code), dir)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    status = main(["--root", str(repo), "new", "--title", "x", "--at", "2026-11-03T10:00:00Z"])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err and os.strerror(code) in err and "incidents/2026" in err
    assert not [p for p in (repo / "incidents").rglob("*") if p.is_file()]


def test_control_characters_reach_the_terminal_escaped(repo: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "a@b.invalid")
    git("config", "user.name", "Eve \x1b]0;pwned\x07\x1b[31m")
    _place(repo, with_front(""))
    git("add", "-A")
    git("commit", "-qm", "msg \x1b[2J\x9b")
    shown = run(repo, "history", "SYS-20261103-001")
    assert shown.returncode == 0
    assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout and "\x9b" not in shown.stdout
    assert "\\x1b" in shown.stdout
    as_json = run(repo, "history", "SYS-20261103-001", "--format", "json")
    assert "\x1b" not in as_json.stdout and "\x9b" not in as_json.stdout
    _place(repo, with_front('"k\\0ey": 1\nnote_y: "\\e[31mred"'))
    checked = run(repo, "validate")
    assert checked.returncode == 1
    assert "\x00" not in checked.stdout and "\x1b" not in checked.stdout
    assert "\\x00" in checked.stdout and "control character U+001B" in checked.stdout
    exported = run(repo, "export", "--format", "csv")
    assert "\x1b" not in exported.stdout


def test_bidirectional_overrides_are_refused(repo: Path) -> None:
    _place(repo, with_front("").replace("title: Kernel panic on md-gw-03", 'title: "panic \u202eon 30-wg-dm"'))
    result = run(repo, "validate")
    assert result.returncode == 1
    assert f"{TARGET}:3: title: bidirectional control character U+202E" in result.stdout
    made = run(repo, "new", "--title", "x \u2066y", "--at", "2026-11-04T10:00:00Z")
    assert made.returncode == 2 and "U+2066" in made.stderr


def test_serve_refuses_a_bad_address(repo: Path) -> None:
    _site_repo(repo)
    for address in ("127.0.0.1:99999", "127.0.0.1:-1", "nonsense"):
        result = run(repo, "serve", "--dev-addr", address)
        assert result.returncode == 2 and "--dev-addr" in result.stderr, (address, result.stderr)
