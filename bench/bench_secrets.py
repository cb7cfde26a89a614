"""Cost of the secret scan (and outside-image check) per incident file, and what detect-secrets would cost.

    python bench/bench_secrets.py [--count 1000] [--work DIR] [--repeat-from REPO]

Generates COUNT synthetic incidents (bench/synth.py, about 20 KiB each), then
measures in one process (CPU time, so other load on the machine matters less):
loading and checking each file with and without the secret scan and the
outside-image check, and the scan alone; then the scan of each hostile megabyte of
tests/hostile_texts.py (wall clock, median of 3; the test only checks that it finishes, finds a key
planted after it, and reads each line once per rule). If detect-secrets is installed, its ad hoc
``scan_line`` (all plugins, default filters) is timed on the lines of a sample for comparison.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent))

from synth import generate  # noqa: E402
from tests.hostile_texts import HOSTILE_MEGABYTES  # noqa: E402

from failurelog.core.loader import load  # noqa: E402
from failurelog.core.schema import load_schema  # noqa: E402
from failurelog.validate import run as validate_module  # noqa: E402
from failurelog.validate.secrets import scan  # noqa: E402


def per_file_us(paths: list[Path], root: Path, *, with_scan: bool) -> float:
    """Mean CPU time to load and check one file, with or without the secret and outside-content checks."""
    schema = load_schema(root)
    schema.quick_check  # noqa: B018 -- compile outside the timing
    saved = validate_module.secret_problems, validate_module.outside_content_problems
    if not with_scan:
        validate_module.secret_problems = lambda doc: []
        validate_module.outside_content_problems = lambda doc, markdown: []
    try:
        start = time.process_time()
        for path in paths:
            validate_module.check_document(load(path, root=root), schema, quick=True)
        return (time.process_time() - start) / len(paths) * 1e6
    finally:
        validate_module.secret_problems, validate_module.outside_content_problems = saved


def scan_us(texts: list[str]) -> float:
    start = time.process_time()
    for text in texts:
        scan(text)
    return (time.process_time() - start) / len(texts) * 1e6


def hostile_seconds() -> dict[str, float]:
    """Median wall-clock seconds of 3 scans of each hostile megabyte."""
    out = {}
    for name, text in HOSTILE_MEGABYTES.items():
        times = []
        for _ in range(3):
            start = time.perf_counter()
            scan(text)
            times.append(time.perf_counter() - start)
        out[name] = round(statistics.median(times), 3)
    return out


def detect_secrets_us_per_line(texts: list[str]) -> float | None:
    try:
        from detect_secrets.core.scan import scan_line
        from detect_secrets.settings import default_settings
    except ImportError:
        return None
    lines = [line for text in texts[:5] for line in text.split("\n")]
    with default_settings():
        start = time.process_time()
        for line in lines:
            list(scan_line(line))
        return (time.process_time() - start) / len(lines) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=None, help="keep (or reuse) the generated files here")
    parser.add_argument(
        "--repeat-from", type=Path, default=None, help="instead of generating, repeat this repository's incidents"
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="failurelog-bench-secrets-"))
    if args.repeat_from is not None:
        shipped = sorted((args.repeat_from / "incidents").rglob("SYS-*.md"))
        paths = [shipped[n % len(shipped)] for n in range(args.count)]
        work = args.repeat_from
    else:
        if not (work / "incidents").exists():
            generate(work, args.count)
        paths = sorted((work / "incidents").rglob("*.md"))[: args.count]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    without = per_file_us(paths, work, with_scan=False)
    with_scan = per_file_us(paths, work, with_scan=True)
    result = {
        "files": len(paths),
        "mean_kib": round(sum(map(len, texts)) / len(texts) / 1024, 1),
        "load_and_check_us_without_new_checks": round(without),
        "load_and_check_us_with_new_checks": round(with_scan),
        "scan_alone_us": round(scan_us(texts)),
        "detect_secrets_scan_line_us_per_line": None,
        "hostile_megabyte_scan_s": hostile_seconds(),
    }
    ds = detect_secrets_us_per_line(texts)
    if ds is not None:
        result["detect_secrets_scan_line_us_per_line"] = round(ds)
    print(json.dumps(result, indent=2))
    if args.work is None and args.repeat_from is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
