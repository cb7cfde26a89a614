"""What one ``serve`` rebuild spends analysing and rendering pages after one edit: with the render cache, and without.

    .venv/bin/python bench/bench_rendercache.py --count 1000 --edits 3

Uses the repository ``bench/bench_site.py`` prepares (``bench/synth.py`` incidents; put under git with one commit
here when it is not yet). In one process, as a running ``serve`` does: a first build fills the caches; then after
each edit of one incident (a title and a sentence of its body, a different incident each time, uncommitted),
times side by side (the order alternating between edits, so both see the same load):

- ``analyses``: :func:`failurelog.site.context.build_context` and the analyses the pages read;
- ``render, kept``: every page rendered and joined with the render cache kept from the build before
  (only the edited incident's body rendered anew; the exports kept while unchanged);
- ``render, afresh``: every page rendered with every body and export computed afresh (as before the cache).

Prints each time, the bodies rendered anew, and the medians. Validation and git history: bench_rebuild.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_site

from failurelog.core import bodyhtml
from failurelog.core.bodyhtml import extension_spec
from failurelog.core.inventory import asset_kind_names, read_inventory
from failurelog.core.siteconfig import edit_base, read_config
from failurelog.history.read import read_history
from failurelog.site import context, exports, pagecache, rendercache, story, tree
from failurelog.site.generate import load_model

TODAY = date(2026, 12, 1)


def _context(repo: Path) -> context.Context:
    model = load_model(repo, TODAY)
    config = read_config(repo)
    ctx = context.build_context(
        model,
        edit_base(config),
        directory_urls=config.get("use_directory_urls") is not False,
        history=read_history(repo, schema=model.schema),
        markdown=extension_spec(config),
        inventory=read_inventory(repo, asset_kind_names(model.schema)),
    )
    return ctx


def _analysed(ctx: context.Context) -> float:
    start = time.perf_counter()
    fresh = context.build_context(
        ctx.model, ctx.edit_base, ctx.directory_urls, ctx.history, ctx.markdown, ctx.inventory
    )
    _ = fresh.assets, fresh.recurrences
    return time.perf_counter() - start


def _render_kept(repo: Path, ctx: context.Context) -> float:
    start = time.perf_counter()
    rendercache.begin(repo)
    for _path, _text in tree.iter_tree(ctx):
        pass
    rendercache.finish(repo)
    return time.perf_counter() - start


def _render_afresh(ctx: context.Context) -> float:
    kept = story.body_parts, exports.kept_part, pagecache.reuse
    story.body_parts = bodyhtml.render_parts
    exports.kept_part = lambda _key, make: make()
    pagecache.reuse = lambda *_args: None
    try:
        start = time.perf_counter()
        for _path, _text in tree.iter_tree(ctx):
            pass
        return time.perf_counter() - start
    finally:
        story.body_parts, exports.kept_part, pagecache.reuse = kept


def main() -> None:
    """Prepare the repository and the caches, then time the two ways after each edit."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/failurelog-bench-site"))
    args = parser.parse_args()
    repo = bench_site.under_git(bench_site.prepare_repo(args.work, args.count))
    files = sorted((repo / "incidents").rglob("*.md"))
    pagecache.enable()  # as serve does
    _render_kept(repo, _context(repo))  # the first build of a serve
    rows: dict[str, list[float]] = {"analyses": [], "render, kept": [], "render, afresh": []}
    for number in range(args.edits):
        bench_site.edit_title(
            files[(number * 97) % len(files)], suffix=f" (edit {number})", body=f"\nEdited ({number}).\n"
        )
        ctx = _context(repo)
        rows["analyses"].append(_analysed(ctx))
        if number % 2:
            rows["render, afresh"].append(_render_afresh(ctx))
            rows["render, kept"].append(_render_kept(repo, ctx))
        else:
            rows["render, kept"].append(_render_kept(repo, ctx))
            rows["render, afresh"].append(_render_afresh(ctx))
        shown = ", ".join(f"{name} {times[-1]:.2f} s" for name, times in rows.items())
        print(f"edit {number + 1}: {shown}; bodies rendered anew: {rendercache.stats.rendered}", flush=True)
    for name, times in rows.items():
        print(f"median {name}: {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
