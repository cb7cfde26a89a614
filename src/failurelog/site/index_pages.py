"""The incident index and the pattern indexes (one per grouped field, one page per value)."""

from __future__ import annotations

from failurelog.analysis.patterns import PatternIndex, PatternValue
from failurelog.analysis.stats import month_range
from failurelog.core import roles
from failurelog.core.values import parse_time
from failurelog.model.incident import Incident
from failurelog.site import html as h
from failurelog.site import markup as m
from failurelog.site import svg
from failurelog.site.context import INCIDENT_INDEX, PATTERN_INDEX, Context, field_page, value_page
from failurelog.site.paging import TABLE_MARKER, Pages, pages_of
from failurelog.site.values import value_html


def incident_table(ctx: Context, incidents: list[Incident], here: str) -> str:
    """An HTML table of incidents: the id and title, then every ``x-index-column`` field; filterable."""
    columns = roles.flagged(ctx.model.schema, "x-index-column")
    header = ["Incident", *(h.esc(c.title) for c in columns)]
    rows = []
    for incident in incidents:
        row = [f"{h.a(incident.id, ctx.href(incident.page, here))}<br> {h.esc(incident.title)}"]
        for column in columns:
            value = incident.value(column.name)
            if value is None or value == []:
                row.append("")
            elif column.schema.get("format") == "date-time" and (moment := parse_time(value)) is not None:
                row.append(moment.strftime("%Y-%m-%d %H:%M"))
            else:
                row.append(value_html(ctx, column, value, here))
        rows.append(row)
    return h.block("index", TABLE_MARKER + h.table(rows, header=header))


def paged_table(ctx: Context, pages: Pages, incidents: list[Incident], number: int) -> str:
    """Page ``number`` of a list of incidents: its table, with the page navigation above and below when paged."""
    here = pages.path(number)
    table = incident_table(ctx, list(pages.items(incidents, number)), here)
    nav = pages.nav(number)
    return f"{nav}\n\n{table}\n\n{nav}" if nav else table


def index_pages(ctx: Context) -> Pages:
    """How the incident index is cut into pages."""
    return pages_of(INCIDENT_INDEX, len(ctx.model.incidents), noun="incidents")


def incident_index(ctx: Context, number: int = 1) -> str:
    """Every incident, newest first, in a table the browser can sort and filter (page ``number`` of it)."""
    incidents = ctx.model.incidents
    pages = index_pages(ctx)
    where = "this page" if pages.count > 1 else "the list"
    intro = (
        f"{len(incidents)} incidents, newest first. Type in the filter box to narrow {where}, "
        "choose a value in a column's list, or click a column heading to sort."
    )
    title = pages.title("Incidents", number)
    return (
        m.page_header(title, hide=("navigation", "toc"), search=False)
        + f"# {title}\n\n{intro}\n\n{paged_table(ctx, pages, incidents, number)}\n"
    )


def _figures_row(ctx: Context, value: PatternValue, index: PatternIndex, here: str, months: list[str]) -> list[str]:
    trend = svg.mini_bars(months, [value.by_month.get(mo, 0) for mo in months])
    return [
        h.a(value.value, ctx.href(value_page(index, value), here)),
        str(value.count),
        h.esc(m.minutes(value.total_downtime)),
        h.esc(m.minutes(value.recovery.outages.mean)),
        h.esc(m.minutes(value.recovery.every.mean)),
        value.first_seen.strftime("%Y-%m-%d"),
        value.last_seen.strftime("%Y-%m-%d"),
        trend,
    ]


#: The two means of time to recover, as the recovery KPIs split them (``figures.recovery_split``).
RECOVER_HEADER = ["Mean time to recover, outages only", "Mean time to recover, all stating it"]
FIGURE_HEADER = ["Value", "Incidents", "Total downtime", *RECOVER_HEADER, "First seen", "Last seen"]


def _last_months(ctx: Context, count: int = 12) -> list[str]:
    if not ctx.model.incidents:
        return []
    last = ctx.model.incidents[0].month
    return month_range(ctx.model.incidents[-1].month, last)[-count:]


def pattern_overview(ctx: Context) -> str:
    """The list of grouped fields, each with its number of values and its most frequent one."""
    rows = []
    for index in ctx.patterns:
        top = index.values[0] if index.values else None
        rows.append(
            [
                m.link(index.field.title, field_page(index), PATTERN_INDEX),
                str(len(index.values)),
                str(index.incident_count),
                f"{m.cell(top.value)} ({top.count})" if top else " ",
            ]
        )
    intro = (
        "Incidents grouped by every field the schema marks as worth grouping by. "
        "Each value has a page with its incidents, total downtime, mean time to recover (over the outages only, "
        "downtime above 0, and over every incident stating it, as the recovery KPIs count them), "
        "first and last occurrence, and trend by month."
    )
    table = m.table(["Field", "Values", "Incidents", "Most frequent"], rows)
    return m.page_header("Patterns") + f"# Patterns\n\n{intro}\n\n{table}\n"


def field_pages(index: PatternIndex) -> Pages:
    """How a grouped field's list of values is cut into pages."""
    return pages_of(field_page(index), len(index.values), noun="values")


def field_index(ctx: Context, index: PatternIndex, number: int = 1) -> str:
    """One grouped field: every value with its figures and a bar per month of the last twelve (page ``number``)."""
    pages = field_pages(index)
    here = pages.path(number)
    months = _last_months(ctx)
    rows = [_figures_row(ctx, v, index, here, months) for v in pages.items(index.values, number)]
    span = f"{months[0]} to {months[-1]}" if months else ""
    header = [*FIGURE_HEADER, f"Trend ({h.esc(span)})"]
    description = f"{m.text(index.field.description)}\n\n" if index.field.description else ""
    title = pages.title(f"Patterns: {index.field.title}", number)
    table = h.block("index", TABLE_MARKER + h.table(rows, header=header))
    if nav := pages.nav(number):
        table = f"{nav}\n\n{table}\n\n{nav}"
    return m.page_header(title, hide=("navigation", "toc")) + f"# {m.text(title)}\n\n{description}{table}\n"


def value_pages(index: PatternIndex, value: PatternValue) -> Pages:
    """How one value's list of incidents is cut into pages."""
    return pages_of(value_page(index, value), len(value.incidents), noun="incidents")


def value_page_text(ctx: Context, index: PatternIndex, value: PatternValue, number: int = 1) -> str:
    """One value of a grouped field: its figures, its trend by month and its incidents (page ``number`` of them)."""
    pages = value_pages(index, value)
    here = pages.path(number)
    title = f"{index.field.title}: {value.value}"
    back = m.link(f"All values of {index.field.title}", field_page(index), here)
    if number > 1:
        title = pages.title(title, number)
        return (
            m.page_header(title, hide=("navigation", "toc"), search=False)
            + f"# {m.text(title)}\n\n{back}\n\n"
            + f"## Incidents\n\n{paged_table(ctx, pages, value.incidents, number)}\n"
        )
    downtime_note = f" (from {value.downtime_known} of {value.count})" if value.downtime_known < value.count else ""
    split = value.recovery
    outages_note = f" (from {split.outages.count} of {value.count})" if split.outages.count < value.count else ""
    every_note = f" (from {split.every.count} of {value.count})" if split.every.count < value.count else ""
    if split.no_outage:
        every_note += f", {split.no_outage} with no outage"
    figures = m.table(
        ["Incidents", "Total downtime", *RECOVER_HEADER, "First seen", "Last seen"],
        [
            [
                str(value.count),
                m.cell(m.minutes(value.total_downtime) + downtime_note),
                m.cell(m.minutes(split.outages.mean) + outages_note),
                m.cell(m.minutes(split.every.mean) + every_note),
                m.cell(m.when(value.first_seen)),
                m.cell(m.when(value.last_seen)),
            ]
        ],
    )
    months = month_range(min(value.by_month), max(value.by_month)) if value.by_month else []
    chart = svg.bar_chart(
        months,
        [("Incidents", [float(value.by_month.get(mo, 0)) for mo in months])],
        title=f"Incidents per month: {title}",
        counts=True,
    )
    history = ctx.asset_history(index.field.name, value.value)
    if history:  # an asset or version: its failures, MTBF and recovery
        back += " · " + m.link("Asset history (failures, MTBF, time to recover)", history, here)
    return (
        m.page_header(title, hide=("navigation", "toc"), search=False)
        + f"# {m.text(title)}\n\n{back}\n\n{figures}\n\n## Trend by month\n\n{chart}\n\n"
        + f"## Incidents\n\n{paged_table(ctx, pages, value.incidents, 1)}\n"
    )
