"""The ``failurelog`` command: the parser, and the one place an exception becomes a message and an exit status.

Each command lives in its own module of this package (``add_command`` registers
it, ``run`` does it). A library module that loads a heavy package (yaml,
jsonschema, jinja2, git, MkDocs) is imported inside the ``run`` that needs it, so
``failurelog --help`` starts fast (``tests/test_architecture.py``: ``LAZY_FOR_HELP``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from failurelog import __version__
from failurelog.cli import (
    actions,
    assets,
    build,
    export,
    history,
    import_forms,
    migrate,
    new,
    renumber,
    serve,
    similar,
    stats,
    validate,
)
from failurelog.core.errors import FailurelogError, ValidationFailed
from failurelog.core.journal import resume
from failurelog.core.paths import find_root

Handler = Callable[[argparse.Namespace], int]

#: The command modules, in the order ``--help`` lists them.
COMMANDS = (
    new,
    validate,
    history,
    renumber,
    migrate,
    import_forms,
    export,
    stats,
    actions,
    assets,
    similar,
    build,
    serve,
)


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
    for command in COMMANDS:
        command.add_command(sub)
    return parser


def explain(exc: FailurelogError, *, color: bool = False, quiet: bool = False) -> tuple[str, str]:
    """What a failed command shows: (the report for stdout, the ``ERROR ...`` lines for stderr).

    The MkDocs hooks, which report through MkDocs rather than :func:`main`, use it too.
    """
    report = ""
    if isinstance(exc, ValidationFailed):
        from failurelog.cli.reporters import render_text

        report = render_text(exc.report, color=color, quiet=quiet)
    lines = str(exc).splitlines() or [type(exc).__name__]
    return report, "".join(f"ERROR {line}\n" for line in lines)


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
        from failurelog.cli.reporters import use_color

        report, errors = explain(exc, color=use_color("auto", sys.stdout))
        sys.stdout.write(report)
        sys.stderr.write(errors)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ERROR interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except OSError as exc:  # a read-only folder, a full disk: name the path, never a traceback
        named = exc.filename2 or exc.filename  # a copy or rename names the file it wrote second
        where = f"{named}: " if named else ""
        print(f"ERROR {where}{exc.strerror or exc}; nothing was left half-written", file=sys.stderr)
        return 1


def _resume(args: argparse.Namespace) -> None:
    """Finish a change an earlier command was killed in the middle of, and remove its temporary files."""
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
