"""``failurelog renumber OLD [NEW]``: arguments and the report; the work is in :mod:`failurelog.authoring.renumber`."""

from __future__ import annotations

import argparse
from typing import Any

from failurelog.cli.common import root_of
from failurelog.core.paths import display_path


def run(args: argparse.Namespace) -> int:
    """Renumber one incident and print what changed."""
    from failurelog.authoring.renumber import renumber

    root = root_of(args)
    done = renumber(root, args.old, args.new)
    print(f"renumbered {done.old_id} -> {done.new_id}")
    print(f"  moved {display_path(done.old_path, root)} -> {display_path(done.new_path, root)}")
    for path in done.updated:
        lines = [str(line) for where, line in done.mentions if where == path]
        print(f"  rewrote {done.old_id} in {display_path(path, root)} (line {', '.join(lines)})")
    own = [str(line) for where, line in done.mentions if where == done.new_path]
    if own:
        print(f"  rewrote its own mentions of {done.old_id} (line {', '.join(own)})")
    for path in done.ambiguous:
        print(
            f"  left {display_path(path, root)} alone: it refers to {done.old_id}, "
            "which another incident still has; check which one it means"
        )
    for path in done.unreadable:
        print(f"  could not read {display_path(path, root)}, so did not update it: fix it, then check its references")
    print("  commit the move and the updated files together (git add -A incidents/)")
    return 0


def add_command(sub: Any) -> None:
    """Register ``renumber OLD [NEW]`` on the subcommand parsers ``sub``."""
    parser = sub.add_parser(
        "renumber",
        help="give an incident another id and update every reference to it",
        description="Rename incidents/YYYY/OLD.md to incidents/YYYY/NEW.md, rewrite its id and every reference "
        "to OLD in other incidents' front matter (only those lines change). NEW must carry the date the incident "
        "began and be free in this checkout and on every git branch; without NEW, the next free number of that "
        "date is taken. Never overwrites a file.",
    )
    parser.add_argument(
        "old",
        metavar="OLD",
        help="the incident's id, or the path of its file when two files share the id",
    )
    parser.add_argument("new", metavar="NEW", nargs="?", default=None, help="the new id, e.g. SYS-20261103-002")
    parser.set_defaults(handler=run)
