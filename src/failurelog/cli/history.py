"""``failurelog history ID``: one incident's git history, with the auditor's flags."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from failurelog.cli.common import add_format, root_of
from failurelog.cli.registry import reporter
from failurelog.core.errors import FailurelogError
from failurelog.core.schema import load_schema
from failurelog.core.terminal import safe, safe_json


def run(args: argparse.Namespace) -> int:
    """Show one incident's history; an id (any case) that a renumber retired shows the incident's new id."""
    from failurelog.history.read import read_history

    root = root_of(args)
    ids = load_schema(root).ids
    wanted = ids.canonical(args.id)
    render = reporter("history", args.format)
    repository = read_history(root, only={wanted, Path(wanted).stem})
    if not repository.available:
        if args.format == "json":
            sys.stdout.write(render(None, repository))
            return 1
        raise FailurelogError(str(repository.message))
    history = repository.get(wanted)
    if history is None and (moved := repository.renamed_from(Path(wanted).stem)) is not None:
        print(f"NOTE {wanted} was renumbered: it is now {moved.id}; showing {moved.id}", file=sys.stderr)
        repository = read_history(root, only={moved.id})
        history = repository.get(moved.id)
    if history is None:
        raise FailurelogError(
            f"no incident {wanted} in the git history or the working tree of {root} (check the id, e.g. {ids.example})"
        )

    # authors, commit messages and decoded values may hold control characters: never raw on the terminal
    shown = render(history, repository)
    sys.stdout.write(safe_json(shown) if args.format == "json" else safe(shown))
    return 0


def add_command(sub: Any) -> None:
    """Register ``history``."""
    hist = sub.add_parser(
        "history",
        help="an incident's git history: created, changed, by whom, field by field, with audit flags",
        description="Read the incident's history from git (renames and moves followed): creation, last change, "
        "revisions, contributors, the change log newest first with each field's old and new value, and flags "
        "(changed after closing, sign-off changed after signing, deleted, uncommitted).",
    )
    hist.add_argument("id", metavar="ID", help="incident id (any case), e.g. SYS-20260301-001")
    add_format(hist, "history")
    hist.set_defaults(handler=run)
