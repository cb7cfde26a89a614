"""The ``failurelog`` command: a thin layer over the library functions.

Heavy modules (jsonschema, jinja2, git) are imported inside the command that
needs them, so ``failurelog --help`` starts fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from failurelog import __version__
from failurelog.core.errors import FailurelogError

Handler = Callable[[argparse.Namespace], int]


def _root(args: argparse.Namespace) -> Path:
    from failurelog.core.paths import find_root

    return find_root(args.root)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate incidents; exit 0 when all are valid, 1 otherwise."""
    from failurelog.validate import output
    from failurelog.validate.run import validate

    root = _root(args)
    missing = [str(p) for p in args.paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise FailurelogError(f"no such file or folder: {', '.join(missing)}")
    report = validate(root, args.paths)
    if args.format == "json":
        text = output.render_json(report)
    elif args.format == "github":
        text = output.render_github(report)
    else:
        color = output.use_color(args.color, sys.stdout)
        text = output.render_text(report, color=color, verbose=args.verbose, quiet=args.quiet)
    sys.stdout.write(text)
    return 0 if report.ok else 1


def cmd_new(args: argparse.Namespace) -> int:
    """Scaffold a new incident and print its path."""
    from failurelog.authoring.scaffold import NewIncident, create

    root = _root(args)
    request = NewIncident(
        title=args.title,
        severity=args.severity,
        components=args.component,
        failure_types=args.failure_type,
        at=args.at,
        capture=args.capture,
    )
    path = create(root, request)
    print(path.relative_to(root).as_posix() if path.is_relative_to(root) else path)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """Show one incident's git history: who changed what, when, and the auditor's flags."""
    from failurelog.history.read import read_history
    from failurelog.history.report import render_json, render_text

    root = _root(args)
    repository = read_history(root, only={args.id, Path(args.id).stem})
    if not repository.available:
        if args.format == "json":
            sys.stdout.write(render_json(None, repository))
            return 1
        raise FailurelogError(str(repository.message))
    history = repository.get(args.id)
    if history is None:
        raise FailurelogError(
            f"no incident {args.id} in the git history or the working tree of {root} "
            "(check the id, e.g. SYS-20260301-001)"
        )
    from failurelog.core.terminal import safe, safe_json

    if args.format == "json":
        sys.stdout.write(safe_json(render_json(history, repository)))
    else:
        sys.stdout.write(safe(render_text(history, repository)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="failurelog",
        description="System-failure post-mortems as code: scaffold, validate and publish incidents.",
    )
    parser.add_argument("--version", action="version", version=f"failurelog {__version__}")
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="repository root (default: the folder holding schema/ at or above the current one)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

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
        help="record this machine's facts (hostname, IP, OS, kernel, CPU, RAM, storage, NICs)",
    )
    new.set_defaults(handler=cmd_new)

    val = sub.add_parser(
        "validate",
        help="check incidents against the schema and the cross-incident rules",
        description="Validate incidents (default: every file under incidents/). "
        "Exit 0 when all are valid, 1 when any is invalid, 2 on a usage error.",
    )
    val.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="incident files or folders")
    val.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (path:line: field: message), json, or github (workflow annotations)",
    )
    val.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text output (auto honours NO_COLOR)",
    )
    val.add_argument("-v", "--verbose", action="count", default=0, help="also list the valid files")
    val.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    val.set_defaults(handler=cmd_validate)

    hist = sub.add_parser(
        "history",
        help="an incident's git history: created, changed, by whom, field by field, with audit flags",
        description="Read the incident's history from git (renames and moves followed): creation, last change, "
        "revisions, contributors, the change log newest first with each field's old and new value, and flags "
        "(changed after closing, sign-off changed after signing, deleted, uncommitted).",
    )
    hist.add_argument("id", metavar="ID", help="incident id, e.g. SYS-20260301-001")
    hist.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    hist.set_defaults(handler=cmd_history)

    from failurelog.cli.renumber import add_command as add_renumber

    add_renumber(sub)  # renumber OLD [NEW]

    from failurelog.cli.forms import add_commands

    add_commands(sub)  # import FILE... and export [ID] --format text|json|csv

    from failurelog.cli.site import add_commands as add_site_commands

    add_site_commands(sub)  # build [--site-dir DIR] [--engine mkdocs|zensical], serve
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; turn every expected failure into ``ERROR ...`` and an exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        _resume(args)
        return handler(args)
    except FailurelogError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ERROR interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except OSError as exc:  # a read-only folder, a full disk: name the path, never a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"ERROR {where}{exc.strerror or exc}; nothing was left half-written", file=sys.stderr)
        return 1


def _resume(args: argparse.Namespace) -> None:
    """Finish a change an earlier command was killed in the middle of, and remove its temporary files."""
    from failurelog.core.journal import resume
    from failurelog.core.paths import find_root

    try:
        root = find_root(getattr(args, "root", None))
    except FailurelogError:
        return  # not in a repository: the command says so itself
    finished, removed = resume(root)
    if finished:
        print(f"NOTE finished an interrupted change: {', '.join(finished)}", file=sys.stderr)
    if removed:
        print(f"NOTE removed {len(removed)} temporary file(s) of an interrupted command", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
