"""``failurelog import FILE...``: filled-in paper forms in, incident files out."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from failurelog.cli.common import add_rewrite_command, root_of
from failurelog.core.paths import display_path


def run(args: argparse.Namespace) -> int:
    """Import filled-in forms; exit 0 when every form was imported, 1 otherwise."""
    from failurelog.seedform.api import import_files

    root = root_of(args)
    outcomes = import_files(root, list(args.files), dry_run=args.dry_run)
    failed = 0
    for outcome in outcomes:
        for note in outcome.notes:
            where = f"{outcome.source}:{note.line}" if note.line else outcome.source
            field = f" {note.field}:" if note.field else ""
            print(f"WARNING {where}:{field} {note.message}", file=sys.stderr)
        if outcome.error is not None:
            failed += 1
            print(f"ERROR {outcome.source}: {outcome.error}", file=sys.stderr)
            continue
        assert outcome.path is not None
        shown = display_path(outcome.path, root)
        if args.dry_run:
            sys.stdout.write(f"would write {shown}:\n{outcome.text}\n")
        else:
            print(shown)
    if failed and len(outcomes) > 1:
        print(f"ERROR {failed} of {len(outcomes)} forms not imported", file=sys.stderr)
    return 1 if failed else 0


def add_command(sub: Any) -> None:
    """Register ``import``."""
    add_rewrite_command(
        sub,
        "import",
        run,
        about=(
            "import filled-in paper forms (the seed's plain-text SYSTEM FAILURE ANALYSIS LOG)",
            "Read each form and write incidents/YYYY/<id>.md, printing its path. Ticked boxes, values "
            "and blocks of text go to their fields and body sections; what fits nowhere is kept (in remarks or "
            "under Additional Notes) and reported with its line in the form. An existing incident is never "
            "overwritten. Exit 0 when every form was imported, 1 otherwise.",
        ),
        paths=("files", "+", "FILE", "filled-in form (plain text)"),
        dry_run="print what would be written; write nothing",
    )
