"""Reading values out of front matter: dotted field paths, timestamps, numbers.

Helpers every layer uses (validation, the model, the analyses, the history
audit, the site); they know the schema's path notation (``[]`` for list items)
and nothing else about it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from failurelog.core.schema import ITEMS


def values_at(data: Any, name: str) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every (instance path, value) for a dotted field name, expanding ``[]`` over lists."""
    parts = name.replace(ITEMS, "." + ITEMS).split(".")
    frontier: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    for part in parts:
        nxt: list[tuple[tuple[str | int, ...], Any]] = []
        for path, value in frontier:
            if part == ITEMS and isinstance(value, list):
                nxt.extend(((*path, i), item) for i, item in enumerate(value))
            elif isinstance(value, dict) and part in value:
                nxt.append(((*path, part), value[part]))
        frontier = nxt
    return iter(frontier)


@lru_cache(maxsize=4096)
def _parts(name: str) -> tuple[str, ...]:
    return tuple(name.replace(ITEMS, "." + ITEMS).split("."))


#: A key no front matter has: what a plain walk gets for a missing key.
_MISSING = object()


def leaves_at(data: Any, name: str) -> list[Any]:
    """The values of :func:`values_at` without their paths (faster: the analyses read every field per incident)."""
    parts = _parts(name)
    if ITEMS not in parts:  # a plain dotted path (most fields): one value or none, walked directly
        value = data
        for part in parts:
            value = value.get(part, _MISSING) if isinstance(value, dict) else _MISSING
            if value is _MISSING:
                return []
        return [value]
    frontier = [data]
    for part in parts:
        if part == ITEMS:
            frontier = [item for value in frontier if isinstance(value, list) for item in value]
        else:
            frontier = [value[part] for value in frontier if isinstance(value, dict) and part in value]
    return frontier


def flat_values(data: Any, name: str) -> list[Any]:
    """Every value of a field in ``data``, lists flattened (``[]`` expands list items); None left out.

    What the model's ``Incident.values`` gives, read without building the intermediate lists.
    """
    parts = _parts(name)
    if ITEMS in parts:
        out: list[Any] = []
        for value in leaves_at(data, name):
            if isinstance(value, list):
                out.extend([v for v in value if v is not None])
            elif value is not None:
                out.append(value)
        return out
    value = data
    for part in parts:
        if not isinstance(value, dict):
            return []
        value = value.get(part)
    if value is None:
        return []
    return [v for v in value if v is not None] if isinstance(value, list) else [value]


def value_at(data: Any, name: str) -> Any:
    """The single value of a dotted field name without ``[]`` (the first one with ``[]``), or None."""
    if ITEMS not in name:  # the common case, walked directly: the analyses read fields per incident
        value = data
        for part in _parts(name):
            value = value.get(part, _MISSING) if isinstance(value, dict) else _MISSING
            if value is _MISSING:
                return None
        return value
    for _path, value in values_at(data, name):
        return value
    return None


def parse_time(value: Any) -> datetime | None:
    """A schema timestamp as an aware datetime, or None when absent or malformed."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def number(value: Any) -> float | None:
    """A YAML number as a float; None for anything else (booleans included)."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def parse_moment(value: Any) -> datetime | date | None:
    """A timestamp as an aware datetime, a YYYY-MM-DD date as a date, else None."""
    when = parse_time(value)
    if when is not None or not isinstance(value, str):
        return when
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None
