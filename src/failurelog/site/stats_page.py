"""The statistics page: charts drawn from the data, plus the headline figures."""

from __future__ import annotations

from failurelog.analysis.figures import Summary
from failurelog.analysis.stats import Series, Statistics, statistics
from failurelog.site import markup as m
from failurelog.site import svg
from failurelog.site.context import EXPORT_CSV, EXPORT_JSON, RECOVERY, STATISTICS, Context, field_page

#: Values listed in a "top values" chart.
TOP_VALUES = 12


def _headline(stats: Statistics, series: Series) -> str:
    title = m.text(series.field.title)
    unit = f" {series.field.unit}" if series.field.unit else ""
    if series.kind == "share":
        total = sum(series.overall_shares.values())
        shares = ", ".join(f"{m.text(v)} {round(100 * n / total)}% ({n})" for v, n in series.overall_shares.items())
        return f"| {title} | {shares or '—'} | {series.known} |"
    lines = stats.kpi_lines.get(series.field.name)
    if lines:
        return "\n".join(
            f"| {title} (mean over {m.text(line.label)}) | {_shown(line.overall.mean, unit)} | {line.overall.count} |"
            for line in lines
        )
    label = "total" if series.kind == "sum" else "mean"
    return f"| {title} ({label}) | {_shown(series.total, unit)} | {series.known} |"


def _shown(value: float | None, unit: str) -> str:
    return m.text(m.number(value) + unit) if value is not None else "—"


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
    lines = stats.kpi_lines.get(series.field.name)
    if lines:
        data_line = [(line.label, [_mean(line.by_month.get(mo)) for mo in months]) for line in lines]
    else:
        data_line = [(title, [series.by_month.get(mo) for mo in months])]
    return svg.line_chart(months, data_line, title=f"{title} per month (mean)", unit=unit)


def _mean(summary: Summary | None) -> float | None:
    return summary.mean if summary else None


def _kpi_note(ctx: Context, stats: Statistics) -> str:
    titles = [f.title for name in stats.kpi_lines if (f := ctx.model.schema.field(name))]
    drafts = stats.drafts_left_out
    return (
        f"{m.text(' and '.join(titles))} are counted as on the {m.link('Recovery KPIs', RECOVERY, STATISTICS)} "
        f"page, in the table and the charts: **{drafts} draft{'' if drafts == 1 else 's'} left out** (their figures "
        "are not checked yet), and a recovery is averaged over every incident stating it and, apart, over the outages "
        "only (downtime above 0): a long recovery with no downtime is not an outage's recovery."
    )


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
    rows.extend(_headline(stats, s) for s in stats.series)
    parts.append("\n".join(rows))
    if stats.kpi_lines:
        parts.append(_kpi_note(ctx, stats))
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
