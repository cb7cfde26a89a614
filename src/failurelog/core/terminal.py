r"""Text for a terminal: control characters from git authors, commit messages or decoded YAML shown escaped.

An ESC in a commit message or a YAML ``"\e"`` would otherwise reach the
reader's terminal and could recolour, retitle or rewrite what it shows; a NUL
would cut a line short. Tabs and line breaks are kept.
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def safe(text: str) -> str:
    r"""``text`` with every C0 and C1 control character except tab and line feed written as ``\xNN``."""
    return CONTROL.sub(_escape, text) if CONTROL.search(text) else text


def safe_json(text: str) -> str:
    r"""JSON text with the C1 controls (which ``ensure_ascii=False`` leaves raw) written as ``\u00NN`` escapes."""
    return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)
