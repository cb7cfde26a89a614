"""A warm ``failurelog build`` with nothing changed, against a cold plain ``mkdocs build`` (issue 13).

    python bench/bench_warm.py [--count 1000] [--runs 3] [--work /tmp/failurelog-bench-site]

Uses ``bench/bench_site.py``'s repository of ``bench/synth.py`` incidents (put under git, so the key includes
its refs) and its plain copy (the same incident files built by MkDocs alone). Builds the site once cold (timed,
not part of the ratio), then alternates, RUNS times: a warm ``failurelog build`` (nothing changed: the folder
is found current, site/uptodate.py) and a cold plain ``mkdocs build`` (its site folder removed first). Then
one edit (an incident's title) and one more ``failurelog build``, to show an edit is not skipped. Each build is
a fresh process; wall times, medians; the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_site


def _timed(command: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=bench_site.ENV, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/failurelog-bench-site"))
    args = parser.parse_args()
    repo = bench_site.prepare_repo(args.work, args.count)
    plain = bench_site.prepare_plain(args.work, repo, args.count)
    bench_site.under_git(repo)
    ours = [sys.executable, "-m", "failurelog", "build"]
    print(f"load before: {os.getloadavg()}")
    cold, said = _timed([*ours, "--force"], repo)
    print(f"failurelog build, cold: {cold:.1f} s ({said})")
    warm, base = [], []
    for _ in range(args.runs):
        seconds, said = _timed(ours, repo)
        assert said.startswith("up to date"), said
        warm.append(seconds)
        shutil.rmtree(plain / "site", ignore_errors=True)
        base.append(_timed([sys.executable, "-m", "mkdocs", "build", "-q"], plain)[0])
    print(f"failurelog build, nothing changed: {', '.join(f'{s:.2f}' for s in warm)} s")
    print(f"plain mkdocs build, cold:          {', '.join(f'{s:.1f}' for s in base)} s")
    ratio = statistics.median(warm) / statistics.median(base)
    print(f"medians: {statistics.median(warm):.2f} s against {statistics.median(base):.1f} s = {ratio:.3f}x")
    incident = sorted((repo / "incidents").rglob("*.md"))[0]
    text = bench_site.edit_title(incident, prefix="Warm ")
    try:
        seconds, said = _timed(ours, repo)
        print(f"after one title edit: {seconds:.1f} s ({said})")
    finally:
        incident.write_text(text, encoding="utf-8")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
