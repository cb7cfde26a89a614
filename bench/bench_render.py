"""Time the rendering of hostile bodies just inside the bounds of failurelog.core.mdlimits.

Target (issue 10): the build of any accepted incident takes at most 2 s per
100 KB of body. The dense shapes (nesting, tables, footnotes) hold as many of
their blocks as the body-wide bounds allow and prose for the rest of the 100 KB
(before those bounds, the same blocks filled the whole 100 KB: run this script
from an earlier revision for those figures). For each shape, a body of about 100 KB that ``validate``
accepts is checked (validate renders it once for the image rule) and rendered
for the page (the build's second rendering); the figure is their sum.

    .venv/bin/python bench/bench_render.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from failurelog.core.bodyhtml import extension_spec, render_parts
from failurelog.core.loader import Document, parse_text
from failurelog.core.mdlimits import (
    MAX_ADMONITIONS,
    MAX_BACKTICK_RUNS,
    MAX_BLOCKS,
    MAX_BODY_TAGS,
    MAX_BRACKET_SCANS,
    MAX_FOOTNOTES,
    MAX_NESTING,
    MAX_TABLE_CELLS,
    MAX_TAGS,
    MAX_UNCLOSED_TAGS,
    excesses,
)
from failurelog.core.siteconfig import read_config
from failurelog.validate.outside_content import outside_content_problems

ROOT = Path(__file__).resolve().parent.parent
SIZE = 100 * 1024


def _fill(paragraph: str) -> str:
    return "\n\n".join([paragraph] * (SIZE // (len(paragraph) + 2) + 1))[:SIZE].rsplit("\n\n", 1)[0]


def _upto(block: str, each: int, limit: int, para: str) -> str:
    """As many copies of ``block`` (``each`` counted things apiece) as ``limit`` allows, then prose to SIZE."""
    dense = "\n\n".join([block] * (limit // each))
    return dense + "\n\n" + _fill(para)[: max(SIZE - len(dense) - 2, 0)].rsplit("\n\n", 1)[0]


def shapes() -> dict[str, str]:
    words = "The NIC on md-gw-03 dropped packets after the firmware update; failover to md-gw-04 held. "
    para = (words * 90)[:7900]
    return {
        "prose": _fill(para),
        "unclosed [": _fill("[" * MAX_BRACKET_SCANS + para[: 7990 - MAX_BRACKET_SCANS]),
        "unclosed ![": _fill("!" + "[" * (MAX_BRACKET_SCANS // 2) + para[:7980]),
        "closed [x]": _fill(("[   12.345678] EDAC MC0: 1 CE memory read error " * 200)[:7990]),
        "unclosed <a": ("<a " * MAX_UNCLOSED_TAGS + para[:7900]) + "\n\n" + _fill(para),
        "closed tags": _fill(("<b>x</b> " * (MAX_TAGS // 2) + para)[:7990]),
        "backtick runs": _fill(("`a " * MAX_BACKTICK_RUNS + para)[:7990]),
        "nested lists": _upto(
            "".join("  " * i + f"- item {i}\n" for i in range(MAX_NESTING)), MAX_NESTING, MAX_BLOCKS, para
        ),
        "nested quotes": _upto(
            "".join(">" * (i + 1) + f" q {i}\n" for i in range(MAX_NESTING - 1)), MAX_NESTING - 1, MAX_BLOCKS, para
        ),
        "nested admonitions": _upto(
            "".join("    " * i + "!!! note\n" for i in range(MAX_NESTING // 2)) + "    " * 16 + "x",
            MAX_NESTING // 2,
            MAX_ADMONITIONS,
            para,
        ),
        "fenced < lines": _fill("```text\n" + "<" * 19_990 + "\n```"),
        "fenced log": _fill("```text\n" + "[   12.345678] EDAC MC0: 1 CE memory read error on DIMM#0\n" * 120 + "```"),
        "tables": "| a | b |\n|---|---|\n"
        + "| <b>x</b> | [y](z) |\n" * (MAX_BODY_TAGS // 2)
        + "\n"
        + _upto("| a | b |\n|---|---|\n" + "| x | [y](z) |\n" * 100, 204, MAX_TABLE_CELLS - MAX_BODY_TAGS - 4, para),
        "tables, plain cells": _upto(
            "| a | b | c |\n|---|---|---|\n" + "| NIC reset | md-gw-03 | 14:22:07 |\n" * 100, 306, MAX_TABLE_CELLS, para
        ),
        "footnotes": _upto(
            "".join(f"x[^{i}] " for i in range(100)) + "\n\n" + "".join(f"[^{i}]: n\n" for i in range(100)),
            100,
            MAX_FOOTNOTES,
            para,
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    spec = extension_spec(read_config(ROOT))
    print(f"| shape | KB | validate + render, median of {args.runs} (s) | s per 100 KB |")
    print("|---|---:|---:|---:|")
    for name, body in shapes().items():
        assert not excesses(body), (name, [e.message for e in excesses(body)])
        doc = parse_text(Document(path=Path("x.md"), display="x.md"), f"---\ntitle: t\n---\n{body}")
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            outside_content_problems(doc, spec)
            render_parts(body, spec)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        print(f"| {name} | {len(body) // 1024} | {median:.2f} | {median * SIZE / len(body):.2f} |", flush=True)


if __name__ == "__main__":
    main()
