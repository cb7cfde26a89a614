"""Time `failurelog validate` against check-jsonschema on the same front matter.

    python bench/bench_validate.py [--count 10000] [--runs 3] [--work DIR]

Generates COUNT synthetic incidents that use the whole schema (bench/synth.py),
writes each one's front matter to a .yaml file for check-jsonschema, then runs
both tools RUNS times, alternating, and prints the median wall time of each
and their ratio. Both run as command-line programs, start-up included;
failurelog's time includes the cross-incident rules.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import generate  # noqa: E402


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="keep the generated files here")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="failurelog-bench-"))
    if not (work / "incidents").exists():
        print(f"generating {args.count} incidents in {work} ...", flush=True)
        generate(work, args.count)
    yaml_dir = work / "frontmatter"
    if not yaml_dir.exists():
        yaml_dir.mkdir()
        for path in (work / "incidents").rglob("*.md"):
            text = path.read_text(encoding="utf-8")
            (yaml_dir / f"{path.stem}.yaml").write_text(text.split("---\n", 2)[1], encoding="utf-8")
    bin_dir = Path(sys.executable).parent
    failurelog = [str(bin_dir / "failurelog"), "validate", "-q"]
    yaml_files = sorted(str(p) for p in yaml_dir.glob("*.yaml"))
    cjs = [
        str(bin_dir / "check-jsonschema"),
        "--schemafile",
        str(work / "schema" / "incident.schema.json"),
        *yaml_files,
    ]
    ours, theirs = [], []
    for run in range(args.runs):
        ours.append(timed(failurelog, work))
        theirs.append(timed(cjs, work))
        print(f"run {run + 1}: failurelog {ours[-1]:.2f} s, check-jsonschema {theirs[-1]:.2f} s", flush=True)
    result = {
        "count": args.count,
        "runs": args.runs,
        "failurelog_median_s": round(statistics.median(ours), 2),
        "check_jsonschema_median_s": round(statistics.median(theirs), 2),
        "ratio": round(statistics.median(theirs) / statistics.median(ours), 1),
        "failurelog_s": [round(x, 2) for x in ours],
        "check_jsonschema_s": [round(x, 2) for x in theirs],
    }
    print(json.dumps(result, indent=2))
    if args.work is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
