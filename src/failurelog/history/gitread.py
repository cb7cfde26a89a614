"""Everything failurelog asks of git, in a fixed and small number of git processes.

One ``git rev-parse`` finds the repository, one ``git log --raw -M`` lists every
change under ``incidents/`` with the blob ids before and after it, one
``git status`` finds uncommitted work, and one long-lived ``git cat-file --batch``
(GitPython's persistent process, stopped when the :class:`git.Repo` closes)
serves the file contents. Never one git process per file or per commit.

Failures are data: :func:`probe` returns a message instead of raising when git
is missing or the folder is not a repository.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from failurelog.core.paths import INCIDENTS_DIR, is_incident_path

_ZERO = "0" * 40
_RECORD = "\x1e"
_UNIT = "\x1f"
#: commit, parents, author name, author email, author date, committer name, committer email, committer date, subject
_FORMAT = _RECORD + _UNIT.join(("%H", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%s"))
_NO_COMMITS = re.compile(r"does not have any commits yet|bad (default )?revision 'HEAD'|unknown revision.*HEAD")

SHALLOW_FIX = (
    "this is a shallow clone, so history before its oldest commit is missing and creation dates are unknown; "
    "fetch the full history (locally: git fetch --unshallow; in GitHub Actions: actions/checkout with "
    "fetch-depth: 0)"
)


@dataclass(frozen=True)
class Person:
    """A git identity as recorded in the commit (no mailmap applied)."""

    name: str
    email: str

    def __str__(self) -> str:
        """``Name <email>``, as git shows it."""
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True)
class Commit:
    """One commit that touched an incident file; ``index`` orders commits oldest first."""

    sha: str
    parents: tuple[str, ...]
    author: Person
    authored_at: datetime
    committer: Person
    committed_at: datetime
    subject: str
    index: int
    boundary: bool = False  # a shallow clone's oldest commit: its parents are not in this clone

    @property
    def short(self) -> str:
        """The abbreviated commit id."""
        return self.sha[:10]


@dataclass(frozen=True)
class FileEvent:
    """One incident file added, modified, renamed or deleted by one commit (paths relative to the root)."""

    commit: Commit
    status: str  # A, M, D or R (T and C are folded into M and A)
    path: str  # the path after the commit (for D, the path deleted)
    old_path: str | None = None  # for R: where the file was before
    old_blob: str | None = None
    new_blob: str | None = None
    similarity: int | None = None


@dataclass(frozen=True)
class WorkingChange:
    """An incident file whose working-tree state differs from HEAD."""

    path: str
    state: str  # modified, added, deleted, renamed or untracked
    old_path: str | None = None


@dataclass(frozen=True)
class GitInfo:
    """Where the repository is, relative to the failurelog root."""

    root: Path
    toplevel: Path
    prefix: str  # the failurelog root relative to the git top level, with a trailing "/" (or "")
    shallow: bool
    shallow_commits: frozenset[str] = frozenset()

    def relative(self, git_path: str) -> str | None:
        """A git path (relative to the top level) as a path relative to the root, or None if outside it."""
        if not git_path.startswith(self.prefix):
            return None
        return git_path[len(self.prefix) :]

    @property
    def pathspec(self) -> str:
        """The incidents folder as git sees it."""
        return f"{self.prefix}{INCIDENTS_DIR.as_posix()}"


@dataclass
class GitLog:
    """Every commit touching incident files, oldest first, and their file events in commit order."""

    commits: list[Commit] = field(default_factory=list)
    events: list[FileEvent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def first_line(text: Any) -> str:
    r"""The first non-blank line of a git message (bytes or text), without GitPython's ``stderr: '...'`` wrapping.

    Bytes that are not UTF-8 (git quotes a corrupt ``.git/packed-refs`` line as it found it; GitPython keeps
    them as surrogate escapes) are shown as ``\xff``, so the message can be printed and written to a page.
    """
    if isinstance(text, str):
        try:
            text = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
            text = text.encode("utf-8", "backslashreplace")
    if isinstance(text, bytes):
        text = text.decode("utf-8", "backslashreplace")
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    line = lines[0] if lines else ""
    if line.startswith("stderr: '"):
        line = line.removeprefix("stderr: '").removesuffix("'")
    return line.removeprefix("fatal: ")


def probe(root: Path) -> GitInfo | str:
    """Find the git repository holding ``root``; a message (not an exception) when there is none."""
    try:
        import git
    except ImportError as exc:  # GitPython refuses to import without a git executable
        return f"git is not available ({first_line(exc)}); history is omitted"
    try:
        out = git.Git(str(root)).rev_parse(
            "--show-toplevel",
            "--show-prefix",
            "--is-shallow-repository",
            "--git-path",
            "shallow",
            strip_newline_in_stdout=False,
        )
    except git.GitCommandNotFound:
        return "git is not installed (or not on PATH); history is omitted"
    except git.GitCommandError as exc:
        reason = first_line(exc.stderr)
        if "not a git repository" in reason:
            return f"{root} is not inside a git repository, so there is no history to show; history is omitted"
        return f"git cannot read the repository ({reason}); history is omitted"
    lines = str(out).split("\n")
    if len(lines) < 4:
        return f"unexpected answer from git rev-parse ({out!r}); history is omitted"
    shallow = lines[2].strip() == "true"
    commits: frozenset[str] = frozenset()
    if shallow:
        shallow_file = Path(root) / lines[3].strip()
        try:
            commits = frozenset(shallow_file.read_text(encoding="ascii").split())
        except OSError:
            commits = frozenset()
    return GitInfo(
        root=root, toplevel=Path(lines[0].strip()), prefix=lines[1].strip(), shallow=shallow, shallow_commits=commits
    )


@contextmanager
def open_repo(info: GitInfo) -> Iterator[Any]:
    """A :class:`git.Repo` that is closed (its cat-file processes stopped) on exit."""
    import git

    with git.Repo(str(info.toplevel)) as repo:
        yield repo


def read_log(repo: Any, info: GitInfo) -> GitLog:
    """One ``git log`` over ``incidents/`` with renames followed; commits oldest first."""
    import git

    args = [
        "--raw",
        "--no-abbrev",
        "-z",
        "-M",
        "--topo-order",
        "--reverse",
        "--no-color",
        "--no-show-signature",
        f"--format={_FORMAT}",
        "HEAD",
        "--",
        info.pathspec,
    ]
    try:
        _status, out, err = repo.git.log(*args, with_extended_output=True, stdout_as_string=False)
    except git.GitCommandError as exc:
        if _NO_COMMITS.search(str(exc.stderr)):
            return GitLog()
        raise
    log = parse_log(out, info)
    warning = first_line(err)
    if warning:
        log.warnings.append(f"git log: {warning}")
    return log


def parse_log(raw: bytes, info: GitInfo) -> GitLog:
    """Parse ``git log --raw -z`` output in :data:`_FORMAT` into commits and incident-file events."""
    log = GitLog()
    for chunk in raw.decode("utf-8", "replace").split(_RECORD)[1:]:
        header, _, changes = chunk.partition("\0")
        sha, parents, a_name, a_mail, a_date, c_name, c_mail, c_date, subject = header.split(_UNIT, 8)
        commit = Commit(
            sha=sha,
            parents=tuple(parents.split()),
            author=Person(a_name, a_mail),
            authored_at=datetime.fromisoformat(a_date),
            committer=Person(c_name, c_mail),
            committed_at=datetime.fromisoformat(c_date),
            subject=subject,
            index=len(log.commits),
            boundary=sha in info.shallow_commits,
        )
        log.commits.append(commit)
        log.events.extend(_events(commit, changes.lstrip("\n").split("\0"), info))
    return log


def _events(commit: Commit, tokens: list[str], info: GitInfo) -> Iterator[FileEvent]:
    position = 0
    while position < len(tokens):
        meta = tokens[position]
        if not meta.startswith(":"):
            position += 1
            continue
        _old_mode, _new_mode, old_blob, new_blob, status = meta[1:].split(" ", 4)
        letter, score = status[:1], status[1:]
        two_paths = letter in "RC"
        paths = tokens[position + 1 : position + (3 if two_paths else 2)]
        position += 3 if two_paths else 2
        event = _event(commit, letter, score, paths, old_blob, new_blob, info)
        if event is not None:
            yield event


def _event(
    commit: Commit, letter: str, score: str, paths: list[str], old_blob: str, new_blob: str, info: GitInfo
) -> FileEvent | None:
    rel = [info.relative(p) for p in paths]
    old = None if old_blob == _ZERO else old_blob
    new = None if new_blob == _ZERO else new_blob
    if letter in "RC":
        source, target = rel[0], rel[1]
        source_ok = source is not None and is_incident_path(source)
        target_ok = target is not None and is_incident_path(target)
        if letter == "R" and source_ok and target_ok:
            return FileEvent(commit, "R", str(target), str(source), old, new, int(score or 0))
        if target_ok:  # copied, or renamed in from a non-incident name: a new incident here
            return FileEvent(commit, "A", str(target), None, None, new)
        if letter == "R" and source_ok:  # renamed away to a non-incident name: gone from incidents
            return FileEvent(commit, "D", str(source), None, old, None)
        return None
    path = rel[0]
    if path is None or not is_incident_path(path):
        return None
    if letter == "A":
        return FileEvent(commit, "A", path, None, None, new)
    if letter == "D":
        return FileEvent(commit, "D", path, None, old, None)
    return FileEvent(commit, "M", path, None, old, new)  # M, T (type change), U


def working_changes(repo: Any, info: GitInfo) -> list[WorkingChange]:
    """Incident files whose working tree or index differs from HEAD, from one ``git status``."""
    out = repo.git.status(
        "--porcelain=v1", "-z", "--untracked-files=all", "--renames", "--", info.pathspec, strip_newline_in_stdout=False
    )
    tokens = str(out).split("\0")
    changes: list[WorkingChange] = []
    position = 0
    while position < len(tokens):
        entry = tokens[position]
        position += 1
        if len(entry) < 4:
            continue
        xy, git_path = entry[:2], entry[3:]
        old_git_path = None
        if "R" in xy or "C" in xy:
            old_git_path = tokens[position]
            position += 1
        path = info.relative(git_path)
        if path is None or not is_incident_path(path):
            continue
        if xy == "??":
            state = "untracked"
        elif "D" in xy:
            state = "deleted"
        elif "R" in xy:
            state = "renamed"
        elif "A" in xy:
            state = "added"
        else:
            state = "modified"
        old_path = info.relative(old_git_path) if old_git_path is not None else None
        changes.append(WorkingChange(path, state, old_path))
    return changes


class BlobReader:
    """File contents by blob id or ``REV:path``, through one persistent ``git cat-file --batch``."""

    def __init__(self, repo: Any, info: GitInfo) -> None:
        """Read through ``repo`` (an open :class:`git.Repo`)."""
        self._git = repo.git
        self._info = info
        self.requests = 0

    def blob(self, ref: str) -> bytes | None:
        """The bytes of a blob, or None when this clone does not hold it."""
        self.requests += 1
        try:
            _sha, kind, _size, data = self._git.get_object_data(ref)
        except ValueError:  # "missing" (a shallow or partial clone)
            return None
        return bytes(data) if kind in (b"blob", "blob") else None

    def at_head(self, path: str) -> bytes | None:
        """The committed content of ``path`` (relative to the root) at HEAD."""
        return self.blob(f"HEAD:{self._info.prefix}{path}")


def head(repo: Any) -> str | None:
    """The commit HEAD names, read from the ref files (no git process), or None before the first commit."""
    from git.refs.symbolic import SymbolicReference

    try:
        found = SymbolicReference.dereference_recursive(repo, "HEAD")
    except (ValueError, OSError):
        return None
    return str(found) or None
