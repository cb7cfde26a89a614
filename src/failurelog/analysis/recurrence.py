"""Recurrence after a fix ("the fix did not hold"), and recurrence stated by hand against the computed clusters.

**The fix did not hold**: an incident (the *earlier*) has actions marked done
(the ``done`` statuses of an ``x-action-list``); a *later* incident has the same
specific signature (:data:`failurelog.analysis.signatures.SPECIFIC`: the same
stack, oops, machine check, PCIe error or NIC reset) or is in the same
recurring cluster, and began after those actions were completed. When an
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

from dataclasses import dataclass, field
from datetime import date

from failurelog.analysis.actions import ActionEntry, ActionKey, Flagger, all_actions
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


def _reasons(rel: Related) -> dict[tuple[str, str], str]:
    """Why two incidents count as the same failure: a shared specific signature, else a shared cluster."""
    out: dict[tuple[str, str], str] = {}
    holders: dict[Signature, list[str]] = {}
    for ident, found in rel.signatures.items():
        for sig in found:
            if sig.kind in SPECIFIC:
                holders.setdefault(sig, []).append(ident)
    for sig, members in holders.items():
        for a in members:
            for b in members:
                if a != b:
                    out.setdefault((a, b), f"same signature: {describe(sig)}")
    for cluster in rel.clusters:
        members = [i.id for i in cluster.incidents]
        for one in members:
            for other in members:
                if one != other:
                    out.setdefault((one, other), "same recurring cluster")
    return out


def recurrences(model: Model, rel: Related | None = None) -> list[Recurrence]:
    """Every (earlier, later) pair where the later recurred after fixes of the earlier were done; earliest first."""
    rel = rel or related(model)
    fixes: dict[str, list[Fix]] = {}
    for entry in all_actions(model):
        when = completion(entry) if entry.status in entry.source.done else None
        if when is not None:
            fixes.setdefault(entry.incident.id, []).append(Fix(entry, *when))
    out = []
    for (a, b), reason in sorted(_reasons(rel).items()):
        earlier, later = model.by_id.get(a), model.by_id.get(b)
        if earlier is None or later is None or b in rel.rejected.get(a, ()):
            continue
        held = [f for f in fixes.get(a, []) if f.on < later.occurred_at.date()]
        if held and later.occurred_at > earlier.occurred_at:
            out.append(Recurrence(earlier, later, reason, held))
    out.sort(key=lambda r: (r.earlier.occurred_at, r.later.occurred_at, r.earlier.id, r.later.id))
    return out


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
