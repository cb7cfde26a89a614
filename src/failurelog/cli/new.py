"""``failurelog new``: scaffold an incident with the next free id and print its path."""

from __future__ import annotations

import argparse
from typing import Any

from failurelog.cli.common import root_of


def run(args: argparse.Namespace) -> int:
    """Scaffold a new incident and print its path."""
    from failurelog.authoring.scaffold import NewIncident, create

    root = root_of(args)
    request = NewIncident(
        title=args.title,
        severity=args.severity,
        components=args.component,
        failure_types=args.failure_type,
        at=args.at,
        capture=args.capture,
    )
    path = create(root, request)
    print(path.relative_to(root).as_posix() if path.is_relative_to(root) else path)
    return 0


def add_command(sub: Any) -> None:
    """Register ``new``."""
    new = sub.add_parser(
        "new",
        help="scaffold a new incident from templates/incident.md.j2",
        description="Write incidents/YYYY/SYS-YYYYMMDD-NNN.md with the next free number "
        "for that UTC date, and print its path. Never overwrites a file.",
    )
    new.add_argument("--title", required=True, help="the incident title (any text)")
    new.add_argument("--severity", default=None, help="P0, P1, P2 or P3 (or the full label, e.g. P1-High); default P2")
    new.add_argument(
        "--component",
        action="append",
        default=[],
        metavar="VALUE",
        help="a System Component (repeatable); a unique prefix is enough; 'Other: text' for Other",
    )
    new.add_argument(
        "--failure-type",
        action="append",
        default=[],
        metavar="VALUE",
        help="a Failure Type (repeatable); a unique prefix is enough; 'Other: text' for Other",
    )
    new.add_argument(
        "--at",
        default=None,
        metavar="ISO-8601",
        help="when the incident began (default: now); without a zone it is taken as UTC",
    )
    new.add_argument(
        "--capture",
        action="store_true",
        help="record this machine's facts (hostname, IP, OS, kernel, CPU, RAM, storage, NICs)",
    )
    new.set_defaults(handler=run)
