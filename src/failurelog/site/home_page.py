"""The home page: what is wrong now.

Open incidents by status, overdue action items, the last 90 days against the
90 before (incidents and every summed figure), recurring clusters, and the
ten most recent incidents. Every list is bounded (:data:`HOME_ROWS`), so the
page that every visit and every linked search opens stays small at any size
of the repository; the rest is one link away (a status's value page, the
actions page). Each part is one function in :data:`PARTS`, in
page order; an analysis that has something to say on the home page (such as
signatures seen more than once) adds its part there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from failurelog.analysis.actions import open_actions
from failurelog.analysis.recent import WINDOW_DAYS, Compared, compare, open_incidents
from failurelog.model.incident import Incident
from failurelog.site import html as h
from failurelog.site import markup as m
from failurelog.site.card import badge
from failurelog.site.context import (
    ACTIONS,
    ASSET_INDEX,
    HOME,
    INCIDENT_INDEX,
    PATTERN_INDEX,
    RECOVERY,
    STATISTICS,
    Context,
)
from failurelog.site.report_pages import cluster_pages
from failurelog.site.signature_pages import signatures_part

#: Incidents listed under "Most recent".
RECENT = 10
#: Clusters listed on the home page (the clusters page has them all).
CLUSTERS = 5
#: At most this many open incidents of each status, and overdue actions, are listed on the home page.
HOME_ROWS = 20


def _incident_row(ctx: Context, incident: Incident, with_status: bool) -> list[str]:
    severity = ctx.model.schema.field("severity")
    status = ctx.model.schema.field("status")
    link = f'<a class="fl-id" href="{h.esc(ctx.href(incident.page, HOME))}">{h.esc(incident.id)}</a>'
    return [
        f"{link}<br> {h.esc(incident.title)}",
        h.esc(incident.day),
        badge(ctx, severity, incident.severity, HOME) if severity else h.esc(incident.severity),
        *([badge(ctx, status, incident.status, HOME) if status else h.esc(incident.status)] if with_status else []),
    ]


def _incident_table(ctx: Context, incidents: list[Incident], *, with_status: bool = True) -> str:
    header = ["Incident", "Date", "Severity", *(["Status"] if with_status else [])]
    return h.block("index", h.table([_incident_row(ctx, i, with_status) for i in incidents], header=header))


def open_part(ctx: Context) -> str:
    """Open incidents, by status in lifecycle order."""
    groups = open_incidents(ctx.model)
    total = sum(len(v) for v in groups.values())
    if not total:
        return "## Open incidents\n\nNo open incidents: every incident is closed."
    counts = ", ".join(f"{len(items)} {m.text(status)}" for status, items in groups.items())
    parts = [f"## Open incidents\n\n**{total} open**: {counts}."]
    for status, items in groups.items():
        table = _incident_table(ctx, items[:HOME_ROWS], with_status=False)
        parts.append(f"### {m.text(status)} ({len(items)})\n\n{table}{_more_open(ctx, status, len(items))}")
    return "\n\n".join(parts)


def _more_open(ctx: Context, status: str, count: int) -> str:
    if count <= HOME_ROWS:
        return ""
    page = ctx.pattern_page("status", status)
    every = m.link(f"all {count}", page, HOME) if page else f"all {count}"
    return f"\n\nThe {HOME_ROWS} most recent of {count} shown; see {every}."


def actions_part(ctx: Context) -> str:
    """Overdue action items, with their count."""
    entries = open_actions(ctx.model)
    overdue = sorted((e for e in entries if e.overdue), key=lambda e: (e.due is None, e.due or ctx.model.today))
    link = m.link("all open action items", ACTIONS, HOME)
    head = f"## Overdue action items\n\n**{len(overdue)} overdue** of {len(entries)} open ({link})."
    if not overdue:
        return head
    rows = [
        [
            h.esc(e.due.isoformat() if e.due else ""),
            f"{h.esc(e.text)}<br> <em>{h.esc(e.owner)}</em>",
            f'<a class="fl-id" href="{h.esc(ctx.href(e.incident.page, HOME))}">{h.esc(e.incident.id)}</a>',
        ]
        for e in overdue[:HOME_ROWS]
    ]
    table = h.block("index", h.table(rows, header=["Due", "Action and owner", "Incident"]))
    if len(overdue) > HOME_ROWS:
        every = m.link(f"all {len(overdue)} overdue", ACTIONS, HOME)
        table += f"\n\nThe {HOME_ROWS} longest overdue shown; see {every} on the actions page."
    return head + "\n\n" + table


def _shown(item: Compared, value: float) -> str:
    if item.field is not None and item.field.unit:
        return m.display(item.field, value)
    return m.number(value)


def _change(item: Compared) -> str:
    if item.current == item.previous:
        return '<span class="fl-change">same as the 90 days before</span>'
    worse = item.current > item.previous  # every compared figure is a count or a loss: more is worse
    css = "fl-worse" if worse else "fl-better"
    word = "up" if worse else "down"
    if item.previous:
        pct = round(100 * abs(item.current - item.previous) / item.previous)
        how = f"{word} {pct}% from {h.esc(_shown(item, item.previous))}"
    else:
        how = f"{word} from {h.esc(_shown(item, item.previous))}"
    return f'<span class="fl-change {css}">{how}</span>'


def window_part(ctx: Context) -> str:
    """The last 90 days against the 90 before: incidents and every summed figure."""
    span, figures = compare(ctx.model)
    first = span.current_start.date().isoformat()
    last = (span.end - timedelta(days=1)).date().isoformat()

    tiles = []
    for item in figures:
        tiles.append(
            f'<div class="fl-tile" data-fl-figure="{h.esc(item.title)}" data-fl-current="{item.current:g}" '
            f'data-fl-previous="{item.previous:g}"><span class="fl-figure">{h.esc(_shown(item, item.current))}</span> '
            f'<span class="fl-label">{h.esc(item.title)}</span> {_change(item)}</div>'
        )
    stats = m.link("Statistics", STATISTICS, HOME)
    recovery = m.link("recovery KPIs", RECOVERY, HOME)
    assets = m.link("asset histories (MTBF per host and version)", ASSET_INDEX, HOME)
    intro = (
        f"## Last {WINDOW_DAYS} days\n\n{first} to {last}, "
        f"against the {WINDOW_DAYS} days before. Month by month: {stats}; also {recovery} and {assets}."
    )
    return intro + "\n\n" + h.block("tiles", " ".join(tiles))


def clusters_part(ctx: Context) -> str:
    """The largest recurring clusters."""
    clusters = ctx.related.clusters
    if not clusters:
        return ""
    lines, pages = [], cluster_pages(ctx)
    for n, cluster in enumerate(clusters[:CLUSTERS], 1):
        shared = "; ".join(f"{m.text(value)}" for _title, value, _count in cluster.traits[:3])
        newest = cluster.incidents[0]
        lines.append(
            f"- {m.link(f'Cluster {n}', pages.page_of(n - 1), HOME)}: "
            + f"{len(cluster.incidents)} incidents, {cluster.trend}"
            + (f" — {shared}" if shared else "")
            + f"; latest {m.link(newest.id, newest.page, HOME)} ({newest.day})"
        )
    more = f" ({len(clusters)} in all)" if len(clusters) > CLUSTERS else ""
    return f"## Recurring clusters{more}\n\n" + "\n".join(lines)


def recent_part(ctx: Context) -> str:
    """The ten most recent incidents."""
    recent = ctx.model.incidents[:RECENT]
    if not recent:
        return "## Most recent incidents\n\nNo incidents yet."
    every = m.link(f"all {len(ctx.model.incidents)} incidents", INCIDENT_INDEX, HOME)
    patterns = m.link("patterns", PATTERN_INDEX, HOME)
    return f"## Most recent incidents\n\n{_incident_table(ctx, recent)}\n\nSee {every}, or browse the {patterns}."


#: The home page's parts, in page order.
PARTS: list[Callable[[Context], str]] = [
    open_part,
    actions_part,
    window_part,
    clusters_part,
    signatures_part,
    recent_part,
]


def home_page(ctx: Context) -> str:
    """The generated home page (used when the repository has no ``docs/index.md``)."""
    built = f"Built {ctx.model.today.isoformat()} from {len(ctx.model.incidents)} incidents."
    parts = [m.page_header("System failure log", hide=("navigation", "toc")) + f"# System failure log\n\n{built}"]
    parts.extend(text for text in (part(ctx) for part in PARTS) if text)
    return "\n\n".join(parts) + "\n"
