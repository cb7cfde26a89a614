"""The story of an incident, in the paper form's order: the body's sections with the response timeline.

The body's ``##`` sections come in the order of the form's ``====`` sections
(``x-form.sections``, each body section naming its ``group``); a field marked
``x-timeline`` (the emergency response) is told at its form section as a
dated timeline. Its entries carry a time of day only, so each is dated from
the field ``date_from`` names (``occurred_at``), a day later each time the
clock goes backwards. Sections the schema does not declare come last, in the
body's order. The body is rendered and cleaned once, as one document (so a
footnote defined in one section serves a reference in another; see
:mod:`failurelog.core.bodyhtml`; kept by content in :mod:`failurelog.site.rendercache`), then cut at
its ``##`` headings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from failurelog.core import roles
from failurelog.core.annotations import get as annotation
from failurelog.core.body import publishable
from failurelog.core.bodyhtml import Heading
from failurelog.core.schema import Field, Schema
from failurelog.core.values import parse_time
from failurelog.model.incident import Incident
from failurelog.site import html as h
from failurelog.site import markup as m
from failurelog.site.rendercache import body_parts


@dataclass(frozen=True)
class Moment:
    """One dated entry of a timeline."""

    at: datetime | None  # None when the entry's time is not HH:MM[:SS]
    clock: str  # the time as written
    text: str


def _clock(text: str) -> tuple[int, int, int] | None:
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        return None
    hours, minutes, seconds = (int(p) for p in (*parts, "0")[:3])
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    return hours, minutes, seconds


def dated(entries: list[tuple[str, str]], start: datetime | None) -> list[Moment]:
    """Timeline entries ``(time of day, text)`` dated from ``start``: a day later each time the clock goes back."""
    out = []
    day = start.date() if start is not None else None
    previous: datetime | None = None
    for clock, text in entries:
        parsed = _clock(clock)
        if parsed is None or day is None:
            out.append(Moment(None, clock, text))
            continue
        at = datetime(day.year, day.month, day.day, *parsed, tzinfo=start.tzinfo if start else None)
        if previous is not None and at < previous:
            at += timedelta(days=1)
            day = at.date()
        previous = at
        out.append(Moment(at, clock, text))
    return out


def _offset(at: datetime, start: datetime) -> str:
    seconds = int((at - start).total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    return f"T{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"


def timeline_html(incident: Incident, spec: Field) -> str:
    """A timeline field as a dated ordered list ("" when empty)."""
    keys = annotation(spec.schema, "x-timeline")
    items = incident.value(spec.name)
    if not isinstance(keys, dict) or not isinstance(items, list):
        return ""
    entries = [
        (str(item.get(keys.get("time", "time"), "")), str(item.get(keys.get("text", "text"), "")))
        for item in items
        if isinstance(item, dict)
    ]
    start = parse_time(incident.value(str(keys.get("date_from", ""))))
    moments = dated(entries, start)
    first = start or next((mo.at for mo in moments if mo.at is not None), None)
    lines = []
    for mo in moments:
        if mo.at is None:
            when = f'<span class="fl-when">{h.esc(mo.clock)}</span>'
        else:
            stamp = mo.at.strftime("%Y-%m-%d %H:%M:%S")
            since = f' <span class="fl-since">{_offset(mo.at, first)}</span>' if first is not None else ""
            when = f'<time class="fl-when" datetime="{mo.at.isoformat()}">{stamp}</time>{since}'
        lines.append(f'<li>{when} <span class="fl-what">{h.esc(mo.text)}</span></li>')
    return h.block("steps", f'<ol class="fl-timeline">{" ".join(lines)}</ol>') if lines else ""


def _told(spec: Field, incident: Incident) -> str:
    shown = timeline_html(incident, spec)
    return f"{m.heading(2, spec.title + ' timeline')}\n\n{shown}" if shown else ""


def _section(heading: str, parts: list[str]) -> str:
    return "\n\n".join([m.heading(2, heading), *parts])


def rendered_sections(incident: Incident, spec: str) -> tuple[list[str], dict[str, list[str]]]:
    """The body rendered once and cut at its ``##`` headings: the preamble's blocks, and each section's.

    Each block is a generated cleaned-HTML line or a deeper heading as Markdown (for the table of contents).
    """
    preamble: list[str] = []
    sections: dict[str, list[str]] = {}
    current = preamble
    for part in body_parts(publishable(incident.parsed_body), spec):
        if isinstance(part, Heading) and part.level <= 2:
            current = sections.setdefault(part.text, [])
        elif isinstance(part, Heading):
            current.append(m.heading(part.level, part.text))
        else:
            current.append(h.body_block(part))
    return preamble, sections


def story(schema: Schema, incident: Incident, spec: str) -> str:
    """The body's sections and the timelines, in the paper form's order (Markdown).

    ``spec`` names the Markdown extensions the body is rendered with (:func:`failurelog.core.bodyhtml.extension_spec`).
    """
    preamble, rendered = rendered_sections(incident, spec)
    blocks = list(preamble)
    groups = {s.heading: s.group for s in schema.sections}
    timelines = {f.name: f for f in roles.flagged(schema, "x-timeline")}
    told: set[str] = set()
    sections = schema.form.get("sections", [])
    for section in sections if isinstance(sections, list) else []:
        title = str(section.get("title", "")) if isinstance(section, dict) else ""
        for heading, parts in rendered.items():
            if heading not in told and groups.get(heading) == title:
                blocks.append(_section(heading, parts))
                told.add(heading)
        for key in section.get("fields", []) if isinstance(section, dict) else []:
            for spec_field in [f for f in timelines.values() if f.path[0] == key]:
                blocks.append(_told(spec_field, incident))
                del timelines[spec_field.name]
    blocks.extend(_section(heading, parts) for heading, parts in rendered.items() if heading not in told)
    blocks.extend(_told(spec_field, incident) for spec_field in timelines.values())
    return "\n\n".join(b for b in blocks if b)
