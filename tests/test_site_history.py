"""The audit trail on the site: each incident page's History section and the audit page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from failurelog.site.generate import prepare

from .history_helpers import BOB, GitRepo, incident

DRAFT = incident(
    "SYS-20261103-001",
    status="draft",
    severity="P2-Medium",
    title="NIC link flap <b>x</b>",
    sections={"Initial Symptoms": "Feed gaps on the A line."},
)


def test_incident_page_shows_its_history_and_the_audit_page_lists_it(repo: Path, tmp_path: Path) -> None:
    git = GitRepo(repo).init()
    git.write("incidents/2026/SYS-20261103-001.md", DRAFT)
    git.commit("Open SYS-20261103-001", "2026-11-03T09:00:00Z")
    git.write("incidents/2026/SYS-20261103-001.md", DRAFT.replace("severity: P2-Medium", "severity: P1-High"))
    git.commit("Raise severity: trading degraded", "2026-11-03T11:30:00Z", author=BOB)

    out = tmp_path / "docs"
    prepare(repo, today=date(2026, 11, 4), out=out)
    page = (out / "incidents/2026/SYS-20261103-001.md").read_text(encoding="utf-8")
    history = page.split("## History", 1)[1]
    assert "severity: P2-Medium -&gt; P1-High" in history
    assert "Bob Reviewer" in history and "Alice Example" in history
    assert history.index("Raise severity") < history.index("Open SYS-20261103-001")  # newest first
    assert "<th>Revisions</th> <td>2</td>" in history

    audit = (out / "audit/index.md").read_text(encoding="utf-8")
    assert "## Changes (2), newest first" in audit
    assert "## Flags (0)" in audit
    assert "[SYS-20261103-001](../incidents/2026/SYS-20261103-001.md)" in audit


def test_outside_git_the_pages_say_history_is_unavailable(repo: Path, tmp_path: Path) -> None:
    (repo / "incidents/2026").mkdir(parents=True)
    (repo / "incidents/2026/SYS-20261103-001.md").write_text(DRAFT, encoding="utf-8")
    out = tmp_path / "docs"
    prepare(repo, today=date(2026, 11, 4), out=out)
    page = (out / "incidents/2026/SYS-20261103-001.md").read_text(encoding="utf-8")
    assert '!!! note "No history"' in page.split("## History", 1)[1]
    assert '!!! note "No history"' in (out / "audit/index.md").read_text(encoding="utf-8")


def test_a_packed_refs_file_that_is_not_utf8_leaves_the_pages_built(repo: Path, tmp_path: Path) -> None:
    """git refuses a corrupt packed-refs line and quotes its bytes: the pages say so, bytes shown escaped."""
    git = GitRepo(repo).init()
    git.write("incidents/2026/SYS-20261103-001.md", DRAFT)
    git.commit("Open SYS-20261103-001", "2026-11-03T09:00:00Z")
    git.git("pack-refs", "--all")
    with (repo / ".git" / "packed-refs").open("ab") as refs:
        refs.write(b"\xff\xfe caf\xe9 not a ref\n")
    out = tmp_path / "docs"
    prepare(repo, today=date(2026, 11, 4), out=out)
    history = (out / "incidents/2026/SYS-20261103-001.md").read_text(encoding="utf-8").split("## History", 1)[1]
    assert '!!! note "No history"' in history
    assert "packed-refs" in history and r"\\xff\\xfe caf\\xe9" in history  # Markdown's escaped backslash
    assert "packed-refs" in (out / "audit/index.md").read_text(encoding="utf-8")
