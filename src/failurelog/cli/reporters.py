"""Render a validation report as text, JSON or GitHub workflow annotations (see :mod:`failurelog.cli.registry`)."""

from __future__ import annotations

import json
import os
from typing import IO

from failurelog.core.terminal import safe
from failurelog.validate.run import Report


def use_color(choice: str, stream: IO[str]) -> bool:
    """``--color auto|always|never``; auto honours NO_COLOR and whether ``stream`` is a terminal."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


def _paint(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def render_text(report: Report, *, color: bool = False, verbose: int = 0, quiet: bool = False) -> str:
    """``path:line: field: message`` lines, then a one-line summary."""
    lines = []
    for p in report.problems:
        location = _paint(f"{safe(p.file)}:{p.line}:", "1", color)
        field = _paint(f" {safe(p.field)}:", "36", color) if p.field else ""
        lines.append(f"{location}{field} {safe(p.message)}")
    if verbose:
        bad = set(report.invalid_files)
        lines.extend(f"{safe(name)}: ok" for name in report.checked if name not in bad)
    if not quiet:
        invalid = len(report.invalid_files)
        total = len(report.checked)
        if report.ok:
            summary = _paint(f"ok: {total} incident{'s' if total != 1 else ''} valid", "32", color)
        else:
            summary = _paint(
                f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''} in "
                f"{invalid} of {total} incident{'s' if total != 1 else ''}",
                "31",
                color,
            )
        lines.append(summary)
    return "\n".join(lines) + ("\n" if lines else "")


def render_json(report: Report) -> str:
    """``{"status": "ok"|"fail", "checked": [...], "errors": [...]}``."""
    return (
        json.dumps(
            {
                "status": "ok" if report.ok else "fail",
                "checked": report.checked,
                "errors": [p.as_dict() for p in report.problems],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """One ``::error file=...,line=...,title=...::message`` workflow command per problem."""
    lines = []
    for p in report.problems:
        title = _escape_property(f"failurelog: {p.field or p.rule}")
        lines.append(f"::error file={_escape_property(p.file)},line={p.line},title={title}::{_escape_data(p.message)}")
    lines.append(render_text(report, quiet=False).splitlines()[-1])
    return "\n".join(lines) + "\n"
