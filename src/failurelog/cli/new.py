"""``failurelog new``: scaffold an incident with the next free id and print its path."""

from __future__ import annotations

import argparse
import sys
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
        host=args.host,
        all_fields=args.all_fields,
    )
    notes: list[str] = []
    path = create(root, request, notes)
    for note in notes:
        print(note, file=sys.stderr)
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
        help="record this machine's facts (hostname, IP from its interfaces, OS, kernel, CPU, RAM, storage, NICs); "
        "says what it captured and warns when the title names another host",
    )
    new.add_argument(
        "--host",
        default=None,
        metavar="NAME",
        help="the failed machine's host name, when `new` runs elsewhere (with --capture, other facts are "
        "captured only when NAME is this machine)",
    )
    new.add_argument(
        "--all-fields",
        action="store_true",
        help="list every field and body section of the form in the file (default: one line per group of fields "
        "and only the body sections some status requires)",
    )
    new.set_defaults(handler=run)
