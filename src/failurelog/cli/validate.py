"""``failurelog validate [PATH|ID ...]``: check incidents and report in text, JSON or GitHub annotations."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from failurelog.cli.common import add_format, root_of
from failurelog.cli.registry import reporter
from failurelog.core.schema import load_schema


def run(args: argparse.Namespace) -> int:
    """Validate incidents; exit 0 when all are valid, 1 otherwise."""
    from failurelog.cli.reporters import use_color
    from failurelog.core.repository import resolve_targets
    from failurelog.validate.run import validate

    root = root_of(args)
    targets = resolve_targets(root, load_schema(root).ids, args.paths)
    report = validate(root, targets, cache=not args.no_cache, progress=True)
    render = reporter("validation", args.format)
    if args.format == "text":
        text = render(report, color=use_color(args.color, sys.stdout), verbose=args.verbose, quiet=args.quiet)
    else:
        text = render(report)
    sys.stdout.write(text)
    return 0 if report.ok else 1


def add_command(sub: Any) -> None:
    """Register ``validate``."""
    val = sub.add_parser(
        "validate",
        help="check incidents against the schema and the cross-incident rules",
        description="Validate incidents (default: every file under incidents/). "
        "Exit 0 when all are valid, 1 when any is invalid, 2 on a usage error.",
    )
    val.add_argument("paths", nargs="*", metavar="PATH", help="incident files or folders, or incident ids (any case)")
    add_format(val, "validation")
    val.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text output (auto honours NO_COLOR)",
    )
    val.add_argument("-v", "--verbose", action="count", default=0, help="also list the valid files")
    val.add_argument(
        "--no-cache",
        action="store_true",
        help="check every file afresh and leave .failurelog-cache/ alone (for reproducible CI runs)",
    )
    val.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    val.set_defaults(handler=run)
