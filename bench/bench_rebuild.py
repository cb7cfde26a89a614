"""What one ``serve`` rebuild spends validating and reading git history after one edit: before and after the caches.

    .venv/bin/python bench/bench_rebuild.py --count 1000 --edits 3

Uses the repository ``bench/bench_site.py`` prepares (``bench/synth.py`` incidents; put under git with one commit
here when it is not yet). In one process, after each edit of one incident's title (a different incident each
time, left uncommitted as in ``serve``), times side by side:

- ``every file``: the build's validation without the cache (every incident checked) and the git history read
  afresh (log and every revision), as each rebuild did before;
- ``kept``: what a rebuild in a running ``serve`` does now: the validation cache (only the edited file checked,
  the others' documents kept) and the committed history kept for the HEAD commit.

Prints each time and the medians. Rendering and MkDocs are not timed here (see bench_serve.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_site

from failurelog.history import read as history_read
from failurelog.validate import parsed
from failurelog.validate.run import validate_documents


def _timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    """Prepare the repository, then time the two ways after each edit."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/failurelog-bench-site"))
    args = parser.parse_args()
    repo = bench_site.under_git(bench_site.prepare_repo(args.work, args.count))
    files = sorted((repo / "incidents").rglob("*.md"))
    validate_documents(repo)  # the first build of a serve: fills the cache and the kept documents
    history_read.read_history(repo)
    rows: dict[str, list[float]] = {"validate, every file": [], "history, afresh": [], "validate, kept": []}
    rows["history, kept"] = []
    for number in range(args.edits):
        bench_site.edit_title(files[(number * 97) % len(files)], suffix=f" (edit {number})")
        rows["validate, kept"].append(_timed(lambda: validate_documents(repo)))
        rows["history, kept"].append(_timed(lambda: history_read.read_history(repo)))
        rows["validate, every file"].append(_timed(lambda: validate_documents(repo, cache=False)))
        kept = dict(history_read._COMMITTED)
        history_read._COMMITTED.clear()
        rows["history, afresh"].append(_timed(lambda: history_read.read_history(repo)))
        history_read._COMMITTED.update(kept)
        print(f"edit {number + 1}: " + ", ".join(f"{name} {times[-1]:.2f} s" for name, times in rows.items()))
    for name, times in rows.items():
        print(f"median {name}: {statistics.median(times):.2f} s")
    parsed.forget()


if __name__ == "__main__":
    main()
