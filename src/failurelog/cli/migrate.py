"""``failurelog migrate [PATH...]``: arguments and the report; the work is in :mod:`failurelog.authoring.migrate`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from failurelog.cli.common import add_rewrite_command, root_of
from failurelog.core.errors import UsageError
from failurelog.core.paths import display_path, incident_files
from failurelog.core.schema import load_schema


def run(args: argparse.Namespace) -> int:
    """Upgrade incident files to the current schema and list what changed in each."""
    from failurelog.authoring.migrate import current_version, migrate

    root = root_of(args)
    schema = load_schema(root)
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    paths: list[Path] = []
    for given in args.paths or [root / "incidents"]:
        paths.extend(sorted(given.rglob("*.md")) if given.is_dir() else [given])
    if not args.paths:
        paths = incident_files(root)
    results = migrate(schema, paths, root, dry_run=args.dry_run)
    target = current_version(schema)
    verb = "would upgrade" if args.dry_run else "upgraded"
    refused = 0
    for result in results:
        shown = display_path(result.path, root)
        if result.problem:
            refused += 1
            print(f"{shown}: left unchanged: {result.problem}")
        elif result.changes:
            print(f"{shown}: {verb} to schema {target}")
            for change in result.changes:
                print(f"  {change}")
    done = sum(1 for r in results if r.changes and not r.problem)
    print(f"{done} {verb}, {len(results) - done - refused} already at schema {target}, {refused} left unchanged")
    return 1 if refused else 0


def add_command(sub: Any) -> None:
    """Register ``migrate [PATH...]`` on the subcommand parsers ``sub``."""
    add_rewrite_command(
        sub,
        "migrate",
        run,
        about=(
            "upgrade incidents written for an earlier schema, in place",
            "Rewrite each incident file written for an earlier schema version so that it fits the "
            "current one, listing every change. Only the affected front-matter lines change (comments and the "
            "body stay); files are replaced atomically; files already at the current version are left alone, so "
            "running it again changes nothing. A file that cannot be upgraded safely is named and left untouched "
            "(exit 1).",
        ),
        paths=("paths", "*", "PATH", "files or folders (default: incidents/)"),
        dry_run="list the changes without writing",
    )
