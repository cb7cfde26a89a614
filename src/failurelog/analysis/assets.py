"""Asset histories: for each host and each model, firmware, driver, kernel and BIOS version, its failures.

The kinds are the values of the schema's ``x-asset`` annotations, each on an
item field of the list of affected assets (or below it). An incident names an
asset when one of its asset items holds the value; it counts as a *failure*
of that asset when that item failed itself (:func:`failurelog.core.primary.asset_failed`:
its ``failed`` field, or, not stated, it is the Primary one), and as an
involvement otherwise (a standby that took over, a bystander). Drafts count:
a failure happened even if its post-mortem is not reviewed yet.

MTBF is the observation window divided by the failures, "n/a" with fewer
than two. The window runs from the first incident in the repository (or the
inventory's ``since``, when later) to the build date. With an inventory entry
(:mod:`failurelog.core.inventory`), failures per asset-year are failures
divided by count x years of the window. Time to recover is split as the
recovery KPIs split it (:func:`failurelog.analysis.figures.recovery_split`):
over every failure stating it, and over the outages only.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from failurelog.analysis.figures import Recovery, recovery_split
from failurelog.analysis.patterns import unique_slugs
from failurelog.core.annotations import get as annotation
from failurelog.core.gcpause import gc_paused
from failurelog.core.inventory import Entry, Inventory
from failurelog.core.primary import PrimarySpec, asset_failed, mirrored_fields, name_field, primary_specs
from failurelog.core.schema import ITEMS, Field, Schema
from failurelog.core.values import values_at
from failurelog.model.incident import Incident, Model

DAYS_PER_YEAR = 365.25
#: Slugs no asset may take: the index page of its folder.
RESERVED = ("index",)


@dataclass(frozen=True)
class AssetKind:
    """One kind of asset: the ``x-asset`` value and the field holding it."""

    kind: str
    field: Field
    slug: str
    title: str  # the field's title ("NIC Firmware"), or that of the System Specifications field it mirrors


@dataclass(frozen=True)
class Occurrence:
    """One incident naming an asset, with the roles the asset played in it."""

    incident: Incident
    roles: tuple[str, ...]
    failed: bool


@dataclass
class AssetHistory:
    """Everything an asset's page shows."""

    kind: AssetKind
    name: str
    slug: str
    occurrences: list[Occurrence] = field(default_factory=list)  # oldest first
    window: tuple[date, date] | None = None
    recovery: Recovery = field(default_factory=lambda: recovery_split([]))  # over the failures
    outage_min: float | None = None
    loss_realised: float | None = None
    loss_estimated: float | None = None
    inventory: Entry | None = None

    @property
    def failures(self) -> list[Incident]:
        """The incidents in which this asset failed, oldest first."""
        return [o.incident for o in self.occurrences if o.failed]

    @property
    def window_days(self) -> float:
        """Length of the observation window in days."""
        return float((self.window[1] - self.window[0]).days) if self.window else 0.0

    @property
    def mtbf_days(self) -> float | None:
        """Observation window / failures, in days; None (n/a) with fewer than two failures."""
        failures = len(self.failures)
        return self.window_days / failures if failures >= 2 and self.window_days > 0 else None

    @property
    def asset_years(self) -> float | None:
        """Inventory count x the window in years, or None without an inventory entry."""
        return self.inventory.count * self.window_days / DAYS_PER_YEAR if self.inventory else None

    @property
    def rate_per_asset_year(self) -> float | None:
        """Failures per asset-year, or None without an inventory entry (or an empty window)."""
        years = self.asset_years
        return len(self.failures) / years if years else None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (the shape ``failurelog assets NAME --format json`` prints)."""
        return {
            "kind": self.kind.kind,
            "name": self.name,
            "failures": len(self.failures),
            "incidents": [
                {"id": o.incident.id, "date": o.incident.day, "roles": list(o.roles), "failed": o.failed}
                for o in self.occurrences
            ],
            "window": [d.isoformat() for d in self.window] if self.window else None,
            "mtbf_days": self.mtbf_days,
            **self.recovery.as_dict(),
            "outage_min": self.outage_min,
            "loss_realised_usd": self.loss_realised,
            "loss_estimated_usd": self.loss_estimated,
            "inventory": {"count": self.inventory.count, "since": self.inventory.since.isoformat()}
            if self.inventory
            else None,
            "failures_per_asset_year": self.rate_per_asset_year,
        }


@dataclass
class AssetReport:
    """Every asset history, by kind, and the inventory they were read with."""

    kinds: list[AssetKind]
    histories: list[AssetHistory]
    inventory: Inventory

    def of_kind(self, kind: AssetKind) -> list[AssetHistory]:
        """The histories of one kind, most failures first."""
        return [h for h in self.histories if h.kind == kind]

    def host_kind(self, schema: Schema) -> AssetKind | None:
        """The kind naming the assets themselves (hosts, switches...): the ``x-primary`` list's name field."""
        names = {name for spec in primary_specs(schema) if (name := name_field(spec))}
        return next((k for k in self.kinds if k.field.name in names), None)

    def by_incident(self, kind: AssetKind) -> dict[str, list[tuple[AssetHistory, bool]]]:
        """Per incident id, the assets of ``kind`` it names, each with whether it failed there (name order)."""
        out: dict[str, list[tuple[AssetHistory, bool]]] = defaultdict(list)
        for history in self.of_kind(kind):
            for occurrence in history.occurrences:
                out[occurrence.incident.id].append((history, occurrence.failed))
        return out

    def named(self, name: str) -> list[AssetHistory]:
        """The histories whose name is ``name`` (any case), of every kind; the exact spelling first."""
        wanted = name.casefold()
        found = [h for h in self.histories if h.name.casefold() == wanted]
        return sorted(found, key=lambda h: h.name != name)

    def close_names(self, name: str, n: int = 3) -> list[str]:
        """The asset names closest to ``name`` (compared in any case), closest first: for a mistyped name."""
        spellings: dict[str, list[str]] = defaultdict(list)
        for h in self.histories:
            if h.name not in spellings[h.name.casefold()]:
                spellings[h.name.casefold()].append(h.name)
        close = difflib.get_close_matches(name.casefold(), list(spellings), n=n)
        return [spelling for fold in close for spelling in sorted(spellings[fold])]


def asset_kinds(schema: Schema) -> list[AssetKind]:
    """Every ``x-asset`` field, in schema order, each with a distinct folder slug."""
    found = [
        (str(annotation(f.schema, "x-asset")), f) for f in schema.fields.values() if annotation(f.schema, "x-asset")
    ]
    slugs = unique_slugs([*RESERVED, *(k for k, _f in found)], "kind")
    mirrored: dict[str, str] = {}
    for source, item_field in mirrored_fields(schema).items():
        target = schema.field(source)
        if target is not None:
            mirrored[item_field] = target.title
    return [AssetKind(kind, f, slugs[kind], mirrored.get(f.name, f.title)) for kind, f in found]


def _within(kind: AssetKind, specs: list[PrimarySpec]) -> tuple[PrimarySpec, str] | None:
    """The asset list holding the kind's field, and the field's name relative to one item of it."""
    for spec in specs:
        prefix = (*spec.field.path, ITEMS)
        if kind.field.path[: len(prefix)] == prefix:
            return spec, ".".join(kind.field.path[len(prefix) :]).replace(f".{ITEMS}", ITEMS)
    return None


def _named_in(incident: Incident, kind: AssetKind, where: tuple[PrimarySpec, str] | None) -> dict[str, Occurrence]:
    """The assets of one kind an incident names, each with its roles and whether it failed."""
    if where is None:
        return {str(v): Occurrence(incident, (), True) for v in incident.values(kind.field.name)}
    spec, relative = where
    seen: dict[str, tuple[list[str], bool]] = {}
    items = incident.value(spec.field.name)
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        role = item.get(spec.role)
        for _path, value in values_at(item, relative):
            for one in value if isinstance(value, list) else [value]:
                if one is None:
                    continue
                roles_seen, failed = seen.setdefault(str(one), ([], False))
                if role is not None and str(role) not in roles_seen:
                    roles_seen.append(str(role))
                seen[str(one)] = (roles_seen, failed or asset_failed(item, spec))
    return {name: Occurrence(incident, tuple(r), f) for name, (r, f) in seen.items()}


def _figures(model: Model, history: AssetHistory, start: date) -> None:
    failures = history.failures
    begin = max(start, history.inventory.since) if history.inventory else start
    history.window = (begin, max(begin, model.today))
    downtimes = [model.downtime(i) for i in failures]
    history.recovery = recovery_split(zip((model.time_to_recover(i) for i in failures), downtimes, strict=True))
    outages = [d for d in downtimes if d is not None]
    history.outage_min = sum(outages) if outages else None
    for role, attr in (("loss_realised", "loss_realised"), ("loss_estimated", "loss_estimated")):
        known = [v for v in (model.rolenumber(i, role) for i in failures) if v is not None]
        setattr(history, attr, sum(known) if known else None)


@gc_paused()
def asset_report(model: Model, inventory: Inventory | None = None) -> AssetReport:
    """Every asset any incident names (and every inventory entry), with its history and figures."""
    inventory = inventory or Inventory()
    kinds = asset_kinds(model.schema)
    specs = primary_specs(model.schema)
    start = min((i.occurred_at.date() for i in model.incidents), default=model.today)
    histories: list[AssetHistory] = []
    for kind in kinds:
        where = _within(kind, specs)
        found: dict[str, list[Occurrence]] = defaultdict(list)
        for incident in reversed(model.incidents):  # oldest first
            for name, occurrence in _named_in(incident, kind, where).items():
                found[name].append(occurrence)
        for (entry_kind, name), _entry in inventory.entries.items() if inventory.usable else ():
            if entry_kind == kind.kind:
                found.setdefault(name, [])
        names = sorted(found, key=lambda n: (n.casefold(), n))
        slugs = unique_slugs([*RESERVED, *names], "asset")
        for name in names:
            history = AssetHistory(kind, name, slugs[name], found[name], inventory=inventory.get(kind.kind, name))
            _figures(model, history, start)
            histories.append(history)
    return AssetReport(kinds, histories, inventory)
