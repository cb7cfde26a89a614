"""``failurelog build``: validate, generate and build the site, and say where it went.

Only argparse is imported here; MkDocs and the generators are imported inside
the handler so ``failurelog --help`` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from failurelog.cli.common import root_of
from failurelog.core.errors import FailurelogError
from failurelog.core.paths import display_path


def run(args: argparse.Namespace) -> int:
    """Validate, generate and build the site; invalid incidents raise ValidationFailed (reported by main)."""
    from failurelog.site.build import build_site

    root = root_of(args)
    try:
        built = build_site(
            root,
            site_dir=args.site_dir,
            engine=args.engine,
            strict=args.strict,
            verbose=args.verbose,
            force=args.force,
        )
    except OSError as exc:  # a read-only or full site folder: what could not be written, and what to do
        where = exc.filename2 or exc.filename  # a copy names its source first, the file it wrote second
        shown = f" {display_path(Path(where), root)}" if where else ""
        raise FailurelogError(
            f"cannot write{shown}: {exc.strerror or exc}; the site folder may be incomplete (incidents and "
            "sources are untouched): free the space or choose a writable --site-dir, then build again"
        ) from None
    where = display_path(built.site_dir, root)
    if built.current:
        print(
            f"up to date: {where} already holds the build of {built.incidents} incidents "
            "(nothing it reads has changed; --force builds anyway)"
        )
    else:
        print(f"built {built.incidents} incidents with {args.engine} into {where}")
    return 0


def add_command(sub: Any) -> None:
    """Register ``build``."""
    build = sub.add_parser(
        "build",
        help="validate the incidents and build the static site",
        description="Validate every incident (stop with the messages, exit 1, if any is invalid), generate the "
        "site's Markdown tree into .failurelog-build/docs, and build it with MkDocs (or Zensical).",
    )
    build.add_argument(
        "--site-dir", type=Path, default=None, metavar="DIR", help="output folder (default: mkdocs.yml's site_dir)"
    )
    build.add_argument(
        "--engine",
        choices=("mkdocs", "zensical"),
        default="mkdocs",
        help="mkdocs (default; Material theme) or zensical (Material's successor; same tree and mkdocs.yml)",
    )
    build.add_argument("--strict", action="store_true", help="fail on MkDocs warnings (broken links and the like)")
    build.add_argument(
        "--force", action="store_true", help="build even when nothing changed since the build that made the folder"
    )
    build.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' progress messages")
    build.set_defaults(handler=run)
