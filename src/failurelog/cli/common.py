"""What every command module shares: the repository root, and ``--format`` from the reporters registry.

Only argparse, the standard library and light core modules are imported here, so
building the parser (``failurelog --help``) stays fast.
"""

from __future__ import annotations

import argparse
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
