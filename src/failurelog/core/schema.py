"""The incident schema, and everything the rest of the package asks of it.

``schema/incident.schema.json`` is the single source of truth: field names,
titles (the seed form's labels), units, enum values, which fields are worth a
pattern index, the body's sections, the status lifecycle and the order of
timestamps all come from here. No other module lists field names.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from failurelog.core import lifecycle
from failurelog.core.annotations import get as annotation
from failurelog.core.annotations import unknown_annotations
from failurelog.core.errors import SchemaError
from failurelog.core.ids import IdFormat, IdPatternError, id_format
from failurelog.core.paths import SCHEMA_FILE

JSON = dict[str, Any]

#: Marks an array level in a field path: ``action_items[].owner``.
ITEMS = "[]"


@dataclass(frozen=True)
class Field:
    """One property of the schema, at its place in the tree."""

    path: tuple[str, ...]
    schema: JSON = field(repr=False)

    @cached_property
    def name(self) -> str:
        """Dotted path, with ``[]`` for list items."""
        return ".".join(self.path).replace(".[]", "[]")

    @cached_property
    def key(self) -> str:
        """The last part of the path."""
        return self.path[-1]

    @cached_property
    def title(self) -> str:
        """The seed form's label for this field."""
        return str(self.schema.get("title", self.key))

    @property
    def description(self) -> str:
        """Guidance for whoever fills the field in."""
        return str(self.schema.get("description", ""))

    @property
    def unit(self) -> str | None:
        """The unit of a number (``x-unit``), if any."""
        unit = annotation(self.schema, "x-unit")
        return str(unit) if unit else None

    @property
    def seed_label(self) -> str:
        """The label this field has on the paper form."""
        return str(annotation(self.schema, "x-seed-label", self.title))

    @property
    def form_group(self) -> str | None:
        """The paper form's sub-heading this field sits under (``x-form-group``), if any."""
        group = annotation(self.schema, "x-form-group")
        return str(group) if group else None

    @cached_property
    def type(self) -> str:
        """``object``, ``array``, ``string``, ``number``, ``integer`` or ``boolean`` (first if several)."""
        kind = self.schema.get("type", "string")
        return str(kind[0] if isinstance(kind, list) else kind)

    @property
    def choices(self) -> list[str] | None:
        """Enum values of a single choice, or of the items of a multiple choice."""
        if "enum" in self.schema:
            return [str(v) for v in self.schema["enum"]]
        items = self.schema.get("items", {})
        if isinstance(items, dict) and "enum" in items:
            return [str(v) for v in items["enum"]]
        return None

    @property
    def multiple(self) -> bool:
        """True for a checkbox group where several boxes may be ticked."""
        return self.type == "array" and self.choices is not None

    @cached_property
    def group_by(self) -> bool:
        """Worth a pattern index (``x-group-by``)."""
        return bool(annotation(self.schema, "x-group-by"))

    @cached_property
    def is_container(self) -> bool:
        """An object, or a list of objects: holds other fields."""
        if self.type == "object":
            return True
        items = self.schema.get("items")
        return self.type == "array" and isinstance(items, dict) and items.get("type") == "object"


@dataclass(frozen=True)
class Section:
    """A ``##`` section of the incident body, declared in ``x-body-sections``."""

    key: str
    heading: str
    group: str
    kind: str
    description: str
    required_from: str | None = None
    seed_label: str = ""
    form_group: str | None = None


class Schema:
    """The loaded incident schema plus the views of it other modules need."""

    def __init__(self, raw: JSON) -> None:
        """Wrap the parsed schema ``raw`` (see :meth:`problems` for what makes it unusable)."""
        self.raw = raw

    def problems(self) -> list[str]:
        """What makes this schema unusable.

        Undeclared ``x-`` annotations, lifecycle blocks naming no field, an id pattern of another shape.
        """
        out = unknown_annotations(self.raw)
        try:
            out.extend(lifecycle.lifecycle_problems(self.raw, set(self.fields)))
        except (KeyError, TypeError, AttributeError) as exc:
            out.append(f"properties/status: no enum of lifecycle stages ({exc})")
        try:
            self.ids  # noqa: B018
        except (IdPatternError, KeyError, TypeError) as exc:
            out.append(f"properties/id/pattern: {exc}")
        return out

    @cached_property
    def ids(self) -> IdFormat:
        """The incident-id format, read from the ``id`` field's pattern."""
        return id_format(str(self.raw["properties"]["id"]["pattern"]))

    # -- fields ---------------------------------------------------------
    def _resolve(self, node: JSON) -> JSON:
        ref = node.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return node
        target: Any = self.raw
        for part in ref[2:].split("/"):
            target = target[part]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}

    def _walk(self, node: JSON, path: tuple[str, ...]) -> Iterator[Field]:
        for key, sub in node.get("properties", {}).items():
            sub = self._resolve(sub)
            here = Field((*path, key), sub)
            yield here
            if here.type == "object":
                yield from self._walk(sub, here.path)
            elif here.is_container:
                yield from self._walk(self._resolve(sub["items"]), (*here.path, ITEMS))

    @cached_property
    def fields(self) -> dict[str, Field]:
        """Every field by dotted name, in the seed form's order."""
        return {f.name: f for f in self._walk(self.raw, ())}

    def field(self, name: str) -> Field | None:
        """The field with this dotted name (``[]`` for list items), or None."""
        return self.fields.get(name)

    def field_at(self, path: tuple[str | int, ...]) -> Field | None:
        """The field at an instance path such as ``('action_items', 0, 'owner')``."""
        return self.fields.get(".".join(ITEMS if isinstance(p, int) else p for p in path).replace(".[]", "[]"))

    def children(self, prefix: tuple[str, ...] = ()) -> list[Field]:
        """The direct sub-fields of the object (or list item) at ``prefix``."""
        return list(self._children.get(tuple(prefix), ()))

    @cached_property
    def _children(self) -> dict[tuple[str, ...], list[Field]]:
        index: dict[tuple[str, ...], list[Field]] = {}
        for spec in self.fields.values():
            index.setdefault(spec.path[:-1], []).append(spec)
        return index

    @cached_property
    def group_by_fields(self) -> list[Field]:
        """Fields worth a pattern index, in schema order."""
        return [f for f in self.fields.values() if f.group_by]

    @cached_property
    def search_facets(self) -> list[Field]:
        """Fields the site search offers as filters and shows in each result (``x-search-facet``), in schema order."""
        return [f for f in self.fields.values() if annotation(f.schema, "x-search-facet")]

    @cached_property
    def reference_fields(self) -> list[Field]:
        """Fields whose value is the id of another incident (``x-incident-ref``)."""
        return [f for f in self.fields.values() if annotation(f.schema, "x-incident-ref")]

    @cached_property
    def derived_fields(self) -> list[Field]:
        """Fields whose value must agree with other fields (``x-derived``)."""
        return [f for f in self.fields.values() if annotation(f.schema, "x-derived") is not None]

    @cached_property
    def timestamp_fields(self) -> list[Field]:
        """Fields holding a UTC timestamp."""
        return [f for f in self.fields.values() if f.schema.get("format") == "date-time"]

    @cached_property
    def version_field(self) -> Field | None:
        """The field holding the schema version a file was written for (``x-schema-version``)."""
        return next((f for f in self.fields.values() if annotation(f.schema, "x-schema-version")), None)

    @cached_property
    def version(self) -> int:
        """The version of this schema: the ``const`` of :attr:`version_field` (1 when the schema has none)."""
        spec = self.version_field
        return int(spec.schema["const"]) if spec is not None else 1

    # -- lifecycle and body ---------------------------------------------
    @cached_property
    def statuses(self) -> list[str]:
        """Lifecycle stages, in order."""
        return lifecycle.statuses(self.raw)

    def required_at(self, status: str) -> list[str]:
        """Every field (dotted name) an incident at ``status`` must have, from the schema's ``allOf``."""
        return lifecycle.required_at(self.raw, status)

    def other_rule(self, name: str) -> lifecycle.OtherRule | None:
        """The ``Other`` box of the choice field ``name`` and the field that describes it, if it has one."""
        return lifecycle.other_rule(self.raw, name)

    def status_rank(self, status: object) -> int:
        """Position of ``status`` in the lifecycle (-1 when unknown)."""
        return self.statuses.index(status) if status in self.statuses else -1

    @cached_property
    def chronology(self) -> list[list[str]]:
        """Chains of timestamp and date fields that must not go backwards, each in order."""
        return [[str(name) for name in chain] for chain in annotation(self.raw, "x-chronology", [])]

    @cached_property
    def sections(self) -> list[Section]:
        """Body sections, in the seed form's order."""
        out = []
        for entry in annotation(self.raw, "x-body-sections", []):
            out.append(
                Section(
                    key=entry["key"],
                    heading=entry["heading"],
                    group=entry.get("group", ""),
                    kind=entry.get("kind", "prose"),
                    description=entry.get("description", ""),
                    required_from=entry.get("required_from"),
                    seed_label=annotation(entry, "x-seed-label", entry["heading"]),
                    form_group=annotation(entry, "x-form-group"),
                )
            )
        return out

    @cached_property
    def form(self) -> JSON:
        """The paper form's title, purpose, scope and ``====`` sections (``x-form``)."""
        form: JSON = annotation(self.raw, "x-form", {})
        return form

    @cached_property
    def sections_by_heading(self) -> dict[str, Section]:
        """Body sections keyed by their heading text."""
        return {s.heading: s for s in self.sections}

    # -- validation -----------------------------------------------------
    #: True once this schema is known to be a valid Draft 2020-12 schema (checked here, or recorded by the
    #: validation cache for this schema's exact text): :attr:`validator` then skips jsonschema's ``check_schema``.
    meta_checked = False

    @cached_property
    def validator(self) -> Any:
        """One Draft 2020-12 validator with format checks (built once, reused); finds every error."""
        from jsonschema import Draft202012Validator, FormatChecker

        checker = FormatChecker(formats=())
        for name, check in FORMAT_CHECKS.items():
            checker.checks(name, raises=ValueError)(check)
        if not self.meta_checked:
            Draft202012Validator.check_schema(self.raw)
            self.meta_checked = True
        return Draft202012Validator(self.raw, format_checker=checker)

    @cached_property
    def quick_check(self) -> Callable[[Any], bool]:
        """A compiled yes/no check, about ten times faster than :attr:`validator`.

        fastjsonschema turns the schema into Python code; it stops at the first
        error, so it only answers "valid?". Valid files (nearly all of them in
        CI) skip the slower validator; the others go through it to collect every
        problem. The schema uses only keywords that mean the same in draft 7,
        which fastjsonschema implements, and a test holds the two to agreeing.
        """
        import fastjsonschema

        draft7 = {**self.raw, "$schema": "http://json-schema.org/draft-07/schema#"}
        compiled = fastjsonschema.compile(
            draft7,
            formats={name: _no_raise(check) for name, check in FORMAT_CHECKS.items()},
            use_default=False,
        )

        def check(instance: Any) -> bool:
            try:
                compiled(instance)
            except fastjsonschema.JsonSchemaException:
                return False
            return True

        return check


def _is_datetime(value: object) -> bool:
    """An RFC 3339 date-time with a zone (raises ValueError when malformed)."""
    if not isinstance(value, str):
        return True
    if datetime.fromisoformat(value).tzinfo is None:
        raise ValueError("no time zone")
    return True


def _is_date(value: object) -> bool:
    """A calendar date YYYY-MM-DD (raises ValueError when malformed)."""
    if isinstance(value, str):
        date.fromisoformat(value)
    return True


def _no_raise(check: Callable[[object], bool]) -> Callable[[object], bool]:
    def wrapped(value: object) -> bool:
        try:
            return check(value)
        except ValueError:
            return False

    return wrapped


def _is_ip(version: int) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        if isinstance(value, str) and ipaddress.ip_address(value).version != version:
            raise ValueError(f"not an IPv{version} address")
        return True

    return check


#: Format checks shared by both validators so they agree.
FORMAT_CHECKS: dict[str, Callable[[object], bool]] = {
    "date-time": _is_datetime,
    "date": _is_date,
    "ipv4": _is_ip(4),
    "ipv6": _is_ip(6),
}


@lru_cache(maxsize=8)
def _parse(text: str) -> Schema:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(SCHEMA_FILE.as_posix(), [f"line {exc.lineno}: not JSON ({exc.msg})"]) from None
    schema = Schema(raw)
    problems = schema.problems() if isinstance(raw, dict) else ["not a JSON object"]
    if problems:
        raise SchemaError(SCHEMA_FILE.as_posix(), problems)
    return schema


def load_schema(root: Path) -> Schema:
    """The schema of the repository at ``root``; one Schema (and compiled validators) per distinct content.

    Raises :class:`SchemaError` when the schema is unusable (see :meth:`Schema.problems`).
    """
    return _parse((root / SCHEMA_FILE).resolve().read_text(encoding="utf-8"))
