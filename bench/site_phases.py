"""Where a site build's time goes: one build per mode, each in a fresh process, phases timed by wrappers.

Modes, on the repositories bench_site.py prepared (run it first):

- ``ours``: ``failurelog build`` as shipped;
- ``floor``: the same build with every incident page cut to its title and body
  (no field tables, no links, no history): what the rest of the site costs;
- ``plain``: ``mkdocs build`` of the raw incident files (bench_site.py's baseline).

Each phase's wall time is summed over its calls (Markdown conversion, Material's
search indexing, page generation, validation...); ``TOTAL`` is the whole build.

    python bench/site_phases.py [--count 1000] [--work /tmp/failurelog-bench-site]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MODES = ("ours", "floor", "plain")


def _timed(acc: collections.Counter[str], key: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            acc[key] += time.perf_counter() - start

    return wrapper


def run_mode(mode: str, folder: Path) -> dict[str, float]:
    """Build once in this process with every phase timed; the seconds per phase."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1796083200")
    import markdown
    import material.plugins.search.plugin as search
    from mkdocs.structure.pages import Page

    acc: collections.Counter[str] = collections.Counter()
    markdown.Markdown.convert = _timed(acc, "markdown", markdown.Markdown.convert)  # type: ignore[method-assign]
    search.SearchIndex.add_entry_from_context = _timed(acc, "search", search.SearchIndex.add_entry_from_context)
    render = Page.render

    def page_render(self: Page, *args: Any, **kwargs: Any) -> Any:
        kind = "incident" if self.file.src_uri.startswith("incidents/2") else "other"
        return _timed(acc, f"markdown: {kind} pages", render)(self, *args, **kwargs)

    Page.render = page_render  # type: ignore[method-assign]
    start = time.perf_counter()
    if mode == "plain":
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        build(load_config(str(folder / "mkdocs.yml")))
    else:
        import failurelog.site.generate as generate
        import failurelog.site.tree as tree
        import failurelog.validate.run as validate
        from failurelog.site import markup
        from failurelog.site.build import build_site
        from failurelog.site.story import story

        generate.render_tree = _timed(acc, "page generation", generate.render_tree)
        generate.c.build_context = _timed(acc, "analyses", generate.c.build_context)
        validate.validate_documents = _timed(acc, "load + validate", validate.validate_documents)
        if mode == "floor":

            def bare(ctx: Any, incident: Any) -> str:
                title = f"{incident.id}: {incident.title}"
                header = markup.page_header(title, hide=("navigation",))
                return f"{header}{markup.heading(1, title)}\n\n{story(ctx.model.schema, incident)}\n"

            tree.incident_page = bare
        build_site(folder, site_dir=folder / "site")
    acc["TOTAL"] = time.perf_counter() - start
    return dict(acc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/failurelog-bench-site"))
    parser.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)  # one build, in a child process
    args = parser.parse_args()
    if args.mode:
        folder = args.work / (f"plain-{args.count}" if args.mode == "plain" else f"repo-{args.count}")
        print(json.dumps(run_mode(args.mode, folder)))
        return
    results = {}
    for mode in MODES:
        command = [sys.executable, __file__, "--mode", mode, "--count", str(args.count), "--work", str(args.work)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        results[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    phases = sorted({k for r in results.values() for k in r}, key=lambda k: (k == "TOTAL", -results["ours"].get(k, 0)))
    print(f"| phase ({args.count:,} incidents) | " + " | ".join(MODES) + " |")
    print("|---|" + "---:|" * len(MODES))
    for phase in phases:
        cells = [f"{results[m][phase]:.1f} s" if phase in results[m] else "" for m in MODES]
        print(f"| {phase} | " + " | ".join(cells) + " |")
    total = {m: results[m]["TOTAL"] for m in MODES}
    print(f"\nratio to plain: ours {total['ours'] / total['plain']:.2f}x, floor {total['floor'] / total['plain']:.2f}x")


if __name__ == "__main__":
    main()
