"""``failurelog similar ID``: the incidents like one incident, with the reasons (the same analysis as the site)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from failurelog.cli.common import add_format, root_of
from failurelog.cli.registry import reporter
from failurelog.core.errors import FailurelogError


def run(args: argparse.Namespace) -> int:
    """Print the signatures, links, suggestions and recurrences of one valid incident."""
    from failurelog.analysis.similar_report import similar_report
    from failurelog.model.load import load_valid

    loaded = load_valid(root_of(args))
    for skipped in loaded.skipped:
        print(f"WARNING {skipped} (left out; fix it with failurelog validate)", file=sys.stderr)
    ids = loaded.model.schema.ids
    wanted = str(ids.require(args.id))
    incident = loaded.model.by_id.get(wanted)
    if incident is None:
        raise FailurelogError(
            f"no valid incident {wanted} in {root_of(args)} (check the id with failurelog validate, e.g. {ids.example})"
        )
    sys.stdout.write(reporter("similar", args.format)(similar_report(loaded.model, incident)))
    return 0


def add_command(sub: Any) -> None:
    """Register ``similar``."""
    similar = sub.add_parser(
        "similar",
        help="incidents like one incident, with the reasons: shared signature, host, versions, cause, words",
        description="What the incident page shows under 'Linked and similar incidents': the incident's crash and "
        "hardware-error signatures, the incidents it names and that name it, those it marked not related, the "
        "computed suggestions with their reasons (a shared signature first), and where a fix did not hold.",
    )
    similar.add_argument("id", metavar="ID", help="the incident id, in any case (SYS-YYYYMMDD-NNN)")
    add_format(similar, "similar")
    similar.set_defaults(handler=run)
