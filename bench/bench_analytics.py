"""Reliability analytics benchmark (issue 15): recovery KPIs, asset histories and follow-through at 1k, 3k, 10k.

For each size N it generates N valid, full-schema synthetic incidents
(bench/synth.py; reused from ``--work`` when present), writes an inventory
listing every model, firmware, driver, kernel and BIOS version they name (so
the failure rates are computed too), loads and validates them once (not
timed), then times, side by side in one process:

- ``kpis``: the recovery KPIs by each of severity, component, trigger and quarter;
- ``assets``: reading the inventory and every asset history (hosts and versions);
- ``actions``: follow-through (open, overdue, completed without verification);

``all`` is their sum: what ``failurelog stats``, ``assets`` and ``actions``
and the site's recovery, asset and action pages compute. Medians of
``--repeat`` runs (default 5). Results print as Markdown and, with
``--write``, replace the "## Reliability analytics (issue 15)" section of
bench/README.md. The budget is 3 s at 10,000 incidents.

    python bench/bench_analytics.py [--sizes 1000 3000 10000] [--work /tmp/bench-analytics] [--write]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import bench_site  # noqa: E402
import yaml  # noqa: E402
from readme_section import write_section  # noqa: E402

from failurelog.analysis.assets import asset_kinds, asset_report  # noqa: E402
from failurelog.analysis.followthrough import follow_through  # noqa: E402
from failurelog.analysis.kpis import every_breakdown  # noqa: E402
from failurelog.core.inventory import INVENTORY_FILE, read_inventory  # noqa: E402
from failurelog.model.incident import Model  # noqa: E402
from failurelog.model.load import load_valid  # noqa: E402

SECTION = "## Reliability analytics (issue 15)"
TODAY = date(2026, 12, 1)
BUDGET_S = 3.0


def write_inventory(repo: Path, model: Model) -> int:
    """An inventory naming every version the incidents name (not hosts), 50 of each since 2024-01-01."""
    report = asset_report(model)
    entries = [
        {"kind": h.kind.kind, "name": h.name, "count": 50, "since": "2024-01-01"}
        for h in report.histories
        if h.kind.kind != "host"
    ]
    (repo / INVENTORY_FILE).parent.mkdir(exist_ok=True)
    (repo / INVENTORY_FILE).write_text(yaml.safe_dump({"assets": entries}, sort_keys=False), encoding="utf-8")
    return len(entries)


def _median(work: Callable[[], Any], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def measure(work: Path, count: int, repeat: int) -> dict[str, float]:
    """Medians for one size."""
    repo = bench_site.prepare_repo(work, count)
    loaded = load_valid(repo, TODAY)
    if loaded.skipped:
        raise SystemExit(f"{len(loaded.skipped)} synthetic incidents are invalid: {loaded.skipped[:3]}")
    model = loaded.model
    listed = write_inventory(repo, model)
    kinds = [k.kind for k in asset_kinds(model.schema)]

    def assets() -> Any:
        inventory = read_inventory(repo, kinds)
        assert inventory.usable, inventory.problems[:3]
        return asset_report(model, inventory)

    timings = {
        "kpis": _median(lambda: every_breakdown(model), repeat),
        "assets": _median(assets, repeat),
        "actions": _median(lambda: follow_through(model), repeat),
    }
    report = assets()
    return {
        "count": len(model.incidents),
        **timings,
        "all": sum(timings.values()),
        "histories": len(report.histories),
        "inventory": listed,
        "actions_n": len(follow_through(model).open),
    }


def table(results: list[dict[str, float]]) -> str:
    """The results as a Markdown table, with growth against the smallest size."""
    base = results[0]
    lines = [
        "| Incidents | KPIs (4 breakdowns) | Asset histories | Follow-through | All | Growth | Asset pages |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        growth = r["all"] / base["all"] if base["all"] else float("nan")
        lines.append(
            f"| {int(r['count']):,} | {r['kpis']:.3f} s | {r['assets']:.3f} s | {r['actions']:.3f} s | "
            f"**{r['all']:.3f} s** | {growth:.1f}x for {r['count'] / base['count']:.0f}x the incidents | "
            f"{int(r['histories']):,} |"
        )
    return "\n".join(lines)


def report(results: list[dict[str, float]], repeat: int, load: str) -> str:
    """The README section."""
    largest = results[-1]
    verdict = "within" if largest["all"] <= BUDGET_S else "OVER"
    return "\n\n".join(
        [
            SECTION,
            f"`python bench/bench_analytics.py --sizes {' '.join(str(int(r['count'])) for r in results)}` on "
            f"{platform.machine()} with {os.cpu_count()} CPUs, Python {platform.python_version()}; load average "
            f"before the run {load}. Medians of {repeat} runs in one process, incidents loaded and validated once "
            "beforehand (not timed); the inventory lists every version the incidents name, so rates are computed.",
            table(results),
            f"At {int(largest['count']):,} incidents all three analyses take {largest['all']:.2f} s: {verdict} the "
            f"{BUDGET_S:.0f} s budget. Every analysis is one pass over the incidents (asset histories: one per "
            "asset kind), so the time grows linearly with N.",
        ]
    )


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-analytics"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="write the results into bench/README.md")
    args = parser.parse_args()
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    results = [measure(args.work, n, args.repeat) for n in sorted(args.sizes)]
    section = report(results, args.repeat, load)
    print(section)
    if args.write:
        write_section(SECTION, section)


if __name__ == "__main__":
    main()
