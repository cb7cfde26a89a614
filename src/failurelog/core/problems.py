"""Problems are data: every finding has a file, a line, a field path and a message."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from failurelog.core.yamlio import Path


def dotted(path: Iterable[str | int]) -> str:
    """``('action_items', 2, 'owner')`` -> ``'action_items[2].owner'``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one incident file."""

    file: str
    line: int
    field: str
    message: str
    rule: str = "schema"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def line_of(lines: dict[Path, int], path: Path, default: int) -> int:
    """Line of ``path``, or of its nearest ancestor that has one, else ``default``."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return default
