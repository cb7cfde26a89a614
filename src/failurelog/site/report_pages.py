"""The recurring-clusters page and the open action items page."""

from __future__ import annotations

from collections import Counter

from failurelog.analysis.actions import ActionEntry, open_actions, priority_order
from failurelog.analysis.followthrough import FollowThrough, follow_through
from failurelog.model.export import leaf_fields
from failurelog.site import markup as m
from failurelog.site.context import ACTIONS, DATA, EXPORT_CSV, EXPORT_JSON, RELATED, Context
from failurelog.site.index_pages import TABLE_MARKER
from failurelog.site.recurrence_parts import not_held_part, site_flaggers, stated_against_computed


def related_page(ctx: Context) -> str:
    """Recurring clusters: incidents joined by explicit links or by strong mutual similarity."""
    clusters = ctx.related.clusters
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
    parts = [m.page_header("Recurring clusters") + f"# Recurring clusters\n\n{intro}"]
    if not clusters:
        parts.append("No recurring clusters yet.")
    for n, cluster in enumerate(clusters, 1):
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
            [m.link(i.id, i.page, RELATED), i.day, m.cell(i.title), m.cell(i.severity), m.cell(i.status)]
            for i in cluster.incidents
        ]
        parts.append("\n".join(facts))
        parts.append(m.table(["Incident", "Date", "Title", "Severity", "Status"], rows))
        stated = stated_against_computed(ctx, cluster)
        if stated:
            parts.append(stated)
    return "\n\n".join(parts) + "\n"


def _action_row(ctx: Context, entry: ActionEntry) -> list[str]:
    due = entry.due.isoformat() if entry.due else "—"
    if entry.overdue:
        due = f"**{due} overdue**"
    return [
        m.cell(entry.priority or "—"),
        due,
        m.cell(entry.status or "(no status)"),
        m.cell(entry.text),
        m.link(entry.incident.id, entry.incident.page, ACTIONS),
        m.cell(entry.kind),
    ]


def actions_page(ctx: Context) -> str:
    """Every open action item and preventive action, by owner and priority, overdue ones marked."""
    entries = open_actions(ctx.model)
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
        return "\n\n".join(parts + follow_through_parts(ctx)) + "\n"
    parts.append("## By owner")
    parts.append(m.table(["Owner", "Open", "Overdue", *(m.cell(p) for p in priorities)], summary_rows))
    rows = [[m.cell(e.owner), *_action_row(ctx, e)] for e in entries]
    table = m.table(["Owner", "Priority", "Due", "Status", "Action", "Incident", "List"], rows)
    parts.append(f"## All open actions\n\n{TABLE_MARKER}\n\n{table}")
    return "\n\n".join(parts + follow_through_parts(ctx)) + "\n"


def _flags(report: FollowThrough, entry: ActionEntry) -> str:
    return m.cell("; ".join(report.flags_of(entry)) or "—")


def follow_through_parts(ctx: Context) -> list[str]:
    """Overdue actions by age, completed actions nobody is named as having verified, and those that did not hold."""
    report = follow_through(ctx.model, flaggers=site_flaggers(ctx))
    parts = [f"## Overdue, oldest first ({len(report.overdue)})"]
    if report.overdue:
        rows = [
            [
                str(e.age_days),
                m.cell(e.owner),
                e.due.isoformat() if e.due else "—",
                m.cell(e.text),
                m.link(e.incident.id, e.incident.page, ACTIONS),
                _flags(report, e),
            ]
            for e in report.overdue
        ]
        parts.append(m.table(["Days overdue", "Owner", "Due", "Action", "Incident", "Flags"], rows))
    else:
        parts.append("No overdue action.")
    parts.append(f"## Completed without verification ({len(report.unverified)})")
    parts.append(
        "Marked done, with no one named under *Verified By*: nobody has said the fix works. "
        "Name who checked it and the evidence in the incident's action."
    )
    if report.unverified:
        rows = [
            [
                m.cell(e.owner),
                e.completed.isoformat() if e.completed else "—",
                m.cell(e.text),
                m.link(e.incident.id, e.incident.page, ACTIONS),
                m.cell(e.kind),
                _flags(report, e),
            ]
            for e in report.unverified
        ]
        table = m.table(["Owner", "Completed", "Action", "Incident", "List", "Flags"], rows)
        parts.append(f"{TABLE_MARKER}\n\n{table}")
    return parts + not_held_part(report)


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
