"""The ``build`` and ``serve`` subcommands (registered by :func:`add_commands` from the CLI).

Only argparse is imported here; MkDocs and the generators are imported inside
each handler so ``failurelog --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def _root(args: argparse.Namespace) -> Path:
    from failurelog.core.paths import find_root

    return find_root(args.root)


def _invalid(exc: Any) -> int:
    from failurelog.validate import output

    sys.stdout.write(output.render_text(exc.report, color=output.use_color("auto", sys.stdout)))
    print(f"ERROR {exc}", file=sys.stderr)
    return 1


def cmd_build(args: argparse.Namespace) -> int:
    """Validate, generate and build the site; exit 1 with the validation messages when an incident is invalid."""
    from failurelog.site.build import build_site
    from failurelog.site.generate import ValidationFailed

    root = _root(args)
    try:
        prepared = build_site(
            root, site_dir=args.site_dir, engine=args.engine, strict=args.strict, verbose=args.verbose
        )
    except ValidationFailed as exc:
        return _invalid(exc)
    target = args.site_dir or root / "site"
    print(f"built {len(prepared.model.incidents)} incidents with {args.engine} into {target}")
    return 0


def check_dev_addr(value: str) -> None:
    """Refuse, as a usage error, an address that is not IP:PORT with a port from 1 to 65535 free to listen on."""
    import socket

    from failurelog.core.errors import UsageError

    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 1 <= int(port[:6]) <= 65535:
        raise UsageError(f"--dev-addr {value!r}: write IP:PORT with a port from 1 to 65535, e.g. 127.0.0.1:8000")
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((host.strip("[]"), int(port)))
    except OSError as exc:
        reason = exc.strerror or exc
        raise UsageError(f"--dev-addr {value}: cannot listen there ({reason}); choose another port") from None


def cmd_serve(args: argparse.Namespace) -> int:
    """Preview the site, rebuilding when an incident, the schema, a template or docs/ changes."""
    from failurelog.site.build import serve_site
    from failurelog.site.generate import ValidationFailed

    root = _root(args)
    if args.dev_addr is not None:
        check_dev_addr(args.dev_addr)
    try:
        serve_site(root, dev_addr=args.dev_addr)
    except ValidationFailed as exc:
        return _invalid(exc)
    return 0


def add_commands(sub: Any) -> None:
    """Register ``build`` and ``serve`` on the CLI's subparsers."""
    build = sub.add_parser(
        "build",
        help="validate the incidents and build the static site",
        description="Validate every incident (stop with the messages, exit 1, if any is invalid), generate the "
        "site's Markdown tree into .failurelog-build/docs, and build it with MkDocs (or Zensical).",
    )
    build.add_argument("--site-dir", type=Path, default=None, metavar="DIR", help="output folder (default: site/)")
    build.add_argument(
        "--engine",
        choices=("mkdocs", "zensical"),
        default="mkdocs",
        help="mkdocs (default; Material theme) or zensical (Material's successor; same tree and mkdocs.yml)",
    )
    build.add_argument("--strict", action="store_true", help="fail on MkDocs warnings (broken links and the like)")
    build.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' progress messages")
    build.set_defaults(handler=cmd_build)

    serve = sub.add_parser(
        "serve",
        help="preview the site, rebuilding on every change",
        description="Serve the site on http://127.0.0.1:8000/ and rebuild it whenever an incident, the schema, "
        "a template or a page in docs/ changes.",
    )
    serve.add_argument("--dev-addr", default=None, metavar="IP:PORT", help="address to serve on (default: mkdocs.yml)")
    serve.set_defaults(handler=cmd_serve)
