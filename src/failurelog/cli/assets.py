"""``failurelog assets [NAME]``: every asset's failures, MTBF and recovery, or one asset's history."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from failurelog.cli.common import add_format, root_of
from failurelog.cli.registry import reporter
from failurelog.core.errors import FailurelogError


def run(args: argparse.Namespace) -> int:
    """Print every asset by kind, or the history of the assets named NAME (any case, any kind)."""
    from failurelog.analysis.assets import asset_report
    from failurelog.core.inventory import asset_kind_names, read_inventory
    from failurelog.model.load import load_valid

    root = root_of(args)
    loaded = load_valid(root)
    for skipped in loaded.skipped:
        print(f"WARNING {skipped} (left out; fix it with failurelog validate)", file=sys.stderr)
    report = asset_report(loaded.model, read_inventory(root, asset_kind_names(loaded.model.schema)))
    chosen = None
    if args.name:
        chosen = report.named(args.name)
        if not chosen:
            close = report.close_names(args.name)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise FailurelogError(f"no incident names an asset {args.name!r}{hint} (failurelog assets lists them)")
    sys.stdout.write(reporter("assets", args.format)(report, chosen))
    return 0


def add_command(sub: Any) -> None:
    """Register ``assets``."""
    assets = sub.add_parser(
        "assets",
        help="asset histories: failures, MTBF, time to recover, outage and loss per host, model and version",
        description="Without NAME: every host, model, NIC firmware, driver, kernel and BIOS version the incidents "
        "name, with failures, MTBF and outage. With NAME: its incidents in time order and its figures; an "
        "inventory/assets.yaml (counts and since-dates) adds failures per asset-year.",
    )
    assets.add_argument("name", nargs="?", default=None, metavar="NAME", help="a host name or version (any case)")
    add_format(assets, "assets")
    assets.set_defaults(handler=run)
