"""``failurelog serve``: preview the site, rebuilding on every change."""

from __future__ import annotations

import argparse
from typing import Any

from failurelog.cli.common import root_of


def run(args: argparse.Namespace) -> int:
    """Preview the site, rebuilding when an incident, the schema, a template or docs/ changes."""
    from failurelog.site.build import serve_site

    serve_site(root_of(args), dev_addr=args.dev_addr)
    return 0


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
