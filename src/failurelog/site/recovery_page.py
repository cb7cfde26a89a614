"""The recovery KPIs page: time to detect, recover and close (p50, p90, mean) and SLA/RTO met, by each breakdown."""

from __future__ import annotations

from failurelog.analysis.figures import Summary
from failurelog.analysis.kpis import Group, every_breakdown
from failurelog.site import markup as m
from failurelog.site.context import RECOVERY, STATISTICS, Context

#: The breakdowns' headings.
HEADINGS = {"severity": "By severity", "component": "By component", "trigger": "By trigger", "quarter": "By quarter"}


def _cell(summary: Summary, unit: str) -> str:
    if not summary.count:
        return "—"
    return f"{m.number(summary.p50)} / {m.number(summary.p90)} / {m.number(summary.mean)} {unit} (n={summary.count})"


def _sla(group: Group) -> str:
    rate = group.sla_rate
    return f"{round(100 * rate)}% ({group.sla_met} of {group.sla_known})" if rate is not None else "—"


def _row(group: Group, label: str) -> list[str]:
    recover = _cell(group.recover, "min")
    if group.recover_no_outage:
        recover = recover[:-1] + f"; {group.recover_no_outage} with no outage)"
    return [
        label,
        str(group.incidents),
        _cell(group.detect, "min"),
        recover,
        _cell(group.recover_with_outage, "min"),
        _cell(group.close, "days"),
        _sla(group),
    ]


HEADER = [
    "Group",
    "Incidents",
    "Time to detect p50 / p90 / mean",
    "Time to recover, all stating it",
    "Time to recover, outages only",
    "Time to close",
    "SLA/RTO met",
]


def recovery_page(ctx: Context) -> str:
    """The KPIs overall and by severity, component, trigger and quarter; drafts left out, and said to be."""
    results = every_breakdown(ctx.model)
    overall = results[0]
    drafts = overall.drafts_left_out
    intro = (
        f"Recovery figures over the {overall.overall.incidents} reviewed incidents; "
        f"**{drafts} draft{'' if drafts == 1 else 's'} left out** (their figures are not checked yet). "
        "Each cell is p50 / p90 / mean (percentiles interpolated between the closest ranks) and n, the incidents "
        "stating the figure. *Time to recover, all stating it* averages every incident with a recovery time, "
        "including recoveries with no outage (a standby took over, trading went on); *outages only* averages "
        "those whose downtime was above zero. Time to close runs from the start to the closing time. "
        "An incident with several components counts under each. "
        f"Monthly charts: {m.link('Statistics', STATISTICS, RECOVERY)}. The same figures: `failurelog stats`."
    )
    parts = [m.page_header("Recovery KPIs", hide=("navigation",)) + f"# Recovery KPIs\n\n{intro}"]
    parts.append(m.table(HEADER, [_row(overall.overall, "All reviewed incidents")]))
    for result in results:
        parts.append(f"## {HEADINGS[result.by]}")
        parts.append(m.table(HEADER, [_row(g, m.cell(g.key)) for g in result.groups]) if result.groups else "None.")
    return "\n\n".join(parts) + "\n"
