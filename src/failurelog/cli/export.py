"""``failurelog export [ID]``: an incident as the filled-in form, or incidents as JSON or CSV.

Only argparse is imported here; the work is imported inside the handler so
``failurelog --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from failurelog.cli.common import add_format, root_of
from failurelog.cli.registry import reporter
from failurelog.core.errors import FailurelogError, UsageError
from failurelog.core.schema import load_schema


def run(args: argparse.Namespace) -> int:
    """Print one incident as the filled-in form, or incidents as JSON or CSV; the id in any case."""
    from failurelog.model import export

    root = root_of(args)
    schema = load_schema(root)
    fmt = args.format or ("text" if args.id else None)
    if fmt is None or (fmt == "text" and not args.id):
        raise UsageError("export --format text needs an incident ID; --format json or csv exports every incident")
    wanted = schema.ids.canonical(args.id) if args.id else None
    render = reporter("export", fmt)
    if fmt == "text":
        text, warnings = render(root, wanted)
        for warning in warnings:
            print(f"WARNING {wanted}: {warning}", file=sys.stderr)
        sys.stdout.write(text)
        return 0
    incidents = export.read_all(root, wanted)
    for skipped in incidents.skipped:
        print(f"WARNING {skipped}: left out (fix it with failurelog validate)", file=sys.stderr)
    if wanted and not incidents.metas:
        raise FailurelogError(f"no readable incident {wanted} under incidents/")
    metas: list[dict[str, Any]] = incidents.metas
    sys.stdout.write(render(metas) if fmt == "json" else render(schema, metas))
    return 0


def add_command(sub: Any) -> None:
    """Register ``export``."""
    exp = sub.add_parser(
        "export",
        help="print an incident as the filled-in form (text), or all incidents as JSON or CSV",
        description="With an ID: the incident as the seed's filled-in form (--format text, the default), or its "
        "front matter as JSON or CSV. Without an ID: every incident's front matter as a JSON list, or as CSV "
        "with one column per schema field.",
    )
    exp.add_argument("id", nargs="?", default=None, metavar="ID", help="incident id (any case), e.g. SYS-20260304-001")
    add_format(exp, "export", default=None, help_extra="; default: text with an ID")
    exp.set_defaults(handler=run)
