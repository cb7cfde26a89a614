"""The ``import`` and ``export`` subcommands (registered by :func:`add_commands` from the CLI).

Only argparse is imported here; the work is imported inside each handler so
``failurelog --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from failurelog.core.errors import UsageError


def _root(args: argparse.Namespace) -> Path:
    from failurelog.core.paths import find_root

    return find_root(args.root)


def cmd_import(args: argparse.Namespace) -> int:
    """Import filled-in forms; exit 0 when every form was imported, 1 otherwise."""
    from failurelog.core.paths import display_path
    from failurelog.seedform.api import import_files

    root = _root(args)
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


def cmd_export(args: argparse.Namespace) -> int:
    """Print one incident as the filled-in form, or incidents as JSON or CSV."""
    from failurelog.core.schema import load_schema
    from failurelog.model import export

    root = _root(args)
    fmt = args.format or ("text" if args.id else None)
    if fmt is None or (fmt == "text" and not args.id):
        raise UsageError("export --format text needs an incident ID; --format json or csv exports every incident")
    if fmt == "text":
        from failurelog.seedform.api import export_form

        text, warnings = export_form(root, args.id)
        for warning in warnings:
            print(f"WARNING {args.id}: {warning}", file=sys.stderr)
        sys.stdout.write(text)
        return 0
    incidents = export.read_all(root, args.id)
    for skipped in incidents.skipped:
        print(f"WARNING {skipped}: left out (fix it with failurelog validate)", file=sys.stderr)
    if args.id and not incidents.metas:
        from failurelog.core.errors import FailurelogError

        raise FailurelogError(f"no readable incident {args.id} under incidents/")
    metas: list[dict[str, Any]] = incidents.metas
    text = export.to_json(metas) if fmt == "json" else export.to_csv(load_schema(root), metas)
    sys.stdout.write(text)
    return 0


def add_commands(sub: Any) -> None:
    """Add ``import`` and ``export`` to the CLI's subcommands."""
    imp = sub.add_parser(
        "import",
        help="import filled-in paper forms (the seed's plain-text SYSTEM FAILURE ANALYSIS LOG)",
        description="Read each form and write incidents/YYYY/<id>.md, printing its path. Ticked boxes, values "
        "and blocks of text go to their fields and body sections; what fits nowhere is kept (in remarks or "
        "under Additional Notes) and reported with its line in the form. An existing incident is never "
        "overwritten. Exit 0 when every form was imported, 1 otherwise.",
    )
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE", help="filled-in form (plain text)")
    imp.add_argument("--dry-run", action="store_true", help="print what would be written; write nothing")
    imp.set_defaults(handler=cmd_import)

    exp = sub.add_parser(
        "export",
        help="print an incident as the filled-in form (text), or all incidents as JSON or CSV",
        description="With an ID: the incident as the seed's filled-in form (--format text, the default), or its "
        "front matter as JSON or CSV. Without an ID: every incident's front matter as a JSON list, or as CSV "
        "with one column per schema field.",
    )
    exp.add_argument("id", nargs="?", default=None, metavar="ID", help="incident id, e.g. SYS-20260304-001")
    exp.add_argument("--format", choices=("text", "json", "csv"), default=None, help="text (needs an ID), json or csv")
    exp.set_defaults(handler=cmd_export)
