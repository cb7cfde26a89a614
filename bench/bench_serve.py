"""How long ``failurelog serve`` takes to show an edit: save an incident, poll its page until the change shows.

    .venv/bin/python bench/bench_serve.py --count 1000 --edits 3

Uses the repository ``bench/bench_site.py`` prepares (``bench/synth.py`` incidents, reused when present), starts
``failurelog serve`` on a free port, waits for the first build, then times: an edit to one incident's title (each
a different incident), adding an incident, deleting it, and renaming one (new id and file name). Each time is
from the save to the first answer that shows the change; the search index is rebuilt in the background and is
not waited for. Prints one line per measurement and the median of the edits.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_site


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def _until(check: Callable[[], bool], limit: float = 900.0) -> float:
    start = time.perf_counter()
    while not check():
        if time.perf_counter() - start > limit:
            raise SystemExit("the change never showed")
        time.sleep(0.1)
    return time.perf_counter() - start


def _page(base: str, path: Path) -> str:
    return f"{base}incidents/{path.parent.name}/{path.stem}/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/failurelog-bench-site"))
    args = parser.parse_args()
    repo = bench_site.prepare_repo(args.work, args.count)
    files = sorted((repo / "incidents").rglob("*.md"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    log = (args.work / f"serve-{args.count}.log").open("wb")
    child = subprocess.Popen(
        [sys.executable, "-m", "failurelog", "--root", str(repo), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        first = _until(lambda: _get(base)[0] == 200)
        print(f"first build, until the server answers: {first:.1f} s")
        times = []
        for n in range(args.edits):
            path = files[(n * 7919) % len(files)]
            marker = f"Edited{n}x{int(time.time())}"
            text = bench_site.edit_title(path, prefix=f"{marker} ")
            took = _until(lambda p=path, m=marker: m in _get(_page(base, p))[1])
            path.write_text(text, encoding="utf-8")
            _until(lambda p=path, m=marker: m not in _get(_page(base, p))[1])
            times.append(took)
            print(f"edit {path.name}: {took:.1f} s")
        print(f"median edit: {statistics.median(times):.1f} s")
        # one no other incident names: renaming or deleting a referenced one makes the repository invalid
        texts = {p: p.read_text(encoding="utf-8") for p in files}
        source = next(p for p in files if not any(p.stem in t for q, t in texts.items() if q != p))
        day = source.stem.split("-")[1]
        new_id = f"SYS-{day}-009"
        added = source.with_name(f"{new_id}.md")
        added.write_text(source.read_text(encoding="utf-8").replace(source.stem, new_id), encoding="utf-8")
        print(f"add: {_until(lambda: _get(_page(base, added))[0] == 200):.1f} s")
        added.unlink()
        print(f"delete: {_until(lambda: _get(_page(base, added))[0] == 404):.1f} s")
        original = source.read_text(encoding="utf-8")
        renamed = source.with_name(f"{new_id}.md")
        renamed.write_text(original.replace(source.stem, new_id), encoding="utf-8")
        source.unlink()
        took = _until(lambda: _get(_page(base, renamed))[0] == 200 and _get(_page(base, source))[0] == 404)
        print(f"rename: {took:.1f} s")
        renamed.unlink()
        source.write_text(original, encoding="utf-8")
    finally:
        child.terminate()
        child.wait(timeout=60)
        log.close()


if __name__ == "__main__":
    main()
