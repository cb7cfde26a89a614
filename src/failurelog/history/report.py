"""Render an incident's history for an auditor: a text report, or JSON."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from failurelog.history.audit import FieldChange
from failurelog.history.gitread import Commit
from failurelog.history.read import ACTIONS, IncidentHistory, RepositoryHistory, Revision

_PLAIN = re.compile(r"[^\s\"'\[{(][^\n]*[^\s]|[^\s\"'\[{(]")
_WIDTH = 72


def show_value(value: Any, width: int = _WIDTH) -> str:
    """A value on one line: plain text as is, anything else as JSON; ``(empty)`` for none; long ones cut."""
    if value is None:
        return "(empty)"
    if isinstance(value, str) and _PLAIN.fullmatch(value) and " -> " not in value:
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def show_time(moment: datetime | None) -> str:
    """A timestamp in UTC to the minute."""
    return "unknown" if moment is None else f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def field_line(change: FieldChange) -> str:
    """``severity: P2-Medium -> P1-High``; long texts are shown around their first difference."""
    old, new = show_value(change.old), show_value(change.new)
    if old == new and isinstance(change.old, str) and isinstance(change.new, str):
        same = next(
            (i for i, (a, b) in enumerate(zip(change.old, change.new, strict=False)) if a != b),
            min(len(change.old), len(change.new)),
        )
        start = max(0, same - 20)
        old, new = ("…" + show_value(text[start:]) for text in (change.old, change.new))
    return f"{change.field}: {old} -> {new}"


def created_line(rev: Revision) -> str | None:
    """``created with 42 fields filled in`` for a first version, in place of a line per field."""
    if rev.filled is None or rev.action == "first-seen":
        return None
    return f"created with {rev.filled} field{'' if rev.filled == 1 else 's'} filled in"


def _who(commit: Commit) -> str:
    return f"{show_time(commit.authored_at)} by {commit.author} (commit {commit.short})"


def _revision_lines(rev: Revision) -> list[str]:
    commit = rev.commit
    if commit is None:
        head = f"  (not committed)  {rev.state} in the working tree"
    else:
        head = f"  {show_time(commit.authored_at)}  {commit.author}  commit {commit.short}  {commit.subject}"
    lines = [head]
    action = ACTIONS.get(rev.action, rev.action)
    if rev.old_path and rev.old_path != rev.path:
        action = f"{action}: {rev.old_path} -> {rev.path}"
    made = created_line(rev)
    if made is not None and not rev.old_path:
        lines.append(f"    {made}")
    elif rev.action != "uncommitted" or rev.old_path:
        lines.append(f"    {action}")
    if rev.note:
        lines.append(f"    note: {rev.note}")
    lines.extend(f"    {field_line(change)}" for change in rev.fields)
    if rev.sections:
        sections = ", ".join(f"{s.heading} ({s.kind})" for s in rev.sections)
        lines.append(f"    sections: {sections}")
    elif rev.compared and not rev.fields and not rev.note and (rev.commit is None or rev.old_blob != rev.new_blob):
        lines.append("    no field or section changed (formatting or comments only)")
    lines.extend(f"    FLAG {flag.title}: {flag.message}" for flag in rev.flags)
    return lines


def render_text(history: IncidentHistory, repository: RepositoryHistory) -> str:
    """The audit report of one incident: summary, change log newest first, then flags."""
    lines = [f"{history.id}  {history.path}{'  (deleted)' if history.deleted else ''}"]
    lines.extend(f"NOTE {notice}" for notice in repository.notices)
    former = [p for p in history.paths if p != history.path]
    if former:
        lines.append(f"Former paths:  {', '.join(former)}")
    created = history.created
    if created is not None and created.commit is not None:
        lines.append(f"Created:       {_who(created.commit)}")
    elif history.origin_unknown:
        lines.append(f"Created:       unknown ({history.origin_unknown})")
    else:
        lines.append("Created:       not committed yet")
    last = history.last_changed
    if last is not None and last.commit is not None:
        lines.append(f"Last changed:  {_who(last.commit)}")
    at_least = "at least " if history.origin_unknown else ""
    lines.append(f"Revisions:     {at_least}{history.revision_count}")
    people = ", ".join(f"{c.person} ({c.revisions})" for c in history.contributors)
    lines.append(f"Contributors:  {people or 'none yet'}")
    if history.uncommitted is not None:
        lines.append(f"Uncommitted:   {history.uncommitted.state} in the working tree")
    lines.append("")
    lines.append("Changes, newest first:")
    for rev in history.newest_first():
        lines.extend(_revision_lines(rev))
    lines.append("")
    flags = history.all_flags
    lines.append(f"Flags: {len(flags) or 'none'}")
    lines.extend(f"  {flag.title}: {flag.message}" for flag in flags)
    return "\n".join(lines) + "\n"


def render_json(history: IncidentHistory | None, repository: RepositoryHistory) -> str:
    """``{"available", "message", "shallow", "notices", "incident"}`` as indented JSON."""
    document = {
        "available": repository.available,
        "message": repository.message,
        "shallow": repository.shallow,
        "notices": repository.notices,
        "incident": history.as_dict() if history is not None else None,
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
