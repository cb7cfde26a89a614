"""Text and JSON renderings of the recovery KPIs, asset histories and follow-through (stats, assets, actions).

The JSON shapes are the analyses' own ``as_dict`` forms (documented in the
README); the text is for a person at a terminal.
"""

from __future__ import annotations

import json
from typing import Any

from failurelog.analysis.actions import ActionEntry
from failurelog.analysis.assets import AssetHistory, AssetReport
from failurelog.analysis.figures import Recovery, Summary
from failurelog.analysis.followthrough import FollowThrough, entry_dict
from failurelog.analysis.kpis import Group, Kpis


def figure(value: float | None, digits: int = 1) -> str:
    """A figure rounded for reading, or ``n/a``."""
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:,.0f}"


def minutes(value: float | None) -> str:
    """Minutes with their unit, or ``n/a`` (no failure states it)."""
    return "n/a" if value is None else f"{figure(value)} min"


def _summary_line(label: str, summary: Summary, unit: str, note: str = "") -> str:
    if not summary.count:
        return f"  {label:<30} no incident states it"
    return (
        f"  {label:<30} n={summary.count:<4} p50 {figure(summary.p50)}  p90 {figure(summary.p90)}  "
        f"mean {figure(summary.mean)} {unit}{note}"
    )


def _group_lines(group: Group) -> list[str]:
    no_outage = f" ({group.recover_no_outage} of them with no outage)" if group.recover_no_outage else ""
    rate = (
        f"{group.sla_met} of {group.sla_known} ({figure(100 * group.sla_rate, 0)}%)"
        if group.sla_rate is not None
        else "n/a"
    )
    return [
        f"{group.key} ({group.incidents} incident{'' if group.incidents == 1 else 's'})",
        _summary_line("time to detect", group.detect, "min"),
        _summary_line("time to recover", group.recover, "min", no_outage),
        _summary_line("time to recover, outages only", group.recover_with_outage, "min"),
        _summary_line("time to close", group.close, "days"),
        f"  {'SLA/RTO met':<30} {rate}",
    ]


def kpis_text(kpis: Kpis) -> str:
    """The KPIs for a person: the overall figures, then one block per group."""
    span = ""
    if kpis.since or kpis.until:
        span = f", started {kpis.since or '...'} to {kpis.until or '...'}"
    drafts = f"{kpis.drafts_left_out} draft{'' if kpis.drafts_left_out == 1 else 's'} left out"
    lines = [
        f"Recovery KPIs by {kpis.by}: {kpis.overall.incidents} reviewed incidents{span} ({drafts}).",
        "p50 and p90 interpolate between the closest ranks; n is how many incidents state the figure.",
        "",
        *_group_lines(kpis.overall),
    ]
    for group in kpis.groups:
        lines += ["", *_group_lines(group)]
    return "\n".join(lines) + "\n"


def kpis_json(kpis: Kpis) -> str:
    """The KPIs as one JSON document (see :meth:`Kpis.as_dict`)."""
    return json.dumps(kpis.as_dict(), indent=2, ensure_ascii=False) + "\n"


def _problem_lines(report: AssetReport) -> list[str]:
    return [f"WARNING {p.file}:{p.line}: {p.field}: {p.message}" for p in report.inventory.problems]


def _rate_line(history: AssetHistory, report: AssetReport) -> str:
    if history.inventory is None:
        reason = "not in inventory/assets.yaml" if report.inventory.usable else "rates need inventory/assets.yaml"
        return f"failures per asset-year: n/a ({reason})"
    entry = history.inventory
    return (
        f"failures per asset-year: {figure(history.rate_per_asset_year, 3)} "
        f"({len(history.failures)} in {figure(history.asset_years)} asset-years: {entry.count} since {entry.since})"
    )


def _recovery_lines(split: Recovery) -> list[str]:
    no_outage = f", {split.no_outage} of them with no outage" if split.no_outage else ""
    return [
        f"time to recover, outages only: mean {figure(split.outages.mean)} min, p90 {figure(split.outages.p90)} min "
        f"(n={split.outages.count})",
        f"time to recover, every failure stating it: mean {figure(split.every.mean)} min, "
        f"p90 {figure(split.every.p90)} min (n={split.every.count}{no_outage})",
    ]


def history_text(history: AssetHistory, report: AssetReport) -> str:
    """One asset's history for a person."""
    start, end = history.window or ("", "")
    mtbf = figure(history.mtbf_days) + " days" if history.mtbf_days is not None else "n/a (fewer than two failures)"
    lines = [
        f"{history.kind.title} {history.name}: {len(history.failures)} failure(s), "
        f"{len(history.occurrences)} incident(s) naming it",
        f"observation window: {start} to {end} ({figure(history.window_days, 0)} days)",
        f"MTBF: {mtbf}",
        *_recovery_lines(history.recovery),
        f"outage: {minutes(history.outage_min)}; loss realised {figure(history.loss_realised, 0)} USD, "
        f"estimated {figure(history.loss_estimated, 0)} USD",
        _rate_line(history, report),
        "",
    ]
    for o in history.occurrences:
        role = "/".join(o.roles) or "-"
        mark = "failed" if o.failed else "involved"
        lines.append(f"  {o.incident.day}  {o.incident.id}  {mark:<8}  {role:<12}  {o.incident.title}")
    return "\n".join(lines) + "\n"


def assets_text(report: AssetReport, histories: list[AssetHistory] | None = None) -> str:
    """Every asset by kind (or the chosen histories in full) for a person; inventory problems first."""
    lines = _problem_lines(report)
    if histories is not None:
        return "\n".join([*lines, *(history_text(h, report) for h in histories)])
    for kind in report.kinds:
        rows = sorted(report.of_kind(kind), key=lambda h: (-len(h.failures), h.name.casefold()))
        lines += ["", f"{kind.title} ({kind.kind}): {len(rows)}"]
        for h in rows:
            mtbf = f"MTBF {figure(h.mtbf_days)} d" if h.mtbf_days is not None else "MTBF n/a"
            lines.append(
                f"  {h.name:<32} failures {len(h.failures):<3} incidents {len(h.occurrences):<3} {mtbf:<16} "
                f"outage {minutes(h.outage_min)}"
            )
    return "\n".join(lines).lstrip("\n") + "\n"


def assets_json(report: AssetReport, histories: list[AssetHistory] | None = None) -> str:
    """The asset histories as one JSON document: inventory state and problems, then the histories."""
    chosen = report.histories if histories is None else histories
    out: dict[str, Any] = {
        "inventory": {
            "present": report.inventory.present,
            "usable": report.inventory.usable,
            "problems": [p.as_dict() for p in report.inventory.problems],
        },
        "assets": [h.as_dict() for h in chosen],
    }
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def _action_line(entry: ActionEntry, report: FollowThrough, lead: str) -> str:
    flags = "".join(f"  [{flag}]" for flag in report.flags_of(entry))
    return f"  {lead}  {entry.incident.id}  {entry.owner}  {entry.priority or '-'}  {entry.text}{flags}"


def actions_text(report: FollowThrough, overdue_only: bool = False, owner: str | None = None) -> str:
    """Overdue actions with their age; unless ``overdue_only``, completed ones nobody verified and every open one."""
    whose = f" of {owner}" if owner else ""
    lines = [
        f"Actions{whose} as of {report.today}: {len(report.open)} open, {len(report.overdue)} overdue, "
        f"{len(report.unverified)} completed without verification.",
        "",
        f"Overdue, oldest first ({len(report.overdue)}):",
    ]
    lines += [_action_line(e, report, f"due {e.due}, {e.age_days} days overdue") for e in report.overdue] or ["  none"]
    if not overdue_only:
        lines += ["", f"Completed without verification ({len(report.unverified)}):"]
        lines += [_action_line(e, report, f"completed {e.completed or '(no date)'}") for e in report.unverified] or [
            "  none"
        ]
        lines += ["", f"Open ({len(report.open)}):"]
        lines += [_action_line(e, report, f"{e.status}, due {e.due or '-'}") for e in report.open] or ["  none"]
        lines += ["", f"Done, but the fix did not hold ({len(report.not_held)}):"]
        lines += [_action_line(e, report, f"{e.status}") for e in report.not_held] or ["  none"]
        flagged = report.flagged([*report.open, *report.unverified, *report.not_held])
        if report.flags and not flagged:
            lines += ["", "Flagged: none of these"]
    return "\n".join(lines) + "\n"


def actions_json(report: FollowThrough, overdue_only: bool = False, owner: str | None = None) -> str:
    """The follow-through as one JSON document: ``today``, ``owner``, then the lists of actions."""
    out: dict[str, Any] = {
        "today": report.today.isoformat(),
        "owner": owner,
        "overdue": [entry_dict(e, report) for e in report.overdue],
    }
    if not overdue_only:
        out["unverified"] = [entry_dict(e, report) for e in report.unverified]
        out["open"] = [entry_dict(e, report) for e in report.open]
        out["not_held"] = [entry_dict(e, report) for e in report.not_held]
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
