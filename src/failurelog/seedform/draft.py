"""An incident as read from a form, before its status is settled, and the warnings about it."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from failurelog.core.schema import Schema

InstancePath = tuple[str | int, ...]

#: The body section that keeps lines the form has no place for (and the ``[failurelog]`` lines).
NOTES_SECTION = "additional_notes"


@dataclass
class Note:
    """A warning about one line of the form."""

    line: int
    field: str
    message: str


@dataclass
class Draft:
    """An incident as read from a form, before its status is settled."""

    meta: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    sources: dict[InstancePath, tuple[str, int]] = field(default_factory=dict)
    status_given: str | None = None


def section_text(schema: Schema, key: str, lines: list[str]) -> str:
    """The Markdown of a body section from the lines of its block (logs fenced)."""
    kind = next((s.kind for s in schema.sections if s.key == key), "prose")
    text = "\n".join(line.rstrip() for line in lines)
    text = (text if kind == "log" else textwrap.dedent(text)).strip("\n")  # a log keeps its indentation
    if not text.strip():
        return ""
    if kind == "log" and not any(line.lstrip().startswith(("```", "~~~")) for line in text.splitlines()):
        return f"```text\n{text}\n```"
    return text
