"""One ``serve`` regeneration after an edit, in-process, phase by phase: what the hook's ``prepare`` costs.

    .venv/bin/python bench/bench_regenerate.py --count 1000 --edits 3
    .venv/bin/python bench/bench_regenerate.py --src /tmp/main/src ...   # another checkout's code, to compare

Uses the repository ``bench/bench_site.py`` prepares (``bench/synth.py`` incidents; put under git with one commit
here when it is not yet). As a running ``serve`` does: one first ``prepare`` fills the caches (validation, parsed
documents, history, bodies, and the page cache where the code has one), then after each edit of one incident (a
title and a body sentence, a different incident each time, uncommitted) ``prepare`` again, timed whole (wall and
CPU, this process and its forked workers) and by phase: validation, git history, the analyses, and the pages
rendered and written. Prints one line per edit, then the medians.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_site

TODAY = date(2026, 12, 1)
PHASES = {"validate": "validate_documents", "history": "read_history", "pages+write": "write_tree"}


def _timed(owner: Any, name: str, label: str, into: dict[str, float]) -> None:
    func: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            into[label] = into.get(label, 0.0) + time.perf_counter() - start

    setattr(owner, name, wrapper)


def _cpu() -> float:
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def _edit(path: Path, number: int) -> None:
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\ntitle: ")
    line, newline, tail = rest.partition("\n")
    path.write_text(f"{head}{sep}{line} (edit {number}){newline}{tail}\nEdited ({number}).\n", encoding="utf-8")


def _git(repo: Path, *args: str) -> None:
    env = ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *env, *args], cwd=repo, check=True, capture_output=True)


def main() -> None:
    """Prepare once, then time ``prepare`` after each edit."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/failurelog-bench-site"))
    parser.add_argument("--offset", type=int, default=0, help="which incidents to edit (another run, others)")
    parser.add_argument("--src", type=Path, help="the src folder of the code to time (default: this checkout's)")
    args = parser.parse_args()
    if args.src is not None:  # bench_site (synth) loaded this checkout's package: load the other one instead
        sys.path.insert(0, str(args.src.resolve()))
        for name in [m for m in sys.modules if m == "failurelog" or m.startswith("failurelog.")]:
            del sys.modules[name]
    from failurelog.site import context, generate

    repo = bench_site.prepare_repo(args.work, args.count)
    if not (repo / ".git").exists():
        _git(repo, "init", "-q", "-b", "main")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "synthetic incidents")
    times: dict[str, float] = {}
    for label, name in PHASES.items():
        _timed(generate, name, label, times)
    _timed(context, "build_context", "analyses", times)
    try:
        from failurelog.site import pagecache  # type: ignore[attr-defined,unused-ignore]

        pagecache.enable()  # as serve's hook does
    except ImportError:
        pagecache = None  # code from before the page cache
    files = sorted((repo / "incidents").rglob("*.md"))
    generate._MEMO.clear()
    generate.prepare(repo, today=TODAY)
    rows: dict[str, list[float]] = {}
    for number in range(args.edits):
        _edit(files[(number * 97 + args.offset) % len(files)], number)
        times.clear()
        generate._MEMO.clear()
        start, cpu = time.perf_counter(), _cpu()
        done = generate.prepare(repo, today=TODAY)
        measured = {"wall": time.perf_counter() - start, "cpu": _cpu() - cpu, **times}
        for name, value in measured.items():
            rows.setdefault(name, []).append(value)
        shown = ", ".join(f"{name} {value:.2f} s" for name, value in measured.items())
        kept = f"; pages {pagecache.stats}" if pagecache is not None else ""
        load = os.getloadavg()[0]
        print(f"edit {number + 1}: {shown}; written {done.written.written}{kept}; load {load:.1f}", flush=True)
    print("median: " + ", ".join(f"{name} {statistics.median(values):.2f} s" for name, values in rows.items()))


if __name__ == "__main__":
    main()
