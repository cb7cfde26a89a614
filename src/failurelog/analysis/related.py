"""Related incidents: explicit links in both directions, computed suggestions, recurring clusters."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from failurelog.analysis.signatures import SPECIFIC, Signature, all_signatures, describe
from failurelog.analysis.similar import (
    SIGNATURE,
    Index,
    Suggestion,
    build_index,
    suggest,
)
from failurelog.core.annotations import get as annotation
from failurelog.core.gcpause import gc_paused
from failurelog.core.roles import similarity_channels
from failurelog.core.schema import Field
from failurelog.core.values import values_at
from failurelog.model.incident import Incident, Model

#: Suggestions at least this close join two incidents into a recurring cluster.
CLUSTER_SCORE = 0.5
#: Smallest cluster worth a place on the clusters page.
CLUSTER_MIN_SIZE = 3


@dataclass(frozen=True)
class Link:
    """``source`` names ``target`` in a reference field; ``note`` is what it says about it."""

    source: Incident
    target: Incident
    field: Field
    note: str


def _note(model: Model, item: Any, ref_key: str, item_prefix: str) -> str:
    if not isinstance(item, dict):
        return ""
    parts = []
    for key, value in item.items():
        spec = model.schema.field(f"{item_prefix}.{key}")
        if key == ref_key or spec is None or spec.schema.get("format") or not isinstance(value, str):
            continue
        if annotation(spec.schema, "x-incident-external"):
            continue  # where it was kept before it was imported: the link itself says it is here now
        parts.append(value)
    return "; ".join(parts)


def explicit_links(model: Model) -> list[Link]:
    """Every reference from one incident to another that exists, in incident order."""
    out = []
    for spec in model.schema.reference_fields:
        prefix, _, ref_key = spec.name.rpartition(".")
        for incident in model.incidents:
            for path, value in values_at(incident.meta, spec.name):
                target = model.by_id.get(value) if isinstance(value, str) else None
                if target is None or target is incident:
                    continue
                item: Any = incident.meta
                for part in path[:-1]:
                    item = item[part]
                out.append(Link(incident, target, spec, _note(model, item, ref_key, prefix)))
    return out


@dataclass
class Cluster:
    """Incidents that recur together: linked, or strongly similar, directly or through each other."""

    incidents: list[Incident]  # newest first
    traits: list[tuple[str, str, int]] = field(default_factory=list)  # (field title, value, members having it)
    terms: list[str] = field(default_factory=list)

    @property
    def trend(self) -> str:
        """The direction: rising, steady or falling (members in the later half of the span against the earlier)."""
        first, last = self.incidents[-1].occurred_at, self.incidents[0].occurred_at
        middle = first + (last - first) / 2
        later = sum(1 for i in self.incidents if i.occurred_at > middle)
        earlier = len(self.incidents) - later
        if later >= 1.5 * earlier + 1:
            return "rising"
        if earlier >= 1.5 * later + 1:
            return "falling"
        return "steady"


@dataclass
class Related:
    """Everything the related-incident parts of the site show."""

    outgoing: dict[str, list[Link]]
    incoming: dict[str, list[Link]]
    suggestions: dict[str, list[Suggestion]]
    clusters: list[Cluster]
    signatures: dict[str, list[Signature]] = field(default_factory=dict)  # by incident id
    rejected: dict[str, set[str]] = field(default_factory=dict)  # pairs either side marked not related


def _find(parent: dict[str, str], key: str) -> str:
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key


def clusters(
    model: Model,
    links: list[Link],
    suggestions: dict[str, list[Suggestion]],
    index: Index,
    signed: dict[str, list[Signature]] | None = None,
    rejected: dict[str, set[str]] | None = None,
) -> list[Cluster]:
    """Connected groups of at least :data:`CLUSTER_MIN_SIZE` incidents, largest first.

    Two incidents are joined by an explicit link, by a specific signature both
    have (the same crash site, machine-check code, device error: ``signed``) unless
    one rejected the other (``rejected``), or by suggestions at least
    :data:`CLUSTER_SCORE` close that each makes of the other.
    """
    parent = {i.id: i.id for i in model.incidents}

    def join(a: str, b: str) -> None:
        ra, rb = _find(parent, a), _find(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for link in links:
        join(link.source.id, link.target.id)
    holders: dict[Signature, list[str]] = defaultdict(list)
    for ident, found in (signed or {}).items():
        for sig in found:
            if sig.kind in SPECIFIC:
                holders[sig].append(ident)
    for members in holders.values():
        for other in members[1:]:
            if other not in (rejected or {}).get(members[0], ()):
                join(members[0], other)
    strong = {(a, s.incident.id) for a, found in suggestions.items() for s in found if s.score >= CLUSTER_SCORE}
    for a, b in strong:
        if (b, a) in strong:
            join(a, b)
    groups: dict[str, list[Incident]] = defaultdict(list)
    for incident in model.incidents:
        groups[_find(parent, incident.id)].append(incident)
    out = [Cluster(members) for members in groups.values() if len(members) >= CLUSTER_MIN_SIZE]
    for cluster in out:
        _describe(cluster, index, signed or {})
    out.sort(key=lambda c: (-len(c.incidents), -c.incidents[0].occurred_at.timestamp(), c.incidents[0].id))
    return out


def _describe(cluster: Cluster, index: Index, signed: dict[str, list[Signature]]) -> None:
    """Values most members share, and words most members use (ties in alphabetical order)."""
    size = len(cluster.incidents)
    words: Counter[str] = Counter()
    for ci, channel in enumerate(index.channels):
        if channel is SIGNATURE:
            counts = Counter(describe(x) for i in cluster.incidents for x in set(signed.get(i.id, [])))
            for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                if n * 2 >= size:
                    cluster.traits.append(("Signature", value, n))
        elif channel.kind == "exact" and channel.field is not None:
            counts = Counter(v for i in cluster.incidents for v in index.features_of(i, ci))
            for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                if n * 2 >= size:
                    cluster.traits.append((channel.title, value, n))
        else:
            for incident in cluster.incidents:
                words.update(index.features_of(incident, ci))
    cluster.traits.sort(key=lambda trait: (-trait[2], trait[0], trait[1]))
    ranked = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))
    cluster.terms = [w for w, n in ranked[:8] if n * 2 >= size]


def related(model: Model, *, top_k: int = 5) -> Related:
    """Links both ways, up to ``top_k`` suggestions per incident (linked ones left out), and clusters."""
    with gc_paused():  # millions of small objects: a full collection would walk the whole model each time
        return _related(model, top_k)


def _related(model: Model, top_k: int) -> Related:
    links = explicit_links(model)
    outgoing: dict[str, list[Link]] = defaultdict(list)
    incoming: dict[str, list[Link]] = defaultdict(list)
    linked: dict[str, set[str]] = defaultdict(set)
    for link in links:
        outgoing[link.source.id].append(link)
        incoming[link.target.id].append(link)
        linked[link.source.id].add(link.target.id)
        linked[link.target.id].add(link.source.id)
    rejected = not_related(model)
    exclude = {key: linked.get(key, set()) | rejected.get(key, set()) for key in linked.keys() | rejected.keys()}
    signed = all_signatures(model.incidents, model.schema)
    channels = similarity_channels(model.schema)
    exact = [n for c in channels if c.kind == "exact" and c.field is not None for n in (c.field.name, *c.also)]
    index = build_index(model.incidents, channels, signed, dict(zip(exact, model.columns(exact), strict=True)))
    found = suggest(model, top_k=top_k, exclude=exclude, index=index)
    groups = clusters(model, links, found, index, signed, rejected)
    return Related(dict(outgoing), dict(incoming), found, groups, signed, dict(rejected))


def not_related(model: Model) -> dict[str, set[str]]:
    """Pairs an incident rejected (``x-role: not_related``), both ways: never suggested from either side."""
    spec = model.role_field("not_related")
    out: dict[str, set[str]] = defaultdict(set)
    if spec is None:
        return {}
    for incident in model.incidents:
        for value in incident.values(spec.name):
            if isinstance(value, str) and value != incident.id:
                out[incident.id].add(value)
                out[value].add(incident.id)
    return dict(out)
