"""Checks of one incident on its own: the schema, and the body's sections.

jsonschema's raw messages are rewritten into ones a reviewer can act on:
unknown fields suggest the near miss, missing fields say which lifecycle
stage requires them, enum errors suggest the closest value, and every
problem points at the line of the offending key.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

from failurelog.core.annotations import get as annotation
from failurelog.core.body import parse_body
from failurelog.core.loader import Document
from failurelog.core.problems import Problem, dotted, line_of
from failurelog.core.schema import Schema
from failurelog.core.values import values_at

if TYPE_CHECKING:  # jsonschema is imported where a file is checked: a run whose outcomes are cached never needs it
    from jsonschema.exceptions import ValidationError

#: How a problem says that a stage of the lifecycle asks for what is missing (``seedform.settle`` steps on it).
STAGE_REQUIRES = "required once status is"
FORMAT_NAMES = {"date-time": "date and time", "date": "date", "ipv4": "IPv4 address", "ipv6": "IPv6 address"}


def _suggest(word: str, choices: Iterable[str]) -> str:
    options = list(choices)
    prefixed = [c for c in options if word and c.casefold().startswith(word.casefold())]
    close = prefixed if len(prefixed) == 1 else difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _leaves(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    """Replace anyOf/oneOf errors by their most relevant sub-error."""
    from jsonschema.exceptions import best_match

    for error in errors:
        if error.validator in ("anyOf", "oneOf") and error.context:
            best = best_match(error.context)
            if best.validator == "format":
                yield error
            else:
                yield best
        else:
            yield error


def _status_clause(error: ValidationError, schema: Schema, where: tuple[str | int, ...]) -> str:
    """For a lifecycle requirement, the stage that requires the field."""
    if "then" not in error.schema_path:
        return ""
    field = schema.field_at(where)
    # walk the schema path to the 'if' beside this 'then'
    node: Any = schema.raw
    parts = list(error.schema_path)
    index = parts.index("then")
    for part in parts[:index]:
        node = node[part]
    status = node.get("if", {}).get("properties", {}).get("status", {})
    stages = status.get("enum") or ([status["const"]] if "const" in status else None)
    if not stages:
        return f": {field.description}" if field is not None else " (required by the value of another field)"
    if len(stages) == 1:
        return f" ({STAGE_REQUIRES} {stages[0]!r})"
    return f" ({STAGE_REQUIRES} {stages[0]!r} or later)"


#: Values quoted in messages are cut to this many characters: a 1 MB title is not repeated.
MAX_SHOWN = 80


class _Shown(str):
    """A value's repr, cut to :data:`MAX_SHOWN` characters and kept on one line."""

    __slots__ = ()

    def __new__(cls, value: object) -> _Shown:
        text = repr(value)
        return super().__new__(cls, text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "\u2026")

    def __repr__(self) -> str:
        return str(self)


def shown(value: object) -> str:
    """How a message quotes a value: its repr, cut to :data:`MAX_SHOWN` characters."""
    return _Shown(value)


_MIGRATE = "run `failurelog migrate` to upgrade it in place"


def _message(error: ValidationError, schema: Schema, path: tuple[str | int, ...]) -> str:
    field = schema.field_at(path)
    label = f" ({field.title})" if field is not None and path else ""
    value = _Shown(error.instance)
    raw = error.instance
    if error.validator == "const" and field is not None and annotation(field.schema, "x-schema-version"):
        return f"this file says {field.key} {raw!r}, but the schema is version {schema.version}; {_MIGRATE}"
    if error.validator == "enum":
        allowed = [str(v) for v in cast(list[Any], error.validator_value)]
        hint = _suggest(str(raw), allowed) or f"; choose one of: {', '.join(allowed)}"
        return f"{value!r} is not an allowed value{label}{hint}"
    if error.validator == "type":
        wanted = error.validator_value
        wanted_text = " or ".join(wanted) if isinstance(wanted, list) else wanted
        shown = _describe(raw)
        hint = ""
        if wanted_text in ("number", "integer") and isinstance(raw, str):
            hint = f"; write the number alone and keep the rest under `remarks: {{{dotted(path)}: ...}}`"
        if wanted_text == "string" and not isinstance(raw, (dict, list)):
            hint = "; put it in quotes"
        return f"expected {wanted_text}{label}, found {shown}{hint}"
    if error.validator == "format":
        kind = FORMAT_NAMES.get(str(error.validator_value), str(error.validator_value))
        return f"{value!r} is not a valid {kind}{label}"
    if error.validator == "pattern":
        guide = field.description if field is not None else ""
        example = annotation(field.schema, "x-example") if field is not None else None
        if example:
            guide = f"{guide} Expected like {example}".strip()
        return f"{value!r} is not in the expected form{label}: {guide}".rstrip(": ")
    if error.validator == "anyOf" and field is not None:
        return f"{value!r} is not valid{label}: {field.description}"
    if error.validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        unit = f" {field.unit}" if field is not None and field.unit else ""
        return f"{value!r}{unit} is out of range{label}: {error.message.split(' is ', 1)[-1]}"
    if error.validator == "minLength" and raw == "":
        return f"empty text{label}: fill it in or remove the field"
    return f"{error.message.replace(repr(raw), str(value))}{label}"


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"boolean {value!r}"
    if isinstance(value, str):
        return f"text {_Shown(value)}"
    if isinstance(value, (int, float)):
        return f"number {_Shown(value)}"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def schema_problems(doc: Document, schema: Schema) -> list[Problem]:
    """Every schema violation in ``doc``, each at the line of its key."""
    assert doc.meta is not None
    out: list[Problem] = []
    default_line = 2
    for error in _leaves(schema.validator.iter_errors(doc.meta)):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = list(cast(dict[str, Any], error.schema).get("properties", {}))
            for key in error.instance:
                if key in known:
                    continue
                where = (*path, key)
                out.append(
                    Problem(
                        doc.display,
                        line_of(doc.lines, where, default_line),
                        dotted(where),
                        f"unknown field {_Shown(key)}{_suggest(str(key), known)}",
                        "schema",
                    )
                )
            continue
        if error.validator == "required" and isinstance(error.instance, dict):
            for key in cast(list[str], error.validator_value):
                if key in error.instance:
                    continue
                where = (*path, key)
                field = schema.field_at(where)
                title = f" ({field.title})" if field is not None else ""
                clause = _status_clause(error, schema, where)
                if field is not None and annotation(field.schema, "x-schema-version"):
                    clause = f": a file without it was written for the first schema; {_MIGRATE}"
                # a field the lifecycle requires is pointed at from the `status:` line
                anchor = ("status",) if "status is" in clause and not path else path
                out.append(
                    Problem(
                        doc.display,
                        line_of(doc.lines, anchor, default_line),
                        dotted(where),
                        f"missing{title}{clause}",
                        "schema",
                    )
                )
            continue
        out.append(
            Problem(
                doc.display,
                line_of(doc.lines, path, default_line),
                dotted(path),
                _message(error, schema, path),
                "schema",
            )
        )
    # jsonschema reports a missing property once per missing sibling, and a malformed
    # timestamp under both `pattern` and `format`: say each thing once, the form first.
    out.extend(_line_breaks(doc, schema))
    unique = list(dict.fromkeys(out))
    patterned = {p.field for p in unique if "expected form" in p.message}
    return [p for p in unique if not (p.field in patterned and " is not a valid " in p.message)]


def _line_breaks(doc: Document, schema: Schema) -> list[Problem]:
    """A line break in a field with a pattern (ids, hashes, times): Python's ``$`` lets a trailing one through."""
    out = []
    for field in schema.fields.values():
        if "pattern" not in field.schema:
            continue
        for path, value in values_at(doc.meta, field.name):
            if isinstance(value, str) and any(ch in value for ch in "\n\r"):
                out.append(
                    Problem(
                        doc.display,
                        line_of(doc.lines, path, 2),
                        dotted(path),
                        f"a line break in a one-line field ({field.title}); write it on one line",
                        "schema",
                    )
                )
    return out


def _section_hint(heading: str, schema: Schema) -> str:
    """Suggest the closest section, or point at the front-matter field a heading names."""
    hint = _suggest(heading, schema.sections_by_heading)
    if hint:
        return hint
    titles = {f.title: f for f in schema.fields.values() if not f.is_container}
    close = difflib.get_close_matches(heading, list(titles), n=1, cutoff=0.75)
    if close:
        return f"; {close[0]!r} is a front-matter field ({titles[close[0]].name}), not a body section"
    return f"; sections are: {', '.join(schema.sections_by_heading)}"


def body_problems(doc: Document, schema: Schema) -> list[Problem]:
    """Unknown, duplicate, misplaced and (for the status) missing or empty body sections."""
    out: list[Problem] = []
    parsed = parse_body(doc.body, doc.body_line)
    known = schema.sections_by_heading
    if parsed.preamble.strip():
        out.append(
            Problem(
                doc.display,
                parsed.preamble_line,
                "body",
                "text before the first '## ' heading belongs to no section; move it under one",
                "body",
            )
        )
    for line, _level, text in parsed.other_headings:
        out.append(
            Problem(
                doc.display,
                line,
                "body",
                f"'# {text}': use '## ' section headings; the page title comes from `title`",
                "body",
            )
        )
    seen: dict[str, int] = {}
    for section in parsed.sections:
        if section.heading not in known:
            out.append(
                Problem(
                    doc.display,
                    section.line,
                    "body",
                    f"unknown section '## {section.heading}'{_section_hint(section.heading, schema)}",
                    "body",
                )
            )
        elif section.heading in seen:
            out.append(
                Problem(
                    doc.display,
                    section.line,
                    "body",
                    f"section '## {section.heading}' appears twice (first on line {seen[section.heading]})",
                    "body",
                )
            )
        seen.setdefault(section.heading, section.line)
    status = (doc.meta or {}).get("status")
    rank = schema.status_rank(status)
    present = {s.heading: s for s in parsed.sections}
    for spec in schema.sections:
        if spec.required_from is None or rank < schema.status_rank(spec.required_from):
            continue
        found = present.get(spec.heading)
        if found is None:
            out.append(
                Problem(
                    doc.display,
                    doc.body_line,
                    "body",
                    f"missing section '## {spec.heading}' ({STAGE_REQUIRES} {spec.required_from!r}): "
                    f"{spec.description}",
                    "body",
                )
            )
        elif found.is_empty:
            out.append(
                Problem(
                    doc.display,
                    found.line,
                    "body",
                    f"section '## {spec.heading}' is empty ({STAGE_REQUIRES} {spec.required_from!r}): "
                    f"{spec.description}",
                    "body",
                )
            )
    return out
