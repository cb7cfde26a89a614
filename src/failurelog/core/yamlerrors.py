"""PyYAML's parse errors in words a person can act on, with the line and column.

PyYAML says *what its parser expected* ("mapping values are not allowed in
this context"); a person wants to know *what to change*. :func:`explain`
matches the common errors and says the fix, keeping PyYAML's own words at the
end for anyone who wants them.
"""

from __future__ import annotations

import yaml

#: (words in PyYAML's problem, extra test on the offending character or None, the explanation).
_KNOWN: tuple[tuple[str, str | None, str], ...] = (
    ("cannot start any token", "\t", "tabs are not allowed in YAML; indent with spaces"),
    (
        "cannot start any token",
        None,
        "a value cannot start with this character (@ or `); put the whole value in quotes",
    ),
    (
        "mapping values are not allowed",
        None,
        "a value containing ': ' needs quotes (or the line is indented under a key that already has a value)",
    ),
    ("scanning a quoted scalar", None, "a quoted value is not closed: add the closing quote"),
    (
        "did not find expected key",
        None,
        "this line is not indented like the keys around it: line it up with its siblings",
    ),
    ("expected <block end>", None, "this line is not indented like the keys around it: line it up with its siblings"),
    ("did not find expected ',' or ']'", None, "a [ list ] is not closed: add the ']' (or quote a value with a comma)"),
    ("did not find expected ',' or '}'", None, "a { mapping } is not closed: add the '}' (or quote the value)"),
    ("could not find expected ':'", None, "a key is missing its ': ' (or a quoted value is not closed)"),
)


def error_mark(exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where to point: where an unclosed quote or bracket began, else where the parser stopped."""
    opened = exc.context and ("quoted scalar" in exc.context or "flow" in exc.context)
    if opened and exc.context_mark is not None:
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def explain(exc: yaml.MarkedYAMLError, text: str) -> str:
    """What to change, the column, and PyYAML's own words: ``column 9: a value containing ': ' needs quotes ...``."""
    mark = error_mark(exc)
    said = " ".join(part for part in (exc.context, exc.problem) if part)
    column = mark.column + 1 if mark is not None else None
    char = ""
    if mark is not None:
        lines = text.splitlines()
        if 0 <= mark.line < len(lines) and mark.column < len(lines[mark.line]):
            char = lines[mark.line][mark.column]
    hint = next((why for words, ch, why in _KNOWN if words in said and (ch is None or ch == char)), None)
    where = f"column {column}: " if column is not None else ""
    if hint is None:
        return f"invalid YAML: {where}{said}"
    return f"invalid YAML: {where}{hint} (YAML: {said})"
