"""Time the one-pass git history read against a per-file ``git log`` loop.

    python bench/bench_history.py [--count 10000] [--runs 3] [--sample 500] [--work DIR]

Builds a real git repository with COUNT incidents and several commits each
(opened, investigated with a severity change and body edits, closed with
sign-off; some moved between year folders, some edited after closing, some
deleted), written in one go with ``git fast-import``, one commit per change.
Then, alternating, RUNS times each:

* ``loop``: ``git log --format=... -- FILE`` once per file, on a random SAMPLE
  of files, extrapolated linearly to COUNT files (the per-file way of getting
  each incident's commits, authors and dates; no ``--follow``, so it is the
  cheaper variant and does not even follow renames);
* ``one pass``: :func:`failurelog.history.read.read_history` with ``only=set()``,
  which gives every incident's creation, last change, revisions,
  contributors, renames and deletions (one ``git log``, one ``git status``);
* ``full``: :func:`read_history` for all incidents, which also reads every
  revision through one ``git cat-file --batch`` and computes the field-level
  and section-level changes and the audit flags.

Prints the median of each and the ratios.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from failurelog.history.read import read_history  # noqa: E402

PEOPLE = [
    ("Alice Example", "alice@example.com"),
    ("Bob Reviewer", "bob@example.com"),
    ("Carol Manager", "carol@example.com"),
    ("Dan Oncall", "dan@example.com"),
    ("Erin SRE", "erin@example.com"),
]
COMPONENTS = ["Network Interface Card (NIC)", "Memory (RAM)", "Operating System (Kernel)", "Database System"]
START = datetime(2016, 1, 1, tzinfo=UTC)
SPAN_MINUTES = 10 * 365 * 24 * 60
_VOCABULARY = (
    "link flap on eth2 after firmware 8.1.2 retransmit storm kernel panic EDAC corrected error threshold "
    "exceeded nvme media errors thermal throttle segfault fixgw order book deadlock risk limits journal"
)
WORDS = _VOCABULARY.split()


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _text(rng: random.Random, incident_id: str, occurred: datetime, stage: int, severity: str, extra: str) -> bytes:
    status = ("draft", "investigating", "closed")[min(stage, 2)]
    lines = [
        "---",
        f"id: {incident_id}",
        f"title: {_words(rng, 6)}",
        f"occurred_at: '{occurred:%Y-%m-%dT%H:%M:%S}.000Z'",
        f"status: {status}",
        f"severity: {severity}",
        f"components: ['{rng.choice(COMPONENTS)}']",
        "system:",
        f"  hostname: fixgw-ny4-{rng.randint(1, 40):02d}",
        f"  kernel_version: 5.14.0-{rng.randint(100, 500)}.el9.x86_64",
        "metrics:",
        "  memory:",
        f"    used_gb: {rng.randint(10, 500)}",
    ]
    if stage >= 1:
        lines += ["root_cause:", f"  summary: {_words(rng, 10)}"]
    if stage >= 2:
        signed = (occurred + timedelta(days=4)).date().isoformat()
        lines += [
            "sign_off:",
            "  analyzed_by:",
            f"    name: {PEOPLE[0][0]}",
            f"    date: '{signed}'",
            "  reviewed_by:",
            f"    name: {PEOPLE[1][0]}",
            f"    date: '{signed}'",
            "  approved_by:",
            f"    name: {PEOPLE[2][0]}",
            f"    date: '{signed}'",
            "  post_mortem_completed: 'Yes'",
            f"  closed_at: '{occurred + timedelta(days=4, hours=8):%Y-%m-%dT%H:%M:%S}Z'",
        ]
    lines.append("---")
    body = [f"\n## Initial Symptoms\n\n{_words(rng, 25)}\n"]
    if stage >= 1:
        body += [
            f"\n## Error Messages\n\n```\n{_words(rng, 12)}\n```\n",
            f"\n## Technical Explanation\n\n{_words(rng, 40)}\n",
        ]
    if stage >= 2:
        body.append(f"\n## Lessons Learned\n\n{_words(rng, 30)}{extra}\n")
    return ("\n".join(lines) + "\n" + "".join(body)).encode()


def _opened(n: int, count: int) -> datetime:
    """Incidents spread evenly over ten years, so a year folder holds about a tenth of them."""
    return START + timedelta(minutes=SPAN_MINUTES * n // count)


def _events(count: int, rng: random.Random) -> list[tuple[datetime, int, str]]:
    """(when, incident number, what) for every commit, in time order."""
    events = []
    for n in range(count):
        opened = _opened(n, count)
        events += [(opened, n, "open"), (opened + timedelta(days=1), n, "investigate")]
        events.append((opened + timedelta(days=4, hours=9), n, "close"))
        roll = rng.random()
        if roll < 0.05:
            events.append((opened + timedelta(days=6), n, "move"))
        elif roll < 0.08:
            events.append((opened + timedelta(days=9), n, "edit-after-close"))
        elif roll < 0.09:
            events.append((opened + timedelta(days=12), n, "delete"))
    return sorted(events)


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def _stream(count: int, seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    stamp = int(START.timestamp()) - 86400
    yield b"commit refs/heads/main\n"
    yield b"author Alice Example <alice@example.com> %d +0000\n" % stamp
    yield b"committer Alice Example <alice@example.com> %d +0000\n" % stamp
    yield _data(b"Add schema and templates")
    for folder in ("schema", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file():
                yield f"M 100644 inline {path.relative_to(ROOT).as_posix()}\n".encode() + _data(path.read_bytes())
    yield b"\n"
    where: dict[int, str] = {}
    for when, n, what in _events(count, rng):
        occurred = _opened(n, count)
        incident_id = f"SYS-{occurred:%Y%m%d}-{n % 900 + 1:03d}"
        person = rng.choice(PEOPLE)
        stamp = int(when.timestamp())
        yield b"commit refs/heads/main\n"
        yield f"author {person[0]} <{person[1]}> {stamp} +0000\n".encode()
        yield f"committer {person[0]} <{person[1]}> {stamp} +0000\n".encode()
        yield _data(f"{what} {incident_id}".encode())
        # the first copy of an incident that is later moved is filed under the wrong year
        path = (
            where.get(n) or f"incidents/{occurred.year - (1 if what == 'open' and n % 20 == 0 else 0)}/{incident_id}.md"
        )
        if what == "move":
            target = f"incidents/{occurred.year}/{incident_id}.md"
            yield f"R {path} {target}\n".encode()
            path = target
        elif what == "delete":
            yield f"D {path}\n".encode()
        else:
            stage = {"open": 0, "investigate": 1, "close": 2, "edit-after-close": 2}[what]
            severity = "P2-Medium" if what == "open" else "P1-High"
            extra = " (amended after closing)" if what == "edit-after-close" else ""
            yield f"M 100644 inline {path}\n".encode() + _data(
                _text(rng, incident_id, occurred, stage, severity, extra)
            )
        where[n] = path
        yield b"\n"


def build(work: Path, count: int, seed: int) -> tuple[Path, int]:
    """A repository at ``work/repo`` with ``count`` incidents; returns it and its number of commits."""
    repo = work / "repo"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    importer = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=repo, stdin=subprocess.PIPE)
    assert importer.stdin is not None
    for piece in _stream(count, seed):
        importer.stdin.write(piece)
    importer.stdin.close()
    if importer.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=repo, check=True)
    commits = int(
        subprocess.run(
            ["git", "rev-list", "--count", "HEAD"], cwd=repo, check=True, capture_output=True, text=True
        ).stdout
    )
    return repo, commits


def time_loop(repo: Path, files: list[str]) -> float:
    start = time.perf_counter()
    for path in files:
        subprocess.run(
            ["git", "log", "--format=%H%x1f%an%x1f%ae%x1f%aI", "--", path], cwd=repo, check=True, capture_output=True
        )
    return time.perf_counter() - start


def time_history(repo: Path, full: bool) -> tuple[float, int]:
    start = time.perf_counter()
    result = read_history(repo, only=None if full else set())
    elapsed = time.perf_counter() - start
    if not result.available:
        sys.exit(f"history unavailable: {result.message}")
    return elapsed, len(result.incidents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--work", type=Path, default=None, help="keep the repository here (default: a temp folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-history-"))
    try:
        start = time.perf_counter()
        repo, commits = build(work, args.count, args.seed)
        files = sorted(str(p.relative_to(repo).as_posix()) for p in (repo / "incidents").rglob("*.md"))
        print(
            f"built {repo}: {args.count} incidents ({len(files)} present), {commits} commits "
            f"in {time.perf_counter() - start:.1f} s (git fast-import)"
        )
        sample = random.Random(args.seed).sample(files, min(args.sample, len(files)))
        scale = args.count / len(sample)
        loops, passes, fulls = [], [], []
        for run in range(args.runs):
            loops.append(time_loop(repo, sample) * scale)
            one, seen = time_history(repo, full=False)
            passes.append(one)
            full, _ = time_history(repo, full=True)
            fulls.append(full)
            print(
                f"run {run + 1}: loop {loops[-1]:.2f} s (extrapolated), one pass {one:.3f} s, full {full:.2f} s "
                f"({seen} incidents)"
            )
        loop, one, full = (statistics.median(x) for x in (loops, passes, fulls))
        print()
        print(f"| what | median of {args.runs} runs | vs per-file loop |")
        print("| --- | ---: | ---: |")
        print(
            f"| per-file `git log -- FILE` loop, {len(sample)} files timed, x{scale:g} to {args.count} | "
            f"{loop:.2f} s | 1x |"
        )
        print(f"| one pass: `read_history(root, only=set())` (log + status) | {one:.3f} s | {loop / one:.0f}x faster |")
        print(
            f"| full: `read_history(root)` (+ contents, field diffs, flags) | {full:.2f} s | "
            f"{loop / full:.1f}x faster |"
        )
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
