"""The status lifecycle and the ``Other`` convention, derived from the schema's ``allOf``.

The schema states, as ``if status is one of ... then required ...`` blocks,
which fields each stage requires; and, as ``if the list contains "Other" then
required X_other`` blocks, which field describes an ``Other`` box. This module
reads both so that no Python module repeats them, and checks that every field
they name exists (:func:`lifecycle_problems`, run when the schema loads).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from failurelog.core.annotations import get as annotation

JSON = Mapping[str, Any]

#: The field holding an incident's stage.
STATUS = "status"
#: The part of :func:`introduced` that names body sections.
BODY = "body"


@dataclass(frozen=True)
class Stage:
    """One ``if status in statuses then ...`` block of the schema's ``allOf``."""

    statuses: tuple[str, ...]
    required: tuple[str, ...]  # dotted field names, in the order the block gives them


@dataclass(frozen=True)
class OtherRule:
    """A choice whose ``value`` box (``Other``) must be described in the ``detail`` field."""

    field: str
    value: str
    detail: str


def _named(then: JSON, prefix: str = "") -> Iterator[str]:
    for name in then.get("required", []):
        yield f"{prefix}{name}"
    for key, sub in then.get("properties", {}).items():
        if isinstance(sub, Mapping):
            yield from _named(sub, f"{prefix}{key}.")


def _stage_statuses(condition: JSON) -> tuple[str, ...] | None:
    status = condition.get("properties", {}).get(STATUS)
    if not isinstance(status, Mapping) or set(condition.get("properties", {})) != {STATUS}:
        return None
    if "const" in status:
        return (str(status["const"]),)
    if "enum" in status:
        return tuple(str(v) for v in status["enum"])
    return None


def stages(raw: JSON) -> list[Stage]:
    """Every lifecycle block of ``allOf``, in schema order."""
    out = []
    for block in raw.get("allOf", []):
        statuses = _stage_statuses(block.get("if", {}))
        if statuses is not None:
            out.append(Stage(statuses, tuple(_named(block.get("then", {})))))
    return out


def statuses(raw: JSON) -> list[str]:
    """The lifecycle's stages in order (the ``status`` field's enum)."""
    return [str(s) for s in raw["properties"][STATUS]["enum"]]


def required_at(raw: JSON, status: str) -> list[str]:
    """Every field (dotted name) an incident at ``status`` must have: the always-required ones, then each stage's."""
    out = dict.fromkeys(str(name) for name in raw.get("required", []))
    for stage in stages(raw):
        if status in stage.statuses:
            out.update(dict.fromkeys(stage.required))
    return list(out)


def first_required(raw: JSON) -> dict[str, str]:
    """For each field a stage requires: the earliest status that requires it."""
    order = statuses(raw)
    out: dict[str, str] = {}
    for status in order:
        for name in required_at(raw, status):
            out.setdefault(name, status)
    return out


def introduced(raw: JSON, status: str) -> dict[str, tuple[str, ...]]:
    """What ``status`` asks for that no earlier status does, in parts: ``{top-level field: its dotted names}``.

    A part is a top-level field the status is the first to require, with the fields under it
    that it requires (``sign_off``: ``sign_off``, ``sign_off.closed_at``, ...); a field first
    required inside a part an earlier status already asked for (``failure.failure_modes`` at
    ``resolved``) is not a part of its own. The body sections first required at ``status``
    (``x-body-sections``' ``required_from``) are one more part, keyed ``body``, named by section key.
    """
    first = first_required(raw)
    parts: dict[str, tuple[str, ...]] = {}
    for name, since in first.items():
        top = name.split(".")[0]
        if since == status and first.get(top) == status:
            parts[top] = (*parts.get(top, ()), name)
    sections = tuple(
        str(entry["key"]) for entry in annotation(raw, "x-body-sections", []) if entry.get("required_from") == status
    )
    if sections:
        parts[BODY] = sections
    return parts


def other_rules(raw: JSON) -> list[OtherRule]:
    """Every ``if FIELD contains VALUE then required DETAIL`` block of ``allOf``."""
    out = []
    for block in raw.get("allOf", []):
        props = block.get("if", {}).get("properties", {})
        required = block.get("then", {}).get("required", [])
        if len(props) != 1 or len(required) != 1:
            continue
        ((name, condition),) = props.items()
        contains = condition.get("contains", {}) if isinstance(condition, Mapping) else {}
        if "const" in contains:
            out.append(OtherRule(str(name), str(contains["const"]), str(required[0])))
    return out


def other_rule(raw: JSON, field: str) -> OtherRule | None:
    """The ``Other`` rule of the choice ``field`` (dotted name), or None when it has no Other box."""
    return next((rule for rule in other_rules(raw) if rule.field == field), None)


def lifecycle_problems(raw: JSON, field_names: set[str]) -> list[str]:
    """Messages for every field a lifecycle or Other block names that the schema does not define."""
    known = set(statuses(raw))
    out = []
    for stage in stages(raw):
        for status in stage.statuses:
            if status not in known:
                out.append(f"allOf: a lifecycle stage names the status {status!r}, which status does not list")
        for name in stage.required:
            if name not in field_names:
                out.append(f"allOf: the stage {'/'.join(stage.statuses)} requires {name}, which is not a field")
    for rule in other_rules(raw):
        for name in (rule.field, rule.detail):
            if name not in field_names:
                out.append(f"allOf: the {rule.value} rule names {name}, which is not a field")
    for entry in annotation(raw, "x-body-sections", []):
        since = entry.get("required_from")
        if since is not None and since not in known:
            out.append(f"x-body-sections: {entry.get('key')} is required from {since!r}, which is not a status")
    return out
