"""Git history as the audit trail: every incident's revisions, field by field, in one pass.

:func:`read_history` is the entry point for the CLI and the site. It reads the
whole log once (renames and moves followed), then the contents of the
revisions of the incidents asked for through one ``git cat-file --batch``, and
returns a :class:`RepositoryHistory` (see :mod:`failurelog.history.model`).
Nothing here raises for a missing git or a folder outside a repository: the
result carries the message instead.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from failurelog.core.schema import Schema, load_schema
from failurelog.history import gitread
from failurelog.history.audit import FieldChange, Flag, SectionChange, SignOff, Snapshot, diff_fields, diff_sections
from failurelog.history.audit import revision_flags as _revision_flags
from failurelog.history.audit import snapshot as _snapshot
from failurelog.history.model import (
    ACTIONS,
    Change,
    Contributor,
    IncidentHistory,
    RepositoryHistory,
    Revision,
)

__all__ = [
    "ACTIONS",
    "Change",
    "Contributor",
    "FieldChange",
    "Flag",
    "IncidentHistory",
    "RepositoryHistory",
    "Revision",
    "SectionChange",
    "read_history",
]


def _stem(path: str) -> str:
    """The id an incident path names: its file name without ``.md``."""
    return path.rpartition("/")[2].removesuffix(".md")


class _Lineages:
    """Follows each incident file through additions, edits, renames and deletions, in commit order."""

    def __init__(self) -> None:
        self.live: dict[str, IncidentHistory] = {}
        self.gone: dict[str, IncidentHistory] = {}
        self.all: list[IncidentHistory] = []

    def _new(self, path: str, origin_unknown: str | None = None) -> IncidentHistory:
        history = IncidentHistory(_stem(path), path, origin_unknown=origin_unknown)
        self.all.append(history)
        return history

    def apply(self, event: gitread.FileEvent) -> None:
        commit = event.commit
        history: IncidentHistory | None
        if event.status == "A":
            history = self.live.get(event.path)
            action = "modified"
            if history is None:
                history = self.gone.pop(_stem(event.path), None)
                action = "re-created"
            if history is None:
                unknown = "shallow clone: created before its oldest commit" if commit.boundary else None
                history = self._new(event.path, unknown)
                action = "first-seen" if commit.boundary else "created"
        elif event.status == "R":
            assert event.old_path is not None
            history = self.live.pop(event.old_path, None) or self.live.get(event.path)
            action = "renamed"
            if history is None:
                history = self._new(event.path, f"history before {event.old_path} was not found")
        else:
            history = self.live.get(event.path)
            action = "deleted" if event.status == "D" else "modified"
            if history is None:
                history = self._new(event.path, "history before this revision was not found")
        history.path = event.path
        history.id = _stem(event.path)
        history.deleted = event.status == "D"
        if event.status == "D":
            self.live.pop(event.path, None)
            self.gone[_stem(event.path)] = history
        else:
            self.live[event.path] = history
        history.revisions.append(
            Revision(action, event.path, commit, event.old_path, None, event.old_blob, event.new_blob)
        )

    def working(self, change: gitread.WorkingChange) -> None:
        lookup = change.old_path if change.state == "renamed" and change.old_path else change.path
        history = self.live.get(lookup) or self.live.get(change.path)
        if history is None:
            history = self._new(change.path)
            self.live[change.path] = history
        history.uncommitted = Revision("uncommitted", change.path, None, change.old_path, change.state)


def read_history(
    root: Path, *, only: Collection[str] | None = None, schema: Schema | None = None, now: datetime | None = None
) -> RepositoryHistory:
    """Read the history of every incident under ``root`` from git in one pass.

    Field and section changes and the sign-off flags need the file contents of
    every revision; ``only`` limits that work to some incident ids (all when
    None). ``schema`` supplies the sign-off fields (read from ``root`` when
    not given); ``now`` dates uncommitted changes (default: the current time).
    """
    info = gitread.probe(root)
    if isinstance(info, str):
        return RepositoryHistory(root, message=info)
    result = RepositoryHistory(root, shallow=info.shallow)
    if info.shallow:
        result.notices.append(gitread.SHALLOW_FIX)
    import git

    try:
        with gitread.open_repo(info) as repo:
            reader = gitread.BlobReader(repo, info)
            rules = SignOff.from_schema(schema if schema is not None else _schema(root))
            lineages, readable, commits, warnings = _committed(repo, info, reader, rules, every=only is None)
            for change in gitread.working_changes(repo, info):
                lineages.working(change)
            result.commits = commits
            result.notices.extend(warnings)
            result.incidents = _keyed(lineages.all)
            position = {id(history): index for index, history in enumerate(lineages.all)}
            when = now or datetime.now(UTC)
            for key, history in result.incidents.items():
                if only is None or key in only or history.id in only:
                    index = position[id(history)]
                    seen = readable[index] if index in readable else _analyse(history, reader, rules)
                    _analyse_pending(history, reader, rules, root, when, seen)
    except git.CommandError as exc:  # git vanished or failed half-way: still no exception for the caller
        return RepositoryHistory(root, message=f"git failed ({gitread.first_line(exc.stderr)}); history is omitted")
    for history in result.incidents.values():
        _incident_flags(history)
    return result


#: The last front matter that parsed of each history (by its place in ``_Lineages.all``), after its commits.
Readable = dict[int, dict[str, Any] | None]
#: The committed histories of a repository, by root: (key, lineages, readable, commits, warnings).
_COMMITTED: dict[Path, tuple[tuple[Any, ...], _Lineages, Readable, int, list[str]]] = {}


def _committed(
    repo: Any, info: gitread.GitInfo, reader: gitread.BlobReader, rules: SignOff, *, every: bool
) -> tuple[_Lineages, Readable, int, list[str]]:
    """Every incident's committed revisions, analysed when ``every``; read once per HEAD commit in a process.

    The log from one commit never changes, so with ``every`` the outcome is kept under the HEAD id (with the
    repository, its shallow boundary and the sign-off rules) and handed out as a copy: the working tree's
    changes are added to the copy by the caller, on every call.
    """
    top = gitread.head(repo) if every else None
    key = (info, top, rules)
    kept = _COMMITTED.get(info.root)
    if top is not None and kept is not None and kept[0] == key:
        return _handed_out(kept[1]), dict(kept[2]), kept[3], list(kept[4])
    log = gitread.read_log(repo, info)
    lineages = _Lineages()
    for event in log.events:
        lineages.apply(event)
    readable: Readable = {}
    if every:
        readable = {index: _analyse(history, reader, rules) for index, history in enumerate(lineages.all)}
    if top is not None:
        _COMMITTED[info.root] = (key, *copy.deepcopy((lineages, readable)), len(log.commits), list(log.warnings))
    return lineages, readable, len(log.commits), list(log.warnings)


def _handed_out(kept: _Lineages) -> _Lineages:
    """A copy of kept lineages for one call to add the working tree's changes and the flags to.

    Each history is copied with its lists of revisions and flags; the committed revisions themselves are
    shared: once analysed (every one, when kept) nothing changes them, and a call's uncommitted revision,
    flags and new lineages go into the copy. (A ``copy.deepcopy`` of everything cost about 1 s at 1,000.)
    """
    twin = {id(h): dataclasses.replace(h, revisions=list(h.revisions), flags=list(h.flags)) for h in kept.all}
    out = _Lineages()
    out.all = [twin[id(h)] for h in kept.all]
    out.live = {path: twin[id(h)] for path, h in kept.live.items()}
    out.gone = {stem: twin[id(h)] for stem, h in kept.gone.items()}
    return out


def _schema(root: Path) -> Schema | None:

    try:
        return load_schema(root)
    except (OSError, ValueError):
        return None


def _keyed(histories: list[IncidentHistory]) -> dict[str, IncidentHistory]:
    """By id; a second live file with the same id (a duplicate) is keyed by its path."""
    out: dict[str, IncidentHistory] = {}
    for history in sorted(histories, key=lambda h: (h.deleted, h.path)):
        out[history.id if history.id not in out else history.path] = history
    return out


def _analyse(history: IncidentHistory, reader: gitread.BlobReader, rules: SignOff) -> dict[str, Any] | None:
    """Fill in field and section changes and flags of every commit's revision, reading each blob once.

    Returns the last front matter that parsed (what an uncommitted change is compared with).
    """
    cache: tuple[str | None, Snapshot] = (None, Snapshot(None))
    readable: dict[str, Any] | None = None  # the last front matter that parsed

    def load(blob: str | None, path: str) -> Snapshot:
        nonlocal cache
        if blob is not None and blob == cache[0]:
            return cache[1]
        shot = _snapshot(reader.blob(blob) if blob else None, path)
        cache = (blob, shot)
        return shot

    for rev in history.revisions:
        rev.analysed = True
        if rev.action == "deleted" or rev.new_blob is None:
            continue
        before = load(rev.old_blob, rev.old_path or rev.path) if rev.old_blob else None
        after = load(rev.new_blob, rev.path)
        when = rev.commit.authored_at if rev.commit is not None else datetime.now(UTC)
        readable = _compare(history, rules, rev, before, after, readable, when)
    return readable


def _analyse_pending(
    history: IncidentHistory,
    reader: gitread.BlobReader,
    rules: SignOff,
    root: Path,
    now: datetime,
    readable: dict[str, Any] | None,
) -> None:
    """Fill in what the working tree's uncommitted change of ``history`` changed, dated ``now``."""
    pending = history.uncommitted
    if pending is not None and pending.state != "deleted":
        pending.analysed = True
        before_data = reader.at_head(pending.old_path or pending.path) if history.revisions else None
        before = _snapshot(before_data, pending.path) if before_data is not None else None
        try:
            file = root / pending.path
            after = (
                Snapshot(None, problem="a symbolic link, not compared")
                if file.is_symlink()
                else _snapshot(file.read_bytes(), pending.path)
            )
        except OSError as exc:
            after = Snapshot(None, problem=f"cannot read the working-tree file ({exc.strerror or exc})")
        _compare(history, rules, pending, before, after, readable, now)


def _compare(
    history: IncidentHistory,
    rules: SignOff,
    rev: Revision,
    before: Snapshot | None,
    after: Snapshot,
    readable: dict[str, Any] | None,
    when: datetime,
) -> dict[str, Any] | None:
    """Record what ``rev`` changed; return the newest readable front matter."""
    base = before.meta if before is not None and before.meta is not None else readable
    if before is not None and before.meta is None and readable is not None:
        rev.note = "front matter was unreadable at the previous revision; compared with the last readable one"
    if before is not None:
        rev.compared = True
        rev.sections = diff_sections(before.sections, after.sections)
    if after.meta is None:
        rev.note = f"front matter unreadable at this revision ({after.problem})"
        return readable
    if before is not None:
        rev.fields = diff_fields(base, after.meta)
    else:
        rev.filled = len(diff_fields(None, after.meta))
    commit = rev.commit
    rev.flags = _revision_flags(
        history.id,
        rules,
        base if before is not None else None,
        rev.fields,
        when,
        commit.sha if commit else None,
        str(commit.author) if commit else None,
    )
    return after.meta


def _incident_flags(history: IncidentHistory) -> None:
    last = history.last_changed
    if history.deleted and last is not None and last.commit is not None:
        commit = last.commit
        when = commit.authored_at.astimezone(UTC)
        history.flags.append(
            Flag(
                "deleted",
                history.id,
                f"{last.path} was deleted by {commit.author} on {when:%Y-%m-%d %H:%M} UTC "
                f"(commit {commit.short}: {commit.subject}); the incident is absent from the working tree",
                commit.sha,
                commit.authored_at,
                str(commit.author),
            )
        )
    pending = history.uncommitted
    if pending is not None:
        where = f"{pending.old_path} -> {pending.path}" if pending.old_path else pending.path
        never = " (never committed)" if not history.revisions else ""
        message = f"{where} is {pending.state} in the working tree{never}"
        history.flags.append(Flag("uncommitted", history.id, message))
