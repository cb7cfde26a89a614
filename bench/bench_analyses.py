"""Time the analyses over N synthetic incidents: signatures, suggestions and clusters, recurrences, KPIs, assets.

    python bench/bench_analyses.py [--counts 1000 10000] [--runs 3] [--work DIR]

Generates each COUNT of incidents with bench/synth.py (every field filled, logs
of random words, so signatures are rare: a few hundred stacks are planted
from a pool of 40, each seen on many hosts), loads them once (not timed),
then runs each analysis RUNS times in this process and prints the median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from synth import generate, plant_stacks  # noqa: E402

from failurelog.analysis.assets import asset_report  # noqa: E402
from failurelog.analysis.kpis import kpis  # noqa: E402
from failurelog.analysis.patterns import pattern_indexes  # noqa: E402
from failurelog.analysis.recurrence import recurrences  # noqa: E402
from failurelog.analysis.related import related  # noqa: E402
from failurelog.analysis.signatures import all_signatures  # noqa: E402
from failurelog.analysis.similar import gc_paused  # noqa: E402
from failurelog.core.repository import load_all  # noqa: E402
from failurelog.core.schema import load_schema  # noqa: E402
from failurelog.model.incident import Model, build_model  # noqa: E402

STACKS = 40


def median_time(func: Callable[[], Any], runs: int) -> float:
    """Median wall time of ``func`` over ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _signatures(model: Model) -> None:
    with gc_paused():  # as related() reads them
        all_signatures(model.incidents, model.schema)


def measure(model: Model, runs: int) -> dict[str, float]:
    """Median seconds of each analysis over ``model``."""
    rel = related(model)
    return {
        "signatures": median_time(lambda: _signatures(model), runs),
        "related (signatures, suggestions, clusters)": median_time(lambda: related(model), runs),
        "recurrences (given related)": median_time(lambda: recurrences(model, rel), runs),
        "patterns": median_time(lambda: pattern_indexes(model), runs),
        "kpis": median_time(lambda: kpis(model), runs),
        "asset histories": median_time(lambda: asset_report(model), runs),
    }


def main() -> None:
    """Generate, load, measure, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-analyses-"))
    results: dict[int, dict[str, float]] = {}
    for count in args.counts:
        folder = work / str(count)
        if not (folder / "incidents").is_dir():
            plant_stacks(generate(folder, count), STACKS, seed=5)
        model = build_model(load_all(folder), load_schema(folder), date(2026, 12, 1))
        results[count] = measure(model, args.runs)
        print(f"{count}: " + ", ".join(f"{k} {v:.2f} s" for k, v in results[count].items()), file=sys.stderr)
    names = list(next(iter(results.values())))
    print("| analysis | " + " | ".join(f"{c:,}" for c in results) + " |")
    print("|---|" + "---|" * len(results))
    for name in [*names, "all"]:
        cells = [sum(r.values()) if name == "all" else r[name] for r in results.values()]
        print(f"| {name} | " + " | ".join(f"{v:.2f} s" for v in cells) + " |")


if __name__ == "__main__":
    main()
