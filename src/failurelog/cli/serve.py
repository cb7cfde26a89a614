"""``failurelog serve``: preview the site, rebuilding on every change."""

from __future__ import annotations

import argparse
from typing import Any

from failurelog.cli.common import root_of
from failurelog.core.errors import UsageError


def run(args: argparse.Namespace) -> int:
    """Preview the site, rebuilding when an incident, the schema, a template or docs/ changes."""
    from failurelog.site.build import serve_site

    root = root_of(args)
    if args.dev_addr is not None:
        check_dev_addr(args.dev_addr)
    serve_site(root, dev_addr=args.dev_addr)
    return 0


def check_dev_addr(value: str) -> None:
    """Refuse, as a usage error, an address that is not IP:PORT with a port from 1 to 65535 free to listen on."""
    import socket

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


def add_command(sub: Any) -> None:
    """Register ``serve``."""
    serve = sub.add_parser(
        "serve",
        help="preview the site, rebuilding on every change",
        description="Serve the site on http://127.0.0.1:8000/ and rebuild it whenever an incident, the schema, "
        "a template or a page in docs/ changes.",
    )
    serve.add_argument("--dev-addr", default=None, metavar="IP:PORT", help="address to serve on (default: mkdocs.yml)")
    serve.set_defaults(handler=run)
