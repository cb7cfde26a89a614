"""Asset history pages: an index of every host and version, and one page per asset with its failures in time order."""

from __future__ import annotations

from failurelog.analysis.assets import AssetHistory, AssetKind, AssetReport
from failurelog.analysis.figures import Summary
from failurelog.core.inventory import Inventory
from failurelog.core.primary import failed_field, primary_specs
from failurelog.core.schema import Schema
from failurelog.site import markup as m
from failurelog.site.context import ASSET_INDEX, INCIDENT_INDEX, Context, asset_page
from failurelog.site.paging import TABLE_MARKER, Pages, pages_of

#: Where the later pages of each kind's table go (``KIND_PAGES/host/page-2.md``).
KIND_PAGES = ASSET_INDEX.removesuffix(".md")


def method(schema: Schema) -> str:
    """What a failure is and how the figures are made, on every asset page (read from the ``x-primary`` list)."""
    rule = "an incident names it"
    for spec in primary_specs(schema)[:1]:
        stated = failed_field(schema, spec)
        says = f"the affected asset's *{m.text(stated.title)}* says so, or, not stated, " if stated else ""
        rule = (
            f"it failed itself: {says}it is the {m.text(spec.value)} one (for a version: an asset that failed runs it)"
        )
    return (
        f"An asset **fails** in an incident when {rule}; an asset that did not fail (a standby that took over, a "
        "bystander) is listed as *involved* and not counted. MTBF is the observation window divided by the "
        "failures (n/a with fewer than two). Drafts count: the failure happened."
    )


def _mtbf(history: AssetHistory) -> str:
    return f"{m.number(history.mtbf_days)} days" if history.mtbf_days is not None else "n/a"


def _usd(value: float | None) -> str:
    return f"{m.number(value, 0)} USD" if value is not None else "—"


def _loss(history: AssetHistory) -> float | None:
    """Realised plus estimated loss, or None when no failure states either."""
    known = [v for v in (history.loss_realised, history.loss_estimated) if v is not None]
    return sum(known) if known else None


def inventory_note(inventory: Inventory, history: AssetHistory | None = None) -> str:
    """Whether rates could be computed (with the build's inventory), and why not."""
    if inventory.problems:
        listed = "\n".join(
            f"- `{m.text(p.file)}` line {p.line}, {m.text(p.field)}: {m.text(p.message)}" for p in inventory.problems
        )
        return f"Failure rates need `inventory/assets.yaml`, which has problems and was not used:\n\n{listed}"
    if not inventory.present:
        return (
            "Failure rates per asset-year need an inventory: list how many of each model or version the fleet "
            "runs, and since when, in `inventory/assets.yaml` (see the README)."
        )
    if history is not None and history.inventory is None:
        return "This asset is not in `inventory/assets.yaml`, so it has no failure rate."
    return "Failure rates per asset-year come from `inventory/assets.yaml`."


def _rate(history: AssetHistory) -> str:
    rate = history.rate_per_asset_year
    return m.number(rate, 3) if rate is not None else "—"


def kind_pages(report: AssetReport) -> dict[str, Pages]:
    """How each kind's table of the asset index is cut into pages (by kind slug); page 1 is on the index."""
    return {
        kind.slug: pages_of(ASSET_INDEX, len(report.of_kind(kind)), stem=f"{KIND_PAGES}/{kind.slug}", noun="assets")
        for kind in report.kinds
    }


def _kind_table(ctx: Context, kind: AssetKind, number: int, here: str) -> str:
    """Page ``number`` of one kind's assets, busiest first, with the page navigation when paged."""
    pages = kind_pages(ctx.assets)[kind.slug]
    ordered = sorted(ctx.assets.of_kind(kind), key=lambda h: (-len(h.failures), h.name.casefold(), h.name))
    table = m.table(
        [
            "Asset",
            "Failures",
            "Incidents",
            "MTBF (days)",
            "TTR mean, outages (min)",
            "TTR p90, outages (min)",
            "TTR mean, all (min)",
            "Outage (min)",
            "Loss (USD)",
            "Per asset-year",
        ],
        [
            [
                m.link(h.name, asset_page(h), here),
                str(len(h.failures)),
                str(len(h.occurrences)),
                m.number(h.mtbf_days) if h.mtbf_days is not None else "n/a",
                m.number(h.recovery.outages.mean),
                m.number(h.recovery.outages.p90),
                m.number(h.recovery.every.mean),
                m.number(h.outage_min),
                m.number(_loss(h), 0),
                _rate(h),
            ]
            for h in pages.items(ordered, number)
        ],
    )
    nav = pages.nav(number, here)
    return f"{nav}\n\n{TABLE_MARKER}\n\n{table}\n\n{nav}" if nav else f"{TABLE_MARKER}\n\n{table}"


def asset_index(ctx: Context) -> str:
    """Every asset of every kind with its failures, MTBF, recovery, outage and loss (each kind's first page)."""
    report = ctx.assets
    here = ASSET_INDEX
    first = min((h.window[0] for h in report.histories if h.window), default=ctx.model.today)
    intro = (
        f"Every host and every model, firmware, driver, kernel and BIOS version the incidents name "
        f"({len(report.histories)} in all). Observation window: {first.isoformat()} (the first incident) to "
        f"{ctx.model.today.isoformat()} (the build date). {method(ctx.model.schema)}"
    )
    parts = [m.page_header("Asset histories", hide=("navigation", "toc")) + f"# Asset histories\n\n{intro}"]
    parts.append(inventory_note(report.inventory))
    for kind in report.kinds:
        parts.append(f"## {m.text(kind.title)} ({len(report.of_kind(kind))})")
        if not report.of_kind(kind):
            parts.append("No incident names one yet.")
            continue
        parts.append(_kind_table(ctx, kind, 1, here))
    return "\n\n".join(parts) + "\n"


def asset_kind_page(ctx: Context, kind: AssetKind, number: int) -> str:
    """Page ``number`` (from 2) of one kind's table of the asset index."""
    pages = kind_pages(ctx.assets)[kind.slug]
    here = pages.path(number)
    title = pages.title(f"Asset histories: {kind.title}", number)
    back = m.link("Asset histories", ASSET_INDEX, here)
    return (
        m.page_header(title, hide=("navigation", "toc"), search=False)
        + f"# {m.text(title)}\n\n{back} · {method(ctx.model.schema)}\n\n{_kind_table(ctx, kind, number, here)}\n"
    )


def _recovery_line(what: str, summary: Summary, no_outage: int = 0) -> str:
    count = f"{summary.count} failure{'' if summary.count == 1 else 's'}"
    extra = f", {no_outage} with no outage" if no_outage else ""
    return (
        f"- **Time to recover, {what}:** mean {m.minutes(summary.mean)}, p90 {m.minutes(summary.p90)} "
        f"(of {count}{extra})"
    )


def _figures(history: AssetHistory) -> str:
    start, end = history.window or (None, None)
    window = f"{start} to {end} ({m.number(history.window_days, 0)} days)" if start else "—"
    lines = [
        f"- **Failures:** {len(history.failures)} (incidents naming it: {len(history.occurrences)})",
        f"- **Observation window:** {window}",
        f"- **MTBF:** {_mtbf(history)}" + ("" if history.mtbf_days is not None else " (fewer than two failures)"),
        _recovery_line("outages only (downtime above 0)", history.recovery.outages),
        _recovery_line("every failure stating it", history.recovery.every, history.recovery.no_outage),
        f"- **Outage:** {m.minutes(history.outage_min)}",
        f"- **Loss:** realised {_usd(history.loss_realised)}, estimated {_usd(history.loss_estimated)}",
    ]
    if history.inventory is not None:
        entry = history.inventory
        lines.append(
            f"- **Failures per asset-year:** {_rate(history)} ({len(history.failures)} in "
            f"{m.number(history.asset_years)} asset-years: {entry.count} since {entry.since.isoformat()})"
        )
    return "\n".join(lines)


def history_pages(history: AssetHistory) -> Pages:
    """How one asset's list of incidents is cut into pages."""
    return pages_of(asset_page(history), len(history.occurrences), noun="incidents")


def asset_history_page(ctx: Context, history: AssetHistory, number: int = 1) -> str:
    """One asset: its figures, then every incident naming it, oldest first (page ``number`` of them)."""
    pages = history_pages(history)
    here = pages.path(number)
    title = pages.title(f"{history.kind.title} {history.name}", number)
    back = m.link("Asset histories", ASSET_INDEX, here)
    heading = pages.title(f"{m.text(history.kind.title)}: {m.text(history.name)}", number)
    parts = [m.page_header(title, hide=("navigation", "toc")) + f"# {heading}\n\n{back} · {method(ctx.model.schema)}"]
    if number > 1:
        parts.append("## Incidents, oldest first")
        parts.append(_occurrence_table(ctx, pages, history, number))
        return "\n\n".join(parts) + "\n"
    parts.append(_figures(history))
    parts.append(inventory_note(ctx.inventory, history))
    pattern = ctx.pattern_page(history.kind.field.name, history.name)
    if pattern:
        parts.append(f"Every incident with this value, with monthly counts: {m.link('pattern page', pattern, here)}.")
    parts.append("## Incidents, oldest first")
    if not history.occurrences:
        parts.append(f"No incident names it ({m.link('all incidents', INCIDENT_INDEX, here)}).")
        return "\n\n".join(parts) + "\n"
    parts.append(_occurrence_table(ctx, pages, history, 1))
    return "\n\n".join(parts) + "\n"


def _occurrence_table(ctx: Context, pages: Pages, history: AssetHistory, number: int) -> str:
    here = pages.path(number)
    rows = []
    for o in pages.items(history.occurrences, number):
        i = o.incident
        rows.append(
            [
                i.day,
                m.link(i.id, i.page, here),
                m.cell(i.title),
                m.cell(("failed" if o.failed else "involved") + (f" ({', '.join(o.roles)})" if o.roles else "")),
                m.cell(i.severity),
                m.cell(i.status),
                m.number(ctx.model.time_to_recover(i)),
                m.number(ctx.model.downtime(i)),
            ]
        )
    header = ["Date", "Incident", "Title", "Counted (role)", "Severity", "Status", "TTR (min)", "Outage (min)"]
    nav = pages.nav(number)
    table = m.table(header, rows)
    return f"{nav}\n\n{table}\n\n{nav}" if nav else table
