"""What every command module shares: the repository root, and ``--format`` from the reporters registry.

Only argparse, the standard library and light core modules are imported here, so
building the parser (``failurelog --help``) stays fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from failurelog.cli.registry import REPORTERS
from failurelog.core.paths import find_root


def root_of(args: argparse.Namespace) -> Path:
    """The repository the command works on: ``--root``, else the folder holding schema/ at or above the current one."""
    return find_root(args.root)


def add_format(parser: Any, kind: str, default: str | None = "text", *, help_extra: str = "") -> None:
    """Add ``--format`` offering every reporter registered for ``kind`` (see :mod:`failurelog.cli.registry`)."""
    choices = REPORTERS[kind]
    described = ", ".join(f"{name} ({reporter.help})" for name, reporter in choices.items())
    parser.add_argument(
        "--format",
        choices=tuple(choices),
        default=default,
        help=f"{described}{help_extra}",
    )


def add_rewrite_command(
    sub: Any,
    name: str,
    handler: Callable[[argparse.Namespace], int],
    *,
    about: tuple[str, str],
    paths: tuple[str, str, str, str],
    dry_run: str,
) -> Any:
    """Register a command that writes files from the files it is given, with ``--dry-run`` (``import``, ``migrate``).

    ``about`` is (help, description); ``paths`` is the positional argument's (dest, nargs, metavar, help).
    """
    dest, nargs, metavar, paths_help = paths
    parser = sub.add_parser(name, help=about[0], description=about[1])
    parser.add_argument(dest, nargs=nargs, type=Path, metavar=metavar, help=paths_help)
    parser.add_argument("--dry-run", action="store_true", help=dry_run)
    parser.set_defaults(handler=handler)
    return parser
