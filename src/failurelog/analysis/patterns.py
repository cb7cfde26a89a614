"""Pattern indexes: incidents grouped by each field the schema marks ``x-group-by``."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from failurelog.analysis.figures import Recovery, recovery_split
from failurelog.core import roles
from failurelog.core.gcpause import gc_paused
from failurelog.core.schema import Field
from failurelog.model.incident import Incident, Model

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "value") -> str:
    """A lower-case ASCII slug for a URL path segment (never empty)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:60].strip("-") or fallback


def unique_slugs(names: list[str], fallback: str = "value") -> dict[str, str]:
    """A distinct slug for each name, suffixed ``-2``, ``-3``... on collision (order decides)."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for name in names:
        base = slugify(name, fallback)
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        out[name] = slug
    return out


@dataclass
class PatternValue:
    """The incidents sharing one value of a grouped field, with their figures."""

    value: str
    slug: str
    incidents: list[Incident] = field(default_factory=list)  # newest first
    total_downtime: float | None = None
    downtime_known: int = 0
    recovery: Recovery = field(default_factory=lambda: recovery_split([]))  # every incident / outages only
    by_month: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """Number of incidents with this value."""
        return len(self.incidents)

    @property
    def first_seen(self) -> datetime:
        """Start of the earliest incident."""
        return self.incidents[-1].occurred_at

    @property
    def last_seen(self) -> datetime:
        """Start of the latest incident."""
        return self.incidents[0].occurred_at


@dataclass
class PatternIndex:
    """One grouped field and its values, most frequent first."""

    field: Field
    slug: str
    values: list[PatternValue]

    @property
    def incident_count(self) -> int:
        """Incidents with at least one value in this field."""
        return len({i.id for v in self.values for i in v.incidents})


def _field_slugs(fields: list[Field]) -> dict[str, str]:
    keys = Counter(f.key for f in fields)
    names = [f.key if keys[f.key] == 1 else f.name for f in fields]
    slugs = unique_slugs(names, "field")
    return {f.name: slugs[n] for f, n in zip(fields, names, strict=True)}


#: Per incident (by object identity): downtime, time to recover, month; read once for every grouped field.
Figures = dict[int, tuple[float | None, float | None, str]]


def incident_figures(model: Model) -> Figures:
    """Each incident's downtime, time to recover and ``YYYY-MM``, read once for every pattern index."""
    return {id(i): (model.downtime(i), model.time_to_recover(i), i.month) for i in model.incidents}


def _figures(pattern: PatternValue, figures: Figures) -> None:
    rows = [figures[id(i)] for i in pattern.incidents]
    downtimes = [d for d, _r, _m in rows if d is not None]
    pattern.downtime_known = len(downtimes)
    pattern.total_downtime = sum(downtimes) if downtimes else None
    pattern.recovery = recovery_split((r, d) for d, r, _m in rows)
    months = Counter(m for _d, _r, m in rows)
    pattern.by_month = dict(sorted(months.items()))


def group(model: Model, spec: Field, slug: str = "", figures: Figures | None = None) -> PatternIndex:
    """The pattern index of one field: every value seen, with its incidents and figures.

    ``figures`` (:func:`incident_figures`) is read from the model when not given.
    """
    figures = incident_figures(model) if figures is None else figures
    members: dict[str, list[Incident]] = defaultdict(list)
    for incident, found in zip(model.incidents, model.column(spec.name), strict=True):
        if len(found) == 1:  # most fields: one value, nothing to deduplicate
            members[str(found[0])].append(incident)
            continue
        seen: set[str] = set()
        for value in found:
            text = str(value)
            if text not in seen:
                seen.add(text)
                members[text].append(incident)
    order = roles.choice_order(spec)
    names = sorted(members, key=lambda v: (-len(members[v]), order.get(v, len(order)), v.casefold(), v))
    slugs = unique_slugs(names)
    values = []
    for name in names:
        pattern = PatternValue(value=name, slug=slugs[name], incidents=members[name])
        _figures(pattern, figures)
        values.append(pattern)
    return PatternIndex(field=spec, slug=slug or slugify(spec.key, "field"), values=values)


def pattern_indexes(model: Model) -> list[PatternIndex]:
    """One pattern index per ``x-group-by`` field, in schema order."""
    fields = model.schema.group_by_fields
    slugs = _field_slugs(fields)
    with gc_paused():  # lists of every incident per value: a full collection would walk the whole model
        figures = incident_figures(model)
        model.columns([f.name for f in fields])  # every field's values in one pass
        return [group(model, f, slugs[f.name], figures) for f in fields]
