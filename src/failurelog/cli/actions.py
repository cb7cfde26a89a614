"""``failurelog actions``: open and overdue follow-up actions with their age, and completed ones nobody verified."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from failurelog.cli.common import add_format, root_of
from failurelog.cli.registry import reporter


def run(args: argparse.Namespace) -> int:
    """Print the follow-through of the valid incidents' actions, of one owner when ``--owner`` is given."""
    from failurelog.analysis.followthrough import follow_through
    from failurelog.model.load import load_valid

    loaded = load_valid(root_of(args))
    for skipped in loaded.skipped:
        print(f"WARNING {skipped} (left out; fix it with failurelog validate)", file=sys.stderr)
    report = follow_through(loaded.model, owner=args.owner)
    sys.stdout.write(reporter("actions", args.format)(report, overdue_only=args.overdue, owner=args.owner))
    return 0


def add_command(sub: Any) -> None:
    """Register ``actions``."""
    actions = sub.add_parser(
        "actions",
        help="follow-up actions: overdue ones with their age, completed ones nobody verified, every open one",
        description="Every action list of every valid incident (action items, preventive actions): the overdue "
        "ones, oldest first, with how many days past due; the completed ones with no one named under Verified By; "
        "and every open one, by owner, priority and due date. Dates are against today (UTC).",
    )
    actions.add_argument("--overdue", action="store_true", help="only the overdue actions")
    actions.add_argument("--owner", metavar="NAME", help="only the actions of this owner (any case)")
    add_format(actions, "actions")
    actions.set_defaults(handler=run)
