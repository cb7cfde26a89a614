"""Time `failurelog validate ONE_FILE` (what pre-commit runs) and full runs, cold and warm, at several sizes.

    python bench/bench_validate_one.py [--sizes 20,1000,10000] [--runs 5] [--work DIR] [--cjs]

For each size, a repository of synthetic incidents (bench/synth.py; kept in
WORK/rN when --work is given) is validated:

- full, cold (`.failurelog-cache/` removed first) and warm (nothing changed);
- one file, warm (the cache of the full run), RUNS times: median wall time and
  peak RSS (from /usr/bin/time); the sizes take turns, one run each, so every
  size meets the same load;
- with --cjs, check-jsonschema on the same front matters, alternating with a
  warm and a `--no-cache` full run.

Every run is the whole command-line program, start-up included, as installed:
with its bytecode cached (PYTHONDONTWRITEBYTECODE is dropped from the
environment, or every run would compile failurelog afresh). Results are
printed as JSON; medians and ratios are what to quote, beside `uptime`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import generate  # noqa: E402

BIN = Path(sys.executable).parent


def timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one run of ``cmd``; exits on failure."""
    env = {**os.environ, "CI": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", *cmd], cwd=cwd, capture_output=True, text=True, check=False, env=env
    )
    if done.returncode != 0:
        sys.exit(f"{cmd} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    seconds, rss = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(rss)


def repository(work: Path, size: int) -> Path:
    root = work / f"r{size}"
    if not (root / "incidents").exists():
        print(f"generating {size} incidents in {root} ...", file=sys.stderr, flush=True)
        generate(root, size)
    return root


def front_matters(root: Path) -> list[str]:
    folder = root / "frontmatter"
    if not folder.exists():
        folder.mkdir()
        for path in (root / "incidents").rglob("*.md"):
            text = path.read_text(encoding="utf-8")
            (folder / f"{path.stem}.yaml").write_text(text.split("---\n", 2)[1], encoding="utf-8")
    return sorted(str(p) for p in folder.glob("*.yaml"))


def one_file(root: Path) -> list[str]:
    """The command that validates the file in the middle of the repository."""
    one = sorted((root / "incidents").rglob("*.md"))[len(list((root / "incidents").rglob("*.md"))) // 2]
    return [str(BIN / "failurelog"), "validate", "-q", str(one.relative_to(root))]


def singles(roots: list[Path], runs: int) -> list[list[tuple[float, int]]]:
    """RUNS one-file runs in each repository, the repositories taking turns."""
    out: list[list[tuple[float, int]]] = [[] for _ in roots]
    for _ in range(runs):
        for number, root in enumerate(roots):
            out[number].append(timed(one_file(root), root))
    return out


def measure(root: Path, runs: int, cjs: bool) -> dict[str, object]:
    failurelog = str(BIN / "failurelog")
    shutil.rmtree(root / ".failurelog-cache", ignore_errors=True)
    cold = timed([failurelog, "validate", "-q"], root)
    warm = [timed([failurelog, "validate", "-q"], root) for _ in range(runs)]
    out: dict[str, object] = {
        "incidents": len(list((root / "incidents").rglob("*.md"))),
        "full_cold_s": cold[0],
        "full_cold_rss_mb": round(cold[1] / 1024),
        "full_warm_median_s": statistics.median(t for t, _ in warm),
        "full_warm_s": [t for t, _ in warm],
    }
    if cjs:
        files = front_matters(root)
        theirs, fresh, ours = [], [], []
        for _ in range(runs):
            theirs.append(
                timed([str(BIN / "check-jsonschema"), "--schemafile", "schema/incident.schema.json", *files], root)[0]
            )
            fresh.append(timed([failurelog, "validate", "-q", "--no-cache"], root)[0])
            ours.append(timed([failurelog, "validate", "-q"], root)[0])
        out.update(
            check_jsonschema_s=theirs,
            no_cache_s=fresh,
            warm_s=ours,
            check_jsonschema_median_s=statistics.median(theirs),
            ratio_no_cache=round(statistics.median(theirs) / statistics.median(fresh), 1),
            ratio_warm=round(statistics.median(theirs) / statistics.median(ours), 1),
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=None, help="keep the generated repositories here")
    parser.add_argument("--cjs", action="store_true", help="also time check-jsonschema side by side")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="failurelog-bench-"))
    load = os.getloadavg()
    roots = [repository(work, int(size)) for size in args.sizes.split(",")]
    results = {str(root.name[1:]): measure(root, args.runs, args.cjs) for root in roots}
    for root, single in zip(roots, singles(roots, args.runs), strict=True):
        results[root.name[1:]].update(
            one_file_median_s=statistics.median(t for t, _ in single),
            one_file_s=[t for t, _ in single],
            one_file_rss_mb=round(max(r for _, r in single) / 1024),
        )
    print(json.dumps({"load_average_at_start": load, "load_average_at_end": os.getloadavg(), **results}, indent=2))
    if args.work is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
