"""Recurrence after a fix ("the fix did not hold"), and recurrence stated by hand against the computed clusters.

**The fix did not hold**: an incident (the *earlier*) has actions marked done
(the ``done`` statuses of an ``x-action-list``); a *later* incident has the same
specific signature (:data:`failurelog.analysis.signatures.SPECIFIC`: the same
stack, oops, machine check, PCIe error or NIC reset) or is in the same
recurring cluster, and is the first such to begin after those actions were
completed (one per earlier incident: the one that shows the fix did not hold). When an
action gives no completion date (the list's ``completed`` item field), its due
date stands for it, and the flag says so. A pair either side rejected
(``related.not_related``) is never flagged.

:func:`flagger` gives the function the action follow-through applies to every
action (``(model, actions) -> {(incident id, list field, index): [flag text]}``).

**Reconciliation**: an incident states by hand whether it is part of a
pattern and its trend (the fields ``x-role: stated_pattern`` and
``x-role: stated_trend``; ``x-computed-as`` maps what the analysis computes,
``cluster`` or ``rising``/``steady``/``falling``, to the field's choice).
:func:`disagreements` lists the members of a cluster whose statement is not
what the cluster shows.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from failurelog.analysis.actions import ActionEntry, ActionKey, Flagger, all_actions
from failurelog.analysis.memo import LastResult
from failurelog.analysis.related import Cluster, Related, related
from failurelog.analysis.signatures import SPECIFIC, Signature, describe
from failurelog.core.annotations import get as annotation
from failurelog.model.incident import Incident, Model


@dataclass(frozen=True)
class Fix:
    """An action marked done on the earlier incident, and when (completed, or failing that, due)."""

    entry: ActionEntry
    on: date
    dated_by: str  # "completed" or "due"

    @property
    def key(self) -> ActionKey:
        """The action's key."""
        return self.entry.key


@dataclass
class Recurrence:
    """A later incident like the earlier one, after fixes of the earlier were done."""

    earlier: Incident
    later: Incident
    reason: str  # "same signature: ..." or "same recurring cluster"
    fixes: list[Fix] = field(default_factory=list)


def completion(entry: ActionEntry) -> tuple[date, str] | None:
    """When a done action was completed (the list's ``completed`` field), else its due date; None if neither."""
    if entry.completed is not None:
        return entry.completed, "completed"
    return (entry.due, "due") if entry.due is not None else None


def _groups(rel: Related, model: Model) -> list[tuple[str, list[Incident]]]:
    """Incidents that count as the same failure, oldest first: a shared specific signature, then a cluster."""
    holders: dict[Signature, list[Incident]] = {}
    for ident, found in rel.signatures.items():
        incident = model.by_id.get(ident)
        for sig in found:
            if incident is not None and sig.kind in SPECIFIC:
                holders.setdefault(sig, []).append(incident)
    groups = [(f"same signature: {describe(sig)}", members) for sig, members in sorted(holders.items())]
    groups += [("same recurring cluster", list(cluster.incidents)) for cluster in rel.clusters]
    return [(reason, sorted(members, key=lambda i: (i.occurred_at, i.id))) for reason, members in groups]


def recurrences(model: Model, rel: Related | None = None) -> list[Recurrence]:
    """For each incident with done actions, the first later incident of the same failure after them; oldest first.

    Only the first: it is the one that shows the fix did not hold (the ones after
    it recur after the later incident's own fixes, and are flagged there). Read
    once per model and analysis (:mod:`failurelog.analysis.memo`), in a new list.
    """
    return list(_last_recurrences(model, rel or related(model), extra=(model.today,)))


def _read_recurrences(model: Model, rel: Related) -> list[Recurrence]:
    fixes: dict[str, list[Fix]] = {}
    for entry in all_actions(model):
        when = completion(entry) if entry.status in entry.source.done else None
        if when is not None:
            fixes.setdefault(entry.incident.id, []).append(Fix(entry, *when))
    first: dict[str, Recurrence] = {}
    for reason, members in _groups(rel, model):
        days = [m.occurred_at.date() for m in members]
        for position, earlier in enumerate(members):
            done = fixes.get(earlier.id)
            if not done:
                continue
            start = max(position + 1, bisect_right(days, min(f.on for f in done)))
            rejected = rel.rejected.get(earlier.id, set())
            later = next((m for m in members[start:] if m.id not in rejected and m is not earlier), None)
            if later is None or later.occurred_at <= earlier.occurred_at:
                continue
            known = first.get(earlier.id)
            if known is None or later.occurred_at < known.later.occurred_at:
                held = [f for f in done if f.on < later.occurred_at.date()]
                first[earlier.id] = Recurrence(earlier, later, reason, held)
    out = list(first.values())
    out.sort(key=lambda r: (r.earlier.occurred_at, r.later.occurred_at, r.earlier.id, r.later.id))
    return out


_last_recurrences = LastResult(_read_recurrences)  # a build asks twice: the pages and the follow-through


def flag_text(recurrence: Recurrence) -> str:
    """The flag on the earlier incident's action: "the fix did not hold: SYS-... on 2025-07-09 (same ...)"."""
    return f"the fix did not hold: {recurrence.later.id} on {recurrence.later.day} ({recurrence.reason})"


def flagger(rel: Related) -> Flagger:
    """The "fix did not hold" flags over an analysis already made (a build has one)."""

    def flags(model: Model, actions: list[ActionEntry]) -> dict[ActionKey, list[str]]:
        out: dict[ActionKey, list[str]] = {}
        for recurrence in recurrences(model, rel):
            for fix in recurrence.fixes:
                out.setdefault(fix.key, []).append(flag_text(recurrence))
        return out

    return flags


def fix_did_not_hold(model: Model, actions: list[ActionEntry]) -> dict[ActionKey, list[str]]:
    """The "fix did not hold" flags, analysing the model itself (prefer :func:`flagger` when one is at hand)."""
    return flagger(related(model))(model, actions)


def of_incident(found: list[Recurrence], incident: Incident) -> tuple[list[Recurrence], list[Recurrence]]:
    """The recurrences where ``incident`` is the earlier (its fixes did not hold) and where it is the later."""
    return [r for r in found if r.earlier is incident], [r for r in found if r.later is incident]


@dataclass(frozen=True)
class Disagreement:
    """A cluster member whose stated pattern or trend is not what the cluster shows."""

    incident: Incident
    field_title: str
    stated: str
    computed: str


def disagreements(model: Model, cluster: Cluster) -> list[Disagreement]:
    """Members of ``cluster`` whose stated pattern or trend is not the computed one, in cluster order."""
    computed = {"stated_pattern": ("cluster", f"part of a cluster of {len(cluster.incidents)}")}
    computed["stated_trend"] = (cluster.trend, f"{cluster.trend} (computed over the cluster)")
    out = []
    for incident in cluster.incidents:
        for role, (word, shown) in computed.items():
            spec = model.role_field(role)
            mapping = annotation(spec.schema, "x-computed-as") if spec is not None else None
            expected = mapping.get(word) if isinstance(mapping, dict) else None
            value = incident.value(spec.name) if spec is not None else None
            if spec is not None and isinstance(value, str) and expected is not None and value != expected:
                out.append(Disagreement(incident, spec.title, value, f"{expected}: {shown}"))
    return out
