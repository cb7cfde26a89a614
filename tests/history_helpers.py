"""Real git repositories with fixed authors and dates, for the history tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ALICE = ("Alice Example", "alice@example.com")
BOB = ("Bob Reviewer", "bob@example.com")
CAROL = ("Carol Manager", "carol@example.com")


def git_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """An environment free of the user's and the system's git configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "LC_ALL": "C",
        }
    )
    env.update(extra or {})
    return env


class GitRepo:
    """A failurelog repository under git; every commit gets the author and the date it is given."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=git_env(env), check=True, capture_output=True, text=True
        )
        return done.stdout

    def init(self) -> GitRepo:
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Default User")
        self.git("config", "user.email", "default@example.com")
        self.git("config", "commit.gpgsign", "false")
        return self

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def move(self, source: str, target: str) -> None:
        """``git mv`` into a folder that may not exist yet."""
        (self.root / target).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", source, target)

    def commit(self, message: str, when: str, author: tuple[str, str] = ALICE) -> str:
        """Stage everything and commit it as ``author`` at ``when`` (ISO 8601); the commit id."""
        self.git("add", "-A")
        dates = {
            "GIT_AUTHOR_NAME": author[0],
            "GIT_AUTHOR_EMAIL": author[1],
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_NAME": author[0],
            "GIT_COMMITTER_EMAIL": author[1],
            "GIT_COMMITTER_DATE": when,
        }
        self.git("commit", "-q", "--no-verify", "-m", message, env=dates)
        return self.git("rev-parse", "HEAD").strip()


def incident(
    incident_id: str,
    *,
    status: str = "investigating",
    severity: str = "P2-Medium",
    title: str = "Order gateway segfault",
    extra: str = "",
    sections: dict[str, str] | None = None,
) -> str:
    """A small incident file: the required fields, ``extra`` YAML lines, and ``##`` sections."""
    day = incident_id[4:12]
    occurred = f"{day[:4]}-{day[4:6]}-{day[6:]}T08:00:00.000Z"
    front = (
        f"---\nid: {incident_id}\ntitle: {title}\noccurred_at: '{occurred}'\n"
        f"status: {status}\nseverity: {severity}\n{extra}schema_version: 2\n---\n"
    )
    body = "".join(f"\n## {heading}\n\n{text}\n" for heading, text in (sections or {}).items())
    return front + body


def signed(*, analyzed: str | None = None, reviewed: str | None = None, approved: str | None = None) -> str:
    """A ``sign_off`` block with the given signature dates (YYYY-MM-DD)."""
    lines = ["sign_off:"]
    for key, day, who in (
        ("analyzed_by", analyzed, ALICE[0]),
        ("reviewed_by", reviewed, BOB[0]),
        ("approved_by", approved, CAROL[0]),
    ):
        if day:
            lines += [f"  {key}:", f"    name: {who}", f"    date: '{day}'"]
    return "\n".join(lines) + "\n"
