"""The statistics page: charts drawn from the data, plus the headline figures."""

from __future__ import annotations

from failurelog.analysis.stats import Series, Statistics, statistics
from failurelog.site import markup as m
from failurelog.site import svg
from failurelog.site.context import EXPORT_CSV, EXPORT_JSON, STATISTICS, Context, field_page

#: Values listed in a "top values" chart.
TOP_VALUES = 12


def _headline(series: Series) -> str:
    title = m.text(series.field.title)
    unit = f" {series.field.unit}" if series.field.unit else ""
    if series.kind == "share":
        total = sum(series.overall_shares.values())
        shares = ", ".join(f"{m.text(v)} {round(100 * n / total)}% ({n})" for v, n in series.overall_shares.items())
        return f"| {title} | {shares or '—'} | {series.known} |"
    label = "total" if series.kind == "sum" else "mean"
    shown = m.text(m.number(series.total) + unit) if series.total is not None else "—"
    if series.no_outage is None:
        return f"| {title} ({label}) | {shown} | {series.known} |"
    outages = m.text(m.number(series.outage_mean) + unit) if series.outage_mean is not None else "—"
    return (
        f"| {title} (mean of every incident stating it, {series.no_outage} of them with no outage) | {shown} | "
        f"{series.known} |\n| {title} (mean over outages only: downtime above 0) | {outages} | {series.outage_known} |"
    )


def _chart(stats: Statistics, series: Series) -> str:
    months = stats.months
    title = series.field.title
    unit = series.field.unit or ""
    if series.kind == "share":
        values = list(series.overall_shares)
        data = [(v, [float(series.shares.get(mo, {}).get(v, 0)) for mo in months]) for v in values]
        colors = svg.choice_colors(series.field, values)
        return svg.bar_chart(months, data, title=f"{title}: incidents per month by answer", counts=True, colors=colors)
    if series.kind == "sum":
        data = [(title, [series.by_month.get(mo, 0.0) for mo in months])]
        return svg.bar_chart(months, data, title=f"{title} per month (total)", unit=unit)
    data_line = [(title, [series.by_month.get(mo) for mo in months])]
    return svg.line_chart(months, data_line, title=f"{title} per month (mean)", unit=unit)


def statistics_page(ctx: Context) -> str:
    """Incidents per month by severity, every ``x-stat`` field over time, and the most frequent values."""
    stats = statistics(ctx.model)
    parts = [m.page_header("Statistics", hide=("navigation",)) + "# Statistics"]
    json_link = m.relative(EXPORT_JSON, STATISTICS)
    csv_link = m.relative(EXPORT_CSV, STATISTICS)
    parts.append(
        f"{stats.count} incidents"
        + (f" from {stats.months[0]} to {stats.months[-1]}" if stats.months else "")
        + f". Built {ctx.model.today.isoformat()}. "
        + f"The data: [incidents.json]({json_link}), [incidents.csv]({csv_link})."
    )
    if not stats.count:
        return "\n\n".join(parts) + "\n"
    rows = ["| Figure | Value | Incidents with a value |", "|---|---|---|"]
    rows.extend(_headline(s) for s in stats.series)
    parts.append("\n".join(rows))
    per_severity = [
        (sev, [float(stats.per_month_severity[mo].get(sev, 0)) for mo in stats.months]) for sev in stats.severities
    ]
    parts.append("## Incidents per month by severity")
    severity = ctx.model.schema.field("severity")
    colors = svg.choice_colors(severity, stats.severities) if severity else None
    parts.append(
        svg.bar_chart(stats.months, per_severity, title="Incidents per month by severity", counts=True, colors=colors)
    )
    for series in stats.series:
        parts.append(f"## {m.text(series.field.title)}")
        parts.append(_chart(stats, series))
    parts.append("## Most frequent values")
    for index in ctx.patterns:
        if not index.values or len(index.values) < 2:
            continue
        items = [(v.value, float(v.count)) for v in index.values[:TOP_VALUES]]
        parts.append(f"### {m.link(index.field.title, field_page(index), STATISTICS)}")
        parts.append(svg.hbar_chart(items, title=f"{index.field.title}: incidents per value"))
    return "\n\n".join(parts) + "\n"
