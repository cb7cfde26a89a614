"""``failurelog new``: the next free id, the Jinja template, an atomic no-clobber write."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from failurelog.authoring.capture import capture
from failurelog.core import yamlio
from failurelog.core.atomic import write_new
from failurelog.core.branches import used_ids
from failurelog.core.errors import UsageError
from failurelog.core.paths import TEMPLATE_FILE
from failurelog.core.primary import primary_from_system
from failurelog.core.schema import Field, Schema, load_schema
from failurelog.validate.text import describe

#: The lifecycle stage a new incident starts in.
INITIAL_STATUS_INDEX = 0
DEFAULT_SEVERITY = "P2"


@dataclass
class NewIncident:
    """What the user asked for on the command line."""

    title: str
    severity: str | None = None
    components: list[str] = field(default_factory=list)
    failure_types: list[str] = field(default_factory=list)
    at: str | None = None
    capture: bool = False
    host: str | None = None  # the failed machine's host name, when it is not the one running `new`
    all_fields: bool = False  # write every sub-field and body section out, not one line per group


def parse_when(text: str | None) -> datetime:
    """An ISO-8601 time as UTC (naive means UTC); now when ``text`` is None."""
    if text is None:
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--at {text!r} is not an ISO-8601 time (e.g. 2026-11-03T14:22:07.123Z)") from None
    try:
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except OverflowError:
        when = datetime.min.replace(tzinfo=UTC)  # beyond what Python can hold: refused just below
    if not 1000 <= when.year <= 9999:  # an id and a timestamp hold a four-digit year
        raise UsageError(f"--at {text!r} is outside the years 1000 to 9999 (UTC)")
    return when


def format_timestamp(when: datetime) -> str:
    """``2026-11-03T14:22:07.123Z``: UTC with milliseconds, as the schema wants."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def resolve_choice(spec: Field, text: str, option: str, other: str | None = None) -> tuple[str, str | None]:
    """Match ``text`` to one of the field's values: exact, unique prefix, unique substring (any case).

    ``other`` is the field's Other box (see :meth:`Schema.other_rule`): ``Other: free text`` gives
    ``('Other', 'free text')``.
    """
    choices = spec.choices or []
    head, sep, rest = text.partition(":")
    if sep and other is not None and head.strip().casefold() == other.casefold() and other in choices:
        if not rest.strip():
            raise UsageError(f"{option} '{other}:' needs a description after the colon")
        return other, rest.strip()
    folded = text.strip().casefold()
    exact = [c for c in choices if c.casefold() == folded]
    if exact:
        return exact[0], None
    prefixed = [c for c in choices if c.casefold().startswith(folded)] if folded else []
    if len(prefixed) == 1:
        return prefixed[0], None
    inside = [c for c in choices if folded in c.casefold()] if folded and not prefixed else []
    if len(inside) == 1:
        return inside[0], None
    matching = prefixed or inside
    listing = "\n  ".join(matching or choices)
    what = f"matches {len(matching)} values" if matching else "is not a value"
    raise UsageError(f"{option} {text!r} {what} of {spec.title}; choose one of:\n  {listing}")


def _choices(schema: Schema, name: str, given: list[str], option: str) -> dict[str, Any]:
    spec = schema.field(name)
    if spec is None or not given:
        return {}
    rule = schema.other_rule(name)
    values: list[str] = []
    other: list[str] = []
    for text in given:
        value, extra = resolve_choice(spec, text, option, rule.value if rule else None)
        if value not in values:
            values.append(value)
        if extra:
            other.append(extra)
    out: dict[str, Any] = {name: values if spec.multiple else values[0]}
    if other and rule is not None:
        out[rule.detail] = "; ".join(other)
    return out


def _captured_system(schema: Schema) -> dict[str, Any]:
    """Captured facts, keeping only those the schema's System Specifications accept."""
    from jsonschema import Draft202012Validator

    wanted = {f.key: f for f in schema.children(("system",))}
    out = {}
    for key, value in capture().items():
        spec = wanted.get(key)
        if spec is not None and Draft202012Validator(
            spec.schema, format_checker=schema.validator.format_checker
        ).is_valid(value):
            out[key] = value
    return out


#: A host name in free text: lower-case parts joined by hyphens, one of them with a digit (md-gw-03, strat-ny4-12).
_HOST_IN_TEXT = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b")


def hosts_in(text: str) -> list[str]:
    """Words of ``text`` that look like host names."""
    found = [w for w in _HOST_IN_TEXT.findall(text) if any(ch.isdigit() for ch in w)]
    return list(dict.fromkeys(found))


def _system(schema: Schema, request: NewIncident, notes: list[str]) -> dict[str, Any]:
    """System Specifications for ``request``: captured facts and/or ``--host``; what happened goes to ``notes``."""
    system: dict[str, Any] = {}
    if request.capture:
        system = _captured_system(schema)
    here = str(system.get("hostname", ""))
    if request.host:
        if request.capture and request.host != here:
            notes.append(
                f"--host {request.host} is not this machine ({here or 'unknown'}): its facts were not captured; "
                "fill in the System Specifications of the failed host"
            )
            system = {}
        system["hostname"] = request.host
    elif request.capture:
        shown = ", ".join(f"{k} {v}" if k in ("hostname", "ip_address") else k for k, v in system.items())
        notes.append(f"captured from this machine: {shown or 'nothing'}")
        named = hosts_in(request.title)
        if here and named and here not in named:
            notes.append(
                f"warning: the title names {', '.join(named)} but this machine is {here}; if the failure was on "
                f"another host, run again with --host {named[0]} (and without --capture)"
            )
    return system


def form_groups(schema: Schema, given: set[str]) -> list[tuple[str, list[Field]]]:
    """The paper form's sections with their top-level fields not in ``given``; fields no section names last."""
    by_key = {f.key: f for f in schema.children()}
    out: list[tuple[str, list[Field]]] = []
    placed: set[str] = set()
    for section in schema.form.get("sections", []):
        names = [str(k) for k in section.get("fields", [])]
        placed.update(names)
        fields = [by_key[k] for k in names if k in by_key and k not in given]
        if fields:
            out.append((str(section.get("title", "")), fields))
    rest = [f for k, f in by_key.items() if k not in placed and k not in given]
    if rest:
        out.append(("Other fields", rest))
    return out


def render(root: Path, schema: Schema, values: dict[str, Any], *, full: bool = False) -> str:
    """The text of a new incident file, from ``templates/incident.md.j2``."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root / TEMPLATE_FILE.parent)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML and Markdown, not HTML; values go through the yaml filter
    )
    env.filters["yaml"] = yamlio.dump_value
    template = env.get_template(TEMPLATE_FILE.name)
    ordered = {name: values[name] for name in (f.key for f in schema.children()) if name in values}
    more: dict[str, list[str]] = {}
    for section in schema.sections:
        if not section.required_from:
            more.setdefault(section.group, []).append(section.heading)
    return template.render(
        incident=ordered,
        schema=schema,
        top_fields=schema.children(),
        groups=form_groups(schema, set(ordered)),
        more_sections=list(more.items()),
        full=full,
    )


def create(root: Path, request: NewIncident, notes: list[str] | None = None) -> Path:
    """Create the incident file for ``request`` and return its path; what a person should know goes to ``notes``."""
    notes = notes if notes is not None else []
    schema = load_schema(root)
    when = parse_when(request.at)
    values: dict[str, Any] = {
        "title": request.title,
        "occurred_at": format_timestamp(when),
        "status": schema.statuses[INITIAL_STATUS_INDEX],
    }
    values.update(_choices(schema, "severity", [request.severity or DEFAULT_SEVERITY], "--severity"))
    values.update(_choices(schema, "components", request.components, "--component"))
    values.update(_choices(schema, "failure_types", request.failure_types, "--failure-type"))
    if not request.title.strip():
        raise UsageError("--title must not be empty")
    if any("\udc80" <= ch <= "\udcff" for ch in request.title):
        raise UsageError("--title is not valid UTF-8 (check the terminal's encoding); nothing was written")

    if (code := describe(request.title)) is not None:
        raise UsageError(f"--title holds the bidirectional control character {code}; remove it")
    system = _system(schema, request, notes)
    if system:
        values["system"] = system
        values.update(primary_from_system(schema, values))
    if schema.version_field is not None:
        values[schema.version_field.key] = schema.version
    day = when.strftime("%Y%m%d")
    taken = used_ids(root, schema.ids)
    while True:  # ends: each pass takes one more number, and next_free raises once all are taken
        incident_id = schema.ids.next_free(day, taken)
        values["id"] = str(incident_id)
        path = incident_id.path(root)
        try:
            write_new(path, render(root, schema, values, full=request.all_fields))
        except FileExistsError:
            taken.add(str(incident_id))  # another `new` took this number a moment ago
            continue
        return path
