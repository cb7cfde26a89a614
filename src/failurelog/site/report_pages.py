"""The recurring-clusters page and the open action items page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from failurelog.analysis.actions import ActionEntry, open_actions, priority_order
from failurelog.analysis.followthrough import FollowThrough, follow_through
from failurelog.model.export import leaf_fields
from failurelog.site import markup as m
from failurelog.site.context import ACTIONS, DATA, EXPORT_CSV, EXPORT_JSON, RELATED, Context
from failurelog.site.paging import Listing, Pages, pages_by_weight, pages_of
from failurelog.site.recurrence_parts import (
    NOT_HELD_HEADER,
    not_held_part,
    not_held_row,
    site_flaggers,
    stated_against_computed,
)


def cluster_pages(ctx: Context) -> Pages:
    """How the recurring clusters are cut into pages: a cluster is never cut, a page holds about a page of rows."""
    return ctx.memo("clusters", lambda: pages_by_weight(RELATED, [len(c.incidents) for c in ctx.related.clusters]))


def related_page(ctx: Context, number: int = 1) -> str:
    """Recurring clusters: incidents joined by explicit links or by strong mutual similarity (page ``number``)."""
    clusters = ctx.related.clusters
    pages = cluster_pages(ctx)
    here = pages.path(number)
    links = sum(len(v) for v in ctx.related.outgoing.values())
    intro = (
        "Incidents that recur together, made from the data: two incidents are joined when one names the other "
        "under *Related Incidents*, when both have the same crash or hardware-error signature (the same stack, "
        "oops, machine check, PCIe error or NIC reset), or when each is among the other's closest computed "
        "matches (shared signature, host, asset versions, cause, components and failure types; similar error "
        "messages, backtraces and root-cause text). "
        f"{len(clusters)} cluster{'' if len(clusters) == 1 else 's'} of three or more incidents; "
        f"{links} explicit link{'' if links == 1 else 's'} in all."
    )
    title = pages.title("Recurring clusters", number)
    parts = [m.page_header(title) + f"# {title}\n\n{intro}"]
    if not clusters:
        parts.append("No recurring clusters yet.")
    if nav := pages.nav(number):
        parts.append(nav)
    span = pages.span(number)
    for n, cluster in zip(range(span.start + 1, span.stop + 1), pages.items(clusters, number), strict=True):
        first, last = cluster.incidents[-1].occurred_at, cluster.incidents[0].occurred_at
        months = max(1, (last.year - first.year) * 12 + last.month - first.month + 1)
        parts.append(f"## Cluster {n}: {len(cluster.incidents)} incidents, {first:%Y-%m-%d} to {last:%Y-%m-%d}")
        facts = [
            f"- **Frequency:** {len(cluster.incidents)} incidents in {months} month{'s' if months > 1 else ''}",
            f"- **Trend:** {cluster.trend} (incidents in the later half of the span against the earlier half)",
        ]
        if cluster.traits:
            shared = "; ".join(
                f"{m.text(title)}: {m.text(value)} ({count} of {len(cluster.incidents)})"
                for title, value, count in cluster.traits
            )
            facts.append(f"- **Shared:** {shared}")
        if cluster.terms:
            facts.append(f"- **Common words:** {m.text(', '.join(cluster.terms))}")
        rows = [
            [m.link(i.id, i.page, here), i.day, m.cell(i.title), m.cell(i.severity), m.cell(i.status)]
            for i in cluster.incidents
        ]
        parts.append("\n".join(facts))
        parts.append(m.table(["Incident", "Date", "Title", "Severity", "Status"], rows))
        stated = stated_against_computed(ctx, cluster, here)
        if stated:
            parts.append(stated)
    if nav:
        parts.append(nav)
    return "\n\n".join(parts) + "\n"


def _action_row(entry: ActionEntry, here: str) -> list[str]:
    due = entry.due.isoformat() if entry.due else "—"
    if entry.overdue:
        due = f"**{due} overdue**"
    return [
        m.cell(entry.owner),
        m.cell(entry.priority or "—"),
        due,
        m.cell(entry.status or "(no status)"),
        m.cell(entry.text),
        m.link(entry.incident.id, entry.incident.page, here),
        m.cell(entry.kind),
    ]


def action_listings(ctx: Context) -> dict[str, Listing[ActionEntry]]:
    """The actions page's lists that grow with the repository, by the folder of their later pages (made once)."""
    return ctx.memo("actions", lambda: _listings(ctx))


def _listings(ctx: Context) -> dict[str, Listing[ActionEntry]]:
    report = follow_through(ctx.model, flaggers=site_flaggers(ctx))

    def flagged(cells: Callable[[ActionEntry, str], list[str]]) -> Callable[[ActionEntry, str], list[str]]:
        return lambda e, here: [*cells(e, here), _flags(report, e)]

    def overdue(e: ActionEntry, here: str) -> list[str]:
        due = e.due.isoformat() if e.due else "—"
        return [str(e.age_days), m.cell(e.owner), due, m.cell(e.text), m.link(e.incident.id, e.incident.page, here)]

    def unverified(e: ActionEntry, here: str) -> list[str]:
        done = e.completed.isoformat() if e.completed else "—"
        return [m.cell(e.owner), done, m.cell(e.text), m.link(e.incident.id, e.incident.page, here), m.cell(e.kind)]

    lists = {
        "all": ("All open actions", ACTION_HEADER, open_actions(ctx.model), _action_row, True),
        "overdue": ("Overdue, oldest first", OVERDUE_HEADER, report.overdue, flagged(overdue), False),
        "unverified": (UNVERIFIED, UNVERIFIED_HEADER, report.unverified, flagged(unverified), True),
        "not-held": ("The fix did not hold", NOT_HELD_HEADER, report.not_held, not_held_row(report), False),
    }
    return {
        key: Listing(title, header, entries, row, pages_of(ACTIONS, len(entries), stem=f"{ACTION_PAGES}/{key}"), marker)
        for key, (title, header, entries, row, marker) in lists.items()
    }


UNVERIFIED = "Completed without verification"
ACTION_HEADER = ["Owner", "Priority", "Due", "Status", "Action", "Incident", "List"]
OVERDUE_HEADER = ["Days overdue", "Owner", "Due", "Action", "Incident", "Flags"]
UNVERIFIED_HEADER = ["Owner", "Completed", "Action", "Incident", "List", "Flags"]
#: Where the later pages of the actions page's lists go (``ACTION_PAGES/overdue/page-2.md``).
ACTION_PAGES = ACTIONS.removesuffix(".md")


def actions_page(ctx: Context, listings: dict[str, Listing[ActionEntry]] | None = None) -> str:
    """Every open action item and preventive action, by owner and priority, overdue ones marked."""
    lists = listings if listings is not None else action_listings(ctx)
    entries = lists["all"].entries
    today = ctx.model.today.isoformat()
    overdue = sum(1 for e in entries if e.overdue)
    priorities = list(priority_order(ctx.model))
    by_owner: dict[str, list[ActionEntry]] = {}
    for entry in entries:
        by_owner.setdefault(entry.owner, []).append(entry)
    intro = (
        f"Open follow-up actions as of the build date, **{today}**: {len(entries)} open, {overdue} overdue "
        "(due before the build date and not completed)."
    )
    summary_rows = []
    for owner, items in by_owner.items():
        counts = Counter(e.priority for e in items)
        summary_rows.append(
            [m.cell(owner), str(len(items)), str(sum(1 for e in items if e.overdue))]
            + [str(counts.get(p, 0)) for p in priorities]
        )
    parts = [m.page_header("Action items", hide=("navigation",)) + f"# Open action items\n\n{intro}"]
    if not entries:
        parts.append("No open action items.")
        return "\n\n".join(parts + follow_through_parts(lists)) + "\n"
    parts.append("## By owner")
    parts.append(m.table(["Owner", "Open", "Overdue", *(m.cell(p) for p in priorities)], summary_rows))
    parts.append(f"## All open actions\n\n{lists['all'].table(1, ACTIONS)}")
    return "\n\n".join(parts + follow_through_parts(lists)) + "\n"


def _flags(report: FollowThrough, entry: ActionEntry) -> str:
    return m.cell("; ".join(report.flags_of(entry)) or "—")


def follow_through_parts(lists: dict[str, Listing[ActionEntry]]) -> list[str]:
    """Overdue actions by age, completed actions nobody is named as having verified, and those that did not hold."""
    overdue, unverified = lists["overdue"], lists["unverified"]
    parts = [f"## Overdue, oldest first ({len(overdue.entries)})"]
    parts.append(overdue.table(1, ACTIONS) if overdue.entries else "No overdue action.")
    parts.append(f"## {UNVERIFIED} ({len(unverified.entries)})")
    parts.append(
        "Marked done, with no one named under *Verified By*: nobody has said the fix works. "
        "Name who checked it and the evidence in the incident's action."
    )
    if unverified.entries:
        parts.append(unverified.table(1, ACTIONS))
    return parts + not_held_part(lists["not-held"].entries, lists["not-held"].table(1, ACTIONS))


def action_list_page(ctx: Context, listings: dict[str, Listing[ActionEntry]], key: str, number: int) -> str:
    """Page ``number`` (from 2) of one of the actions page's lists."""
    return listings[key].page(number, "Action items", ACTIONS)


def data_page(ctx: Context) -> str:
    """Where the data exports are, and what their columns are."""
    count = len(ctx.model.incidents)
    columns = len(leaf_fields(ctx.model.schema))
    return m.page_header("Data") + (
        "# Data\n\n"
        f"- [incidents.json]({m.relative(EXPORT_JSON, DATA)}): every incident's front matter ({count} incidents), "
        "as a JSON list ordered by id.\n"
        f"- [incidents.csv]({m.relative(EXPORT_CSV, DATA)}): one row per incident, one column per field of the "
        f"schema ({columns} columns, named by dotted field path; lists joined with `; `).\n\n"
        "The same files come from the command line: `failurelog export --format json` or `--format csv`.\n"
    )
