"""``failurelog new``: the next free id, the Jinja template, an atomic no-clobber write."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from failurelog.core import yamlio
from failurelog.core.atomic import write_new
from failurelog.core.errors import FailurelogError, UsageError
from failurelog.core.paths import INCIDENTS_DIR, TEMPLATE_FILE
from failurelog.core.schema import Field, Schema, load_schema

#: The lifecycle stage a new incident starts in.
INITIAL_STATUS_INDEX = 0
DEFAULT_SEVERITY = "P2"
MAX_PER_DAY = 999


@dataclass
class NewIncident:
    """What the user asked for on the command line."""

    title: str
    severity: str | None = None
    components: list[str] = field(default_factory=list)
    failure_types: list[str] = field(default_factory=list)
    at: str | None = None
    capture: bool = False


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


def resolve_choice(spec: Field, text: str, option: str) -> tuple[str, str | None]:
    """Match ``text`` to one of the field's values: exact, unique prefix, unique substring (any case).

    ``Other: free text`` gives ``('Other', 'free text')`` where the field has an Other box.
    """
    choices = spec.choices or []
    head, sep, rest = text.partition(":")
    if sep and head.strip().casefold() == "other" and "Other" in choices:
        if not rest.strip():
            raise UsageError(f"{option} 'Other:' needs a description after the colon")
        return "Other", rest.strip()
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
    prefixed = prefixed or inside
    listing = "\n  ".join(choices)
    what = "matches several values" if prefixed else "is not a value"
    raise UsageError(f"{option} {text!r} {what} of {spec.title}; choose one of:\n  {listing}")


def _choices(schema: Schema, name: str, given: list[str], option: str) -> dict[str, Any]:
    spec = schema.field(name)
    if spec is None or not given:
        return {}
    values: list[str] = []
    other: list[str] = []
    for text in given:
        value, extra = resolve_choice(spec, text, option)
        if value not in values:
            values.append(value)
        if extra:
            other.append(extra)
    out: dict[str, Any] = {name: values if spec.multiple else values[0]}
    if other and schema.field(f"{name}_other") is not None:
        out[f"{name}_other"] = "; ".join(other)
    return out


def _captured_system(schema: Schema) -> dict[str, Any]:
    """Captured facts, keeping only those the schema's System Specifications accept."""
    from jsonschema import Draft202012Validator

    from failurelog.authoring.capture import capture

    wanted = {f.key: f for f in schema.children(("system",))}
    out = {}
    for key, value in capture().items():
        spec = wanted.get(key)
        if spec is not None and Draft202012Validator(
            spec.schema, format_checker=schema.validator.format_checker
        ).is_valid(value):
            out[key] = value
    return out


def used_ids(root: Path, day: str) -> set[int]:
    """Sequence numbers already taken on ``day`` (YYYYMMDD) in this checkout or on any git branch."""
    from failurelog.core.ids import numbers_on_branches

    pattern = re.compile(rf"^SYS-{day}-(\d{{3}})$")
    taken = numbers_on_branches(root, day)
    folder = root / INCIDENTS_DIR
    if folder.is_dir():
        for path in folder.rglob(f"SYS-{day}-*.md"):
            match = pattern.match(path.stem)
            if match:
                taken.add(int(match.group(1)))
    return taken


def render(root: Path, schema: Schema, values: dict[str, Any]) -> str:
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
    return template.render(incident=ordered, schema=schema, top_fields=schema.children())


def create(root: Path, request: NewIncident) -> Path:
    """Create the incident file for ``request`` and return its path."""
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
    from failurelog.validate.text import describe

    if (code := describe(request.title)) is not None:
        raise UsageError(f"--title holds the bidirectional control character {code}; remove it")
    if request.capture:
        system = _captured_system(schema)
        if system:
            values["system"] = system
    day = when.strftime("%Y%m%d")
    taken = used_ids(root, day)
    folder = root / INCIDENTS_DIR / when.strftime("%Y")
    for number in range(1, MAX_PER_DAY + 1):
        if number in taken:
            continue
        incident_id = f"SYS-{day}-{number:03d}"
        values["id"] = incident_id
        path = folder / f"{incident_id}.md"
        try:
            write_new(path, render(root, schema, values))
        except FileExistsError:
            continue  # another `new` took this number a moment ago
        return path
    raise FailurelogError(f"all {MAX_PER_DAY} incident numbers for {day} are taken")
