"""Time the analyses a site build runs over N synthetic incidents, each stage and their honest sum.

    python bench/bench_analyses.py [--counts 1000 10000] [--runs 3] [--work DIR] [--src DIR]

Generates each COUNT of incidents with bench/synth.py (every field filled, logs
of random words, so signatures are rare: a few hundred stacks are planted
from a pool of 40, each seen on many hosts) and loads them once (not timed;
the parsed documents are kept in ``WORK/COUNT/docs.pickle`` for the next run).
Each run builds a fresh model from those documents (so every incident's body
is split into sections again, as in a build) and times, in the order a build
runs them (``site/context.build_context`` and the pages' ``ctx`` analyses):
related (signatures included), patterns, recurrences, the follow-through of
actions with "the fix did not hold", the home page's and actions page's
lists, KPIs, statistics and asset histories. ``all`` is their sum; the
signatures alone are timed apart as a part of related (not added twice).
The bodies' split into sections is timed first, with the cyclic collector
paused, as a build pays for it: inside ``related()``, the first to read them.
``--src`` times another checkout's ``src`` (main, for a before/after) with
this same script and corpus. Prints the median of RUNS runs, in CPU seconds of
this process (``time.process_time``: on a shared machine at load 5-12 the wall
time is mostly waiting for a core; on an idle one the two agree, the analyses
being single-threaded).
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
_parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
_parser.add_argument("--runs", type=int, default=3)
_parser.add_argument("--work", type=Path)
_parser.add_argument("--src", type=Path, default=HERE.parent / "src", help="the failurelog sources to time")
ARGS = _parser.parse_args()
sys.path.insert(0, str(ARGS.src.resolve()))

from failurelog.analysis.actions import open_actions  # noqa: E402
from failurelog.analysis.followthrough import follow_through  # noqa: E402
from failurelog.analysis.kpis import every_breakdown  # noqa: E402
from failurelog.analysis.patterns import pattern_indexes  # noqa: E402
from failurelog.analysis.recent import compare, open_incidents  # noqa: E402
from failurelog.analysis.related import related  # noqa: E402
from failurelog.analysis.signatures import all_signatures  # noqa: E402
from failurelog.analysis.similar import gc_paused  # noqa: E402
from failurelog.analysis.stats import statistics as stats  # noqa: E402
from failurelog.core.loader import Document  # noqa: E402
from failurelog.core.repository import load_all  # noqa: E402
from failurelog.core.schema import Schema, load_schema  # noqa: E402
from failurelog.model.incident import Model, build_model  # noqa: E402
from failurelog.site.context import Context  # noqa: E402
from failurelog.site.recurrence_parts import site_flaggers  # noqa: E402

STACKS = 40
TODAY = date(2026, 12, 1)
SIGNATURES = "signatures (part of related)"
SECTIONS = "bodies split into sections (the model's, once per build)"


def _generate(folder: Path, count: int) -> None:
    """Write the corpus. bench/synth.py is imported only here: it puts this checkout's ``src`` first on the
    path, and the failurelog modules timed must be those of ``--src``, imported above."""
    sys.path.insert(1, str(HERE))
    from synth import generate, plant_stacks

    plant_stacks(generate(folder, count), STACKS, seed=5)


def _documents(folder: Path) -> list[Document]:
    """The corpus's documents (meta and body only), read once and kept as a pickle beside it."""
    kept = folder / "docs.pickle"
    if kept.is_file():
        rows = pickle.loads(kept.read_bytes())
    else:
        rows = [(d.display, d.meta, d.body) for d in load_all(folder)]
        kept.write_bytes(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
    return [Document(Path(display), display, meta, body) for display, meta, body in rows]


def _signatures(model: Model) -> None:
    with gc_paused():  # as related() reads them
        all_signatures(model.incidents, model.schema)


def one_run(docs: list[Document], schema: Schema) -> dict[str, float]:
    """Seconds of each stage of a build's analyses over a fresh model of ``docs``."""
    times: dict[str, float] = {}

    def timed(name: str, func: Callable[[], Any]) -> Any:
        start = time.process_time()
        out = func()
        times[name] = time.process_time() - start
        return out

    times[SIGNATURES] = 0.0
    model = build_model(docs, schema, TODAY)
    with gc_paused():  # as a build pays for them: inside related(), the first to read them
        timed(SECTIONS, lambda: [i.sections for i in model.incidents])
    rel = timed("related (signatures, suggestion index, suggestions, clusters)", lambda: related(model))
    ctx = Context(model=model, related=rel, patterns=timed("patterns", lambda: pattern_indexes(model)))
    timed("recurrences", lambda: ctx.recurrences)
    timed("follow-through (fix did not hold)", lambda: follow_through(model, flaggers=site_flaggers(ctx)))
    lists = (open_actions, open_actions, compare, open_incidents)  # the home page's and the actions page's
    timed("home and actions lists", lambda: [make(model) for make in lists])
    timed("kpis (every breakdown)", lambda: every_breakdown(model))
    timed("statistics", lambda: stats(model))
    timed("asset histories", lambda: ctx.assets)
    fresh = build_model(docs, schema, TODAY)
    _ = [i.sections for i in fresh.incidents]
    timed(SIGNATURES, lambda: _signatures(fresh))
    return times


def measure(docs: list[Document], schema: Schema, runs: int) -> dict[str, float]:
    """Median seconds of each stage over ``runs`` runs, and ``all``: the sum of a run's stages (median)."""
    rows = [one_run(docs, schema) for _ in range(runs)]
    out = {name: statistics.median(r[name] for r in rows) for name in rows[0]}
    out["all"] = statistics.median(sum(v for k, v in r.items() if k != SIGNATURES) for r in rows)
    return out


def main() -> None:
    """Generate, load, measure, print a Markdown table."""
    work = ARGS.work or Path(tempfile.mkdtemp(prefix="bench-analyses-"))
    results: dict[int, dict[str, float]] = {}
    for count in ARGS.counts:
        folder = work / str(count)
        if not (folder / "incidents").is_dir():
            _generate(folder, count)
        results[count] = measure(_documents(folder), load_schema(folder), ARGS.runs)
        print(f"{count}: " + ", ".join(f"{k} {v:.2f} s" for k, v in results[count].items()), file=sys.stderr)
    names = list(next(iter(results.values())))
    print("| analysis | " + " | ".join(f"{c:,}" for c in results) + " |")
    print("|---|" + "---|" * len(results))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{r[name]:.2f} s" for r in results.values()) + " |")


if __name__ == "__main__":
    main()
