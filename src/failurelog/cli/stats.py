"""``failurelog stats``: recovery KPIs (time to detect, recover, close; SLA/RTO met) by a breakdown."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from failurelog.cli.common import add_format, root_of
from failurelog.cli.registry import reporter
from failurelog.core.errors import UsageError

#: The breakdowns ``--by`` offers (the same as failurelog.analysis.kpis.BREAKDOWNS; kept here so --help is fast).
BY = ("severity", "component", "trigger", "quarter")


def day(text: str) -> date:
    """A ``YYYY-MM-DD`` option value as a date, or a usage error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{text!r} is not a date: write YYYY-MM-DD, e.g. 2026-01-31") from None


def run(args: argparse.Namespace) -> int:
    """Print the recovery KPIs of the valid, reviewed incidents started within the dates."""
    from failurelog.analysis.kpis import kpis
    from failurelog.model.load import load_valid

    since = day(args.since) if args.since else None
    until = day(args.until) if args.until else None
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    loaded = load_valid(root_of(args))
    for skipped in loaded.skipped:
        print(f"WARNING {skipped} (left out; fix it with failurelog validate)", file=sys.stderr)
    sys.stdout.write(reporter("stats", args.format)(kpis(loaded.model, args.by, since, until)))
    return 0


def add_command(sub: Any) -> None:
    """Register ``stats``."""
    stats = sub.add_parser(
        "stats",
        help="recovery KPIs: time to detect, recover and close (p50, p90, mean), SLA/RTO met rate",
        description="Time to detect, to recover and to close as p50, p90 and mean, and the SLA/RTO met rate, over "
        "every valid incident past draft (drafts are left out and counted), overall and by severity, component, "
        "trigger or quarter. Time to recover is given over every incident stating it and over those with an outage.",
    )
    stats.add_argument("--since", metavar="DATE", help="only incidents started on or after DATE (YYYY-MM-DD)")
    stats.add_argument("--until", metavar="DATE", help="only incidents started on or before DATE (YYYY-MM-DD)")
    stats.add_argument("--by", choices=BY, default="severity", help="the breakdown (default: severity)")
    add_format(stats, "stats")
    stats.set_defaults(handler=run)
