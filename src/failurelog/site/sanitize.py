"""Make an incident's Markdown body safe to publish.

Python-Markdown passes raw HTML through, so ``<script>`` or ``<img onerror=...>``
in a post-mortem would run in every reader's browser. Outside code, ``<`` is
turned into ``&lt;`` (autolinks to http, https and mailto stay), links whose
target uses another scheme (``javascript:``, ``data:``, even when spelled with
entities or tabs) point to ``#`` instead, and the scaffold's guidance comments
are dropped. Fenced and indented code and inline code spans are left exactly
as written, since Markdown already shows them literally.
"""

from __future__ import annotations

import html
import re

_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^[ ]{0,3}([-*+]|\d{1,9}[.)])(\s|$)")
_INDENTED = re.compile(r"^( {4}|\t)")
_COMMENT = re.compile(r"<!--.*?(-->|$)", re.DOTALL)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s\"']+)>", re.IGNORECASE)
_LINK_TARGET = re.compile(r"(\]\(\s*<?|^[ ]{0,3}\[[^\]\n]+\]:\s*<?)((?:[^()\s>]|\([^()\s]*\))*)", re.MULTILINE)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
_PLACEHOLDER = "\x00{}\x00"


def _safe_target(match: re.Match[str]) -> str:
    target = match.group(2)
    probe = _INVISIBLE.sub("", html.unescape(target))
    scheme = _SCHEME.match(probe)
    if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
        return match.group(1) + "#"
    return match.group(0)


def _prose(chunk: str) -> str:
    """Escape raw HTML and neutralise unsafe link targets, leaving code spans alone."""
    chunk = chunk.replace("\x00", "").replace("\x01", "")
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return _PLACEHOLDER.format(len(kept) - 1)

    chunk = _COMMENT.sub("", _CODE_SPAN.sub(keep, chunk))
    autolinks: list[str] = []

    def keep_autolink(match: re.Match[str]) -> str:
        autolinks.append(match.group(0))
        return f"\x01{len(autolinks) - 1}\x01"

    chunk = _AUTOLINK.sub(keep_autolink, chunk)
    chunk = chunk.replace("<", "&lt;")
    chunk = _LINK_TARGET.sub(_safe_target, chunk)
    chunk = re.sub("\x01(\\d+)\x01", lambda m: autolinks[int(m.group(1))], chunk)
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], chunk)


def sanitize_markdown(body: str) -> str:
    """``body`` with raw HTML escaped and unsafe links disabled, code untouched."""
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    in_list = False
    previous_blank = True
    in_indented_code = False

    def flush() -> None:
        if prose:
            out.append(_prose("\n".join(prose)))
            prose.clear()

    for line in body.split("\n"):
        if fence is not None:
            out.append(line)
            match = _FENCE.match(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        blank = not line.strip()
        match = _FENCE.match(line)
        if match:
            flush()
            fence = match.group(1)
            out.append(line)
            in_indented_code = False
        elif _INDENTED.match(line) and not blank and not in_list and (previous_blank or in_indented_code):
            flush()
            out.append(line)
            in_indented_code = True
        elif blank and in_indented_code:
            out.append(line)
        else:
            in_indented_code = False
            if _LIST_ITEM.match(line):
                in_list = True
            elif not blank and not line.startswith((" ", "\t")):
                in_list = False
            prose.append(line)
        previous_blank = blank
    flush()
    return "\n".join(out)
