"""The audit trail as data: revisions, per-incident histories and the repository-wide view.

Built by :func:`failurelog.history.read.read_history`; the CLI and the site render
these objects (``as_dict`` gives the JSON form).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from failurelog.history.audit import FieldChange, Flag, SectionChange
from failurelog.history.gitread import Commit, Person

#: What each :attr:`Revision.action` means to a reader.
ACTIONS = {
    "created": "created",
    "first-seen": "first seen (created before this shallow clone's oldest commit)",
    "re-created": "re-created after deletion",
    "modified": "modified",
    "renamed": "renamed or moved",
    "deleted": "deleted",
    "uncommitted": "uncommitted changes",
}


@dataclass
class Revision:
    """One change to one incident: a commit, or (``commit`` None) the uncommitted working tree."""

    action: str  # a key of ACTIONS
    path: str
    commit: Commit | None = None
    old_path: str | None = None
    state: str | None = None  # for uncommitted: modified, added, deleted, renamed or untracked
    old_blob: str | None = field(default=None, repr=False)
    new_blob: str | None = field(default=None, repr=False)
    fields: list[FieldChange] = field(default_factory=list)
    sections: list[SectionChange] = field(default_factory=list)
    note: str | None = None  # e.g. the front matter was unreadable at this revision
    flags: list[Flag] = field(default_factory=list)
    analysed: bool = False  # contents were read (see read_history's ``only``)
    compared: bool = False  # a previous version existed to compare with
    filled: int | None = None  # at creation: how many fields the first version filled in

    @property
    def author(self) -> Person | None:
        """Who made the change (None when uncommitted)."""
        return self.commit.author if self.commit else None

    @property
    def when(self) -> datetime | None:
        """The author date (None when uncommitted)."""
        return self.commit.authored_at if self.commit else None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        commit = self.commit
        return {
            "action": self.action,
            "path": self.path,
            "old_path": self.old_path,
            "commit": commit.sha if commit else None,
            "author": {"name": commit.author.name, "email": commit.author.email} if commit else None,
            "authored_at": commit.authored_at.isoformat() if commit else None,
            "committed_at": commit.committed_at.isoformat() if commit else None,
            "subject": commit.subject if commit else None,
            "uncommitted": self.state,
            "fields": [c.as_dict() for c in self.fields] if self.analysed else None,
            "sections": [s.as_dict() for s in self.sections] if self.analysed else None,
            "filled": self.filled,
            "note": self.note,
            "flags": [f.as_dict() for f in self.flags],
        }


@dataclass(frozen=True)
class Contributor:
    """Someone who authored revisions of an incident."""

    person: Person
    revisions: int
    first: datetime
    last: datetime


@dataclass
class IncidentHistory:
    """The history of one incident (followed across renames), oldest revision first."""

    id: str
    path: str  # where it is now (or was last, if deleted)
    revisions: list[Revision] = field(default_factory=list)
    uncommitted: Revision | None = None
    deleted: bool = False
    origin_unknown: str | None = None  # why the creation is not known (a shallow clone)
    flags: list[Flag] = field(default_factory=list)  # incident-level: deleted, uncommitted

    @property
    def created(self) -> Revision | None:
        """The revision that created the file; None when unknown (shallow clone) or never committed."""
        if self.origin_unknown or not self.revisions:
            return None
        return self.revisions[0]

    @property
    def last_changed(self) -> Revision | None:
        """The newest committed revision."""
        return self.revisions[-1] if self.revisions else None

    @property
    def revision_count(self) -> int:
        """Commits that touched the file (a lower bound when :attr:`origin_unknown`)."""
        return len(self.revisions)

    @property
    def paths(self) -> list[str]:
        """Every path the file had, oldest first."""
        out: list[str] = []
        for rev in self.revisions + ([self.uncommitted] if self.uncommitted else []):
            for path in (rev.old_path, rev.path):
                if path and path not in out:
                    out.append(path)
        return out

    @property
    def contributors(self) -> list[Contributor]:
        """Authors in order of their first revision."""
        seen: dict[Person, list[datetime]] = {}
        for rev in self.revisions:
            if rev.commit is not None:
                seen.setdefault(rev.commit.author, []).append(rev.commit.authored_at)
        return [Contributor(p, len(d), min(d), max(d)) for p, d in seen.items()]

    def newest_first(self) -> list[Revision]:
        """The change log for display: uncommitted work first, then commits newest first."""
        return ([self.uncommitted] if self.uncommitted else []) + self.revisions[::-1]

    @property
    def all_flags(self) -> list[Flag]:
        """Incident-level flags, then the flags of each revision, newest first."""
        return self.flags + [f for rev in self.newest_first() for f in rev.flags]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        created, last = self.created, self.last_changed
        return {
            "id": self.id,
            "path": self.path,
            "paths": self.paths,
            "deleted": self.deleted,
            "created": _summary(created),
            "origin_unknown": self.origin_unknown,
            "last_changed": _summary(last),
            "revisions": self.revision_count,
            "contributors": [
                {
                    "name": c.person.name,
                    "email": c.person.email,
                    "revisions": c.revisions,
                    "first": c.first.isoformat(),
                    "last": c.last.isoformat(),
                }
                for c in self.contributors
            ],
            "uncommitted": self.uncommitted.state if self.uncommitted else None,
            "changes": [rev.as_dict() for rev in self.newest_first()],
            "flags": [f.as_dict() for f in self.all_flags],
        }


def _summary(rev: Revision | None) -> dict[str, Any] | None:
    if rev is None or rev.commit is None:
        return None
    return {
        "commit": rev.commit.sha,
        "author": rev.commit.author.name,
        "email": rev.commit.author.email,
        "date": rev.commit.authored_at.isoformat(),
    }


@dataclass(frozen=True)
class Change:
    """One entry of the repository-wide audit list: a revision of an incident."""

    incident: IncidentHistory
    revision: Revision


@dataclass
class RepositoryHistory:
    """History of every incident, or (``message`` set) the reason there is none."""

    root: Path
    message: str | None = None
    shallow: bool = False
    notices: list[str] = field(default_factory=list)
    incidents: dict[str, IncidentHistory] = field(default_factory=dict)
    commits: int = 0

    @property
    def available(self) -> bool:
        """False outside a git repository or without git."""
        return self.message is None

    def get(self, incident_id: str) -> IncidentHistory | None:
        """The history of an incident by id (or by its path, current or former)."""
        if incident_id in self.incidents:
            return self.incidents[incident_id]
        wanted = PurePosixPath(incident_id).as_posix()
        for history in self.incidents.values():
            if wanted in history.paths or (wanted.endswith(".md") and PurePosixPath(wanted).stem == history.id):
                return history
        return None

    def renamed_from(self, incident_id: str) -> IncidentHistory | None:
        """The incident whose file once had the name ``incident_id``.md but now has another id (a renumber)."""
        for history in self.incidents.values():
            if history.id != incident_id and any(PurePosixPath(p).stem == incident_id for p in history.paths):
                return history
        return None

    def changes(self) -> list[Change]:
        """Every change across the repository, newest first (uncommitted work on top)."""
        pending = [Change(h, h.uncommitted) for h in self.incidents.values() if h.uncommitted]
        committed = [Change(h, rev) for h in self.incidents.values() for rev in h.revisions]
        committed.sort(key=lambda c: (c.revision.commit.index if c.revision.commit else 0, c.incident.id), reverse=True)
        return sorted(pending, key=lambda c: c.incident.id) + committed

    def flags(self) -> list[Flag]:
        """Every flag across the repository, by incident id."""
        return [f for key in sorted(self.incidents) for f in self.incidents[key].all_flags]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form of the whole repository's history."""
        return {
            "available": self.available,
            "message": self.message,
            "shallow": self.shallow,
            "notices": self.notices,
            "commits": self.commits,
            "incidents": {key: h.as_dict() for key, h in sorted(self.incidents.items())},
        }
