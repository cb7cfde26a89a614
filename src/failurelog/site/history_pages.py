"""The audit trail on the site: a History section per incident and the audit page.

Pure functions of the history read once per build by
:func:`failurelog.history.read.read_history` (kept on the build context); every
piece of user or commit text is escaped for Markdown.
"""

from __future__ import annotations

from collections.abc import Callable

from failurelog.history.audit import Flag
from failurelog.history.model import ACTIONS, Change, IncidentHistory, RepositoryHistory, Revision
from failurelog.history.report import created_line, field_line, show_time
from failurelog.model.incident import Incident
from failurelog.site import html as h
from failurelog.site import markup as m
from failurelog.site.context import AUDIT, Context
from failurelog.site.paging import Listing, pages_of


def _notices(history: RepositoryHistory) -> list[str]:
    """Why the history is missing or partial, as admonitions."""
    if not history.available:
        return [f'!!! note "No history"\n    {m.text(history.message or "git history is not available")}']
    return [f'!!! warning "Partial history"\n    {m.text(notice)}' for notice in history.notices]


def _revision(rev: Revision) -> str:
    """One change-log entry: when, who, commit, what happened, then its field and section changes."""
    commit = rev.commit
    action = created_line(rev) or ACTIONS.get(rev.action, rev.action)
    if rev.old_path and rev.old_path != rev.path:
        action += f": {rev.old_path} -> {rev.path}"
    if commit is None:
        head = f"**not committed** ({m.text(rev.state or 'changed')} in the working tree)"
    else:
        head = (
            f"**{show_time(commit.authored_at)}** · {m.text(commit.author.name)} · "
            f"`{commit.short}` · {m.text(commit.subject)}"
        )
    lines = [f"- {head} · {m.text(action)}"]
    if rev.note:
        lines.append(f"    - {m.text(rev.note)}")
    lines.extend(f"    - {m.text(field_line(change))}" for change in rev.fields)
    if rev.sections:
        lines.append("    - sections: " + m.text(", ".join(f"{s.heading} ({s.kind})" for s in rev.sections)))
    lines.extend(f"    - **{m.text(flag.title)}**: {m.text(flag.message)}" for flag in rev.flags)
    return "\n".join(lines)


def _summary(history: IncidentHistory) -> list[list[str]]:
    created = history.created
    if created is not None and created.commit is not None:
        made = f"{show_time(created.commit.authored_at)} by {created.commit.author.name} ({created.commit.short})"
    else:
        made = f"unknown ({history.origin_unknown})" if history.origin_unknown else "not committed yet"
    last = history.last_changed
    changed = (
        f"{show_time(last.commit.authored_at)} by {last.commit.author.name} ({last.commit.short})"
        if last is not None and last.commit is not None
        else ""
    )
    people = ", ".join(f"{c.person.name} ({c.revisions})" for c in history.contributors)
    revisions = f"{'at least ' if history.origin_unknown else ''}{history.revision_count}"
    rows = [["Created", made], ["Last changed", changed], ["Revisions", revisions], ["Contributors", people]]
    return [[label, h.esc(value)] for label, value in rows if value]


def history_section(ctx: Context, incident: Incident) -> str:
    """The ``## History`` section of an incident page ("" when the build read no history)."""
    history, mine = ctx.history_of(incident.id)
    if history is None:
        return ""
    parts = ["## History", *_notices(history)]
    if history.available and mine is None:
        parts.append("Not committed yet.")
    if mine is not None:
        parts.append(h.block("history", h.table(_summary(mine), row_headers=True)))
        for flag in mine.all_flags:
            parts.append(f'!!! danger "{m.attr(flag.title)}"\n    {m.text(flag.message)}')
        parts.append("\n".join(_revision(rev) for rev in mine.newest_first()))
    parts.append(f"Every change in the repository: {m.link('audit trail', AUDIT, incident.page)}.")
    return "\n\n".join(parts)


def _flag_row(ctx: Context) -> Callable[[Flag, str], list[str]]:
    def row(flag: Flag, here: str) -> list[str]:
        target = ctx.model.by_id.get(flag.incident)
        name = m.link(flag.incident, target.page, here) if target is not None else m.text(flag.incident)
        when = m.cell(show_time(flag.at) if flag.at else "")
        return [name, m.cell(flag.title), m.cell(flag.message), when, m.cell(flag.author or "")]

    return row


def _change_row(ctx: Context) -> Callable[[Change, str], list[str]]:
    def row(change: Change, here: str) -> list[str]:
        rev, incident = change.revision, change.incident
        target = ctx.model.by_id.get(incident.id)
        name = m.link(incident.id, target.page, here) if target is not None else m.text(incident.id)
        commit = rev.commit
        when = show_time(commit.authored_at) if commit is not None else "not committed"
        who = commit.author.name if commit is not None else ""
        what = [f.field for f in rev.fields[:6]] + (["…"] if len(rev.fields) > 6 else [])
        summary = ACTIONS.get(rev.action, rev.action) + (f": {', '.join(what)}" if what else "")
        flags = ", ".join(f.title for f in rev.flags)
        return [m.cell(when), name, m.cell(who), m.cell(commit.short if commit else ""), m.cell(summary), m.cell(flags)]

    return row


#: Where the later pages of the audit page's lists go (``AUDIT_PAGES/changes/page-2.md``).
AUDIT_PAGES = AUDIT.removesuffix(".md")


def audit_listings(ctx: Context) -> tuple[Listing[Flag], Listing[Change]] | None:
    """The audit page's flags and changes, each cut into pages (made once; None without a readable history)."""

    def make() -> tuple[Listing[Flag], Listing[Change]] | None:
        history = ctx.history
        if history is None or not history.available:
            return None
        flags, changes = history.flags(), history.changes()
        flag_pages = pages_of(AUDIT, len(flags), stem=f"{AUDIT_PAGES}/flags", noun="flags")
        change_pages = pages_of(AUDIT, len(changes), stem=f"{AUDIT_PAGES}/changes", noun="changes")
        return (
            Listing("Flags", FLAG_HEADER, flags, _flag_row(ctx), flag_pages, filterable=False),
            Listing("Changes, newest first", CHANGE_HEADER, changes, _change_row(ctx), change_pages, filterable=False),
        )

    return ctx.memo("audit", make)


FLAG_HEADER = ["Incident", "Flag", "What", "When", "Who"]
CHANGE_HEADER = ["When", "Incident", "Who", "Commit", "What changed", "Flags"]


def audit_page(ctx: Context) -> str:
    """Every change to every incident, newest first, with the auditor's flags on top."""
    history = ctx.history
    parts = [m.page_header("Audit trail", hide=("navigation",)).rstrip("\n"), "# Audit trail"]
    parts.append(
        "Who changed which post-mortem, when and how, read from git history "
        "(one pass over `git log`; author dates, UTC)."
    )
    if history is None:
        parts.append("History was not read for this build.")
        return "\n\n".join(parts) + "\n"
    parts.extend(_notices(history))
    lists = audit_listings(ctx)
    if lists is None:
        return "\n\n".join(parts) + "\n"
    flags, changes = lists
    parts.append(f"## Flags ({len(flags.entries)})")
    if flags.entries:
        parts.append(flags.table(1, AUDIT))
    else:
        parts.append(
            "None: no closed incident changed after closing, no sign-off changed after signing, "
            "no incident deleted, nothing uncommitted."
        )
    parts.append(f"## Changes ({len(changes.entries)}), newest first")
    parts.append(changes.table(1, AUDIT))
    return "\n\n".join(parts) + "\n"


def audit_list_page(ctx: Context, which: int, number: int) -> str:
    """Page ``number`` (from 2) of the audit page's flags (``which`` 0) or changes (1)."""
    lists = audit_listings(ctx)
    return lists[which].page(number, "Audit trail", AUDIT) if lists is not None else audit_page(ctx)
