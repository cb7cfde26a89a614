"""Read one incident file into front matter, body and a line map, or into problems.

python-frontmatter finds the front-matter block; everything it would swallow
silently (a byte-order mark, an unclosed ``---``, a list or scalar instead of
a mapping, non-UTF-8 bytes, a binary file) is reported here instead, and the
YAML itself is read by :mod:`failurelog.core.yamlio`.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter

from failurelog.core import yamlio
from failurelog.core.problems import Problem, dotted

#: Incidents larger than this are refused unread: logs that size belong in an attachment store.
MAX_BYTES = 1024 * 1024

_FM = frontmatter.default_handlers.YAMLHandler()


@dataclass
class Document:
    """One incident file as read: ``meta`` is None when the front matter is unusable."""

    path: Path
    display: str
    meta: dict[str, Any] | None = None
    body: str = ""
    body_line: int = 1
    lines: dict[yamlio.Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    text: str = ""

    def problem(self, line: int, field_path: str, message: str, rule: str) -> None:
        """Record a problem in this file."""
        self.problems.append(Problem(self.display, line, field_path, message, rule))


def _read_bytes(doc: Document, root: Path | None) -> bytes | None:
    path = doc.path
    try:
        if path.is_symlink() and root is not None:
            target = path.resolve()
            if not target.is_relative_to(root.resolve()):
                doc.problem(
                    1,
                    "",
                    f"symbolic link points outside the repository (to {target}); commit the incident file itself",
                    "file",
                )
                return None
        if not path.is_file():
            doc.problem(1, "", "not a regular file", "file")
            return None
        size = path.stat().st_size
        if size > MAX_BYTES:
            doc.problem(
                1,
                "",
                f"file is {size / 1048576:.1f} MiB; an incident may be at most "
                f"{MAX_BYTES // 1048576} MiB (trim the logs to the telling lines)",
                "file",
            )
            return None
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        doc.problem(1, "", f"cannot read file: {exc.strerror or exc}", "file")
        return None
    except RuntimeError:  # Path.resolve() on a symbolic-link loop
        doc.problem(1, "", "symbolic link loop: the link leads (through other links) back to itself", "file")
        return None


def _decode(doc: Document, data: bytes) -> str | None:
    if b"\x00" in data:
        doc.problem(
            data[: data.index(b"\x00")].count(b"\n") + 1,
            "",
            "binary file (contains NUL bytes); an incident is a UTF-8 Markdown file",
            "encoding",
        )
        return None
    if data.startswith(codecs.BOM_UTF8):
        doc.problem(1, "", "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM", "encoding")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        doc.problem(
            line,
            "",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
            "encoding",
        )
        return None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        doc.problem(
            line, "", "Windows (CRLF) or old Mac (CR) line endings; save with Unix (LF) line endings", "encoding"
        )
        return None
    return text


def _split(doc: Document, text: str) -> tuple[str, int] | None:
    """Front-matter text and the number of file lines before it."""
    if not text.strip():
        doc.problem(1, "", "file is empty; start from `failurelog new`", "front-matter")
        return None
    boundaries = list(_FM.FM_BOUNDARY.finditer(text))
    if not boundaries or boundaries[0].start() != 0:
        doc.problem(
            1,
            "",
            "no front matter: the file must start with a line '---', then the YAML fields, then another '---'",
            "front-matter",
        )
        return None
    if len(boundaries) < 2:
        doc.problem(1, "", "front matter opened with '---' on line 1 is never closed with a '---' line", "front-matter")
        return None
    opening, closing = boundaries[0], boundaries[1]
    doc.body = text[closing.end() :].lstrip("\n")
    doc.body_line = text.count("\n", 0, len(text) - len(doc.body)) + 1
    return text[opening.end() : closing.start()], text.count("\n", 0, opening.end())


def load(path: Path, display: str | None = None, root: Path | None = None) -> Document:
    """Read ``path``; any problem is recorded on the returned document, never raised."""
    doc = Document(path=path, display=display or str(path))
    data = _read_bytes(doc, root)
    if data is None:
        return doc
    return parse_bytes(doc, data)


def parse_bytes(doc: Document, data: bytes) -> Document:
    """Fill ``doc`` from the bytes of an incident file (a file on disk, or a version from git)."""
    if len(data) > MAX_BYTES:
        doc.problem(
            1,
            "",
            f"file is {len(data) / 1048576:.1f} MiB; an incident may be at most "
            f"{MAX_BYTES // 1048576} MiB (trim the logs to the telling lines)",
            "file",
        )
        return doc
    text = _decode(doc, data)
    if text is None:
        return doc
    return parse_text(doc, text)


def parse_text(doc: Document, text: str) -> Document:
    """Fill ``doc`` from the text of an incident file."""
    doc.text = text
    split = _split(doc, text)
    if split is None:
        return doc
    fm_text, offset = split
    parsed = yamlio.parse(fm_text, offset)
    for found in parsed.problems:
        doc.problem(found.line, _dotted(found.path), found.message, "yaml")
    if parsed.problems:
        return doc
    if not isinstance(parsed.data, dict):
        kinds = {list: "a list", str: "plain text", int: "a number", float: "a number", bool: "a boolean"}
        kind = "nothing" if parsed.data is None else kinds.get(type(parsed.data), type(parsed.data).__name__)
        doc.problem(
            offset + 1, "", f"front matter must be a mapping of `field: value` lines, found {kind}", "front-matter"
        )
        return doc
    doc.meta = parsed.data
    doc.lines = parsed.lines
    return doc


def _dotted(path: yamlio.Path) -> str:

    return dotted(path)
