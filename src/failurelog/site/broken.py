"""What ``serve`` shows while the repository does not validate: the messages on every page, never a hung server.

A failed preparation (an invalid incident, a schema or ``mkdocs.yml`` that
does not load) becomes :class:`Broken` in the hook: the messages as
``file:line: field: message`` lines, the same ones ``failurelog validate``
prints (the CLI's ``explain``). The hook logs
them to the terminal, keeps the last good tree (or writes an error page as the
home page when there is none) and puts :func:`banner` at the top of every page
it builds, until a rebuild succeeds.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from failurelog.site import markup as m

#: The class of the banner's element (tests and the browser find it by this).
BANNER_CLASS = "fl-broken"
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Broken:
    """Why the site could not be regenerated: a headline and the problem lines."""

    headline: str
    lines: tuple[str, ...]


def terminal_lines(state: Broken) -> list[str]:
    """What the terminal shows: the headline, then every problem line."""
    return [f"failurelog: {state.headline}", *state.lines]


def banner(state: Broken) -> str:
    """The banner HTML (escaped; inline styles, so it shows with any theme) at the top of every page."""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in state.lines)
    return (
        f'<div class="{BANNER_CLASS}" role="alert" style="background:#b71c1c;color:#fff;padding:.6rem 1rem;'
        'font:14px/1.4 sans-serif;position:relative;z-index:10">'
        f"<strong>{html.escape(state.headline)}</strong> The pages below are from the last good build; "
        "fix the file and save: the site comes back by itself."
        f'<ul style="margin:.3rem 0 0 1.2rem;padding:0">{items}</ul></div>'
    )


def with_banner(page: str, state: Broken) -> str:
    """``page`` (a whole HTML document) with the banner right after ``<body>``, or first when it has none."""
    found = _BODY.search(page)
    at = found.end() if found else 0
    return page[:at] + banner(state) + page[at:]


def error_page(state: Broken) -> str:
    """The home page shown when no good build exists yet: the headline and every message."""
    lines = "\n".join(state.lines) or state.headline
    return (
        m.page_header("The site could not be built", search=False)
        + "# The site could not be built\n\n"
        + f"{m.text(state.headline)}\n\nFix the file and save: this page is replaced by the site.\n\n"
        + f"```text\n{lines.replace('```', '` ` `')}\n```\n"
    )
