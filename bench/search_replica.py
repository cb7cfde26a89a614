"""The 10,000-incident search figures without two hour-long builds: a 1,000-incident site's pages, ten times.

    python bench/search_replica.py OURS_SITE LUNR_SITE OUT [--factor 10] [--runs 3]

OURS_SITE is a site built by this checkout (Pagefind), LUNR_SITE one built
with Material's own search (bench_search.py builds both; copy them before it
deletes them). Each incident page of OURS_SITE is written FACTOR times with
its ids renamed (``SYS-2020...`` -> ``SYS-2120...``, ``SYS-2220...``, ...)
and the Pagefind index is built over all of them (timed); Material's
``search_index.json`` gets the same copies of its incident entries. The rest
of each site (home page, assets) is as built. The first search is then
measured as in bench_search.py. Same words, hosts and page sizes as the
1,000 pages; only the ids differ, so the index is the size a real build of
FACTOR x 1,000 such incidents gives.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import bench_search  # noqa: E402

ID = re.compile(r"SYS-(\d{4})(\d{4})-(\d{3})")


def rename(text: str, copy: int) -> str:
    return ID.sub(lambda m: f"SYS-{int(m[1]) + 100 * copy}{m[2]}-{m[3]}", text)


def replicate_ours(site: Path, out: Path, factor: int) -> float:
    from failurelog.site.search_index import build_search_index

    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(site, out, ignore=shutil.ignore_patterns("pagefind"), copy_function=os.link)
    pages = sorted((site / "incidents").glob("[0-9]*/*/index.html"))  # not the incident index's later pages
    for copy in range(1, factor):
        for page in pages:
            parts = rename(page.relative_to(site).as_posix(), copy).split("/")
            parts[1] = str(int(parts[1]) + 100 * copy)  # incidents/YYYY/ID/index.html
            target = out.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(rename(page.read_text(encoding="utf-8"), copy), encoding="utf-8")
    return build_search_index(out).seconds


def replicate_lunr(site: Path, out: Path, factor: int) -> None:
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(site, out, ignore=shutil.ignore_patterns("search_index.json"), copy_function=os.link)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    extra = []
    for copy in range(1, factor):
        for doc in docs:
            if str(doc.get("location", "")).startswith("incidents/20"):
                extra.append({k: rename(v, copy) if isinstance(v, str) else v for k, v in doc.items()})
    index["docs"] = docs + extra
    (out / "search" / "search_index.json").write_text(json.dumps(index), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ours", type=Path)
    parser.add_argument("lunr", type=Path, help="'-' to measure Pagefind only")
    parser.add_argument("out", type=Path)
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    ids = sorted(p.parent.name for p in (args.ours / "incidents").glob("*/*/index.html"))
    query = rename(ids[len(ids) // 2], args.factor // 2)
    count = len(ids) * args.factor
    rows = []
    seconds = replicate_ours(args.ours, args.out / "ours", args.factor)
    row = {"count": count, "label": "Pagefind (pages x10)", "build_s": 0.0, "index_s": seconds, "query": query}
    row.update(bench_search.measure(args.out / "ours", query, args.runs, args.timeout))
    print(json.dumps(row), flush=True)
    rows.append(row)
    if str(args.lunr) == "-":  # Pagefind only
        return
    replicate_lunr(args.lunr, args.out / "lunr", args.factor)
    row = {"count": count, "label": "Material's search (entries x10)", "build_s": 0.0, "index_s": 0.0, "query": query}
    row.update(bench_search.measure(args.out / "lunr", query, args.runs, args.timeout))
    print(json.dumps(row), flush=True)
    rows.append(row)
    (args.out / "results.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
