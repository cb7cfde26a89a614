"""Follow-through on actions: overdue ones with their age, completed ones nobody verified, and flags.

A *flagger* is a function ``(model, actions) -> {action key: [flag text]}``
that marks actions for a reason of its own; :data:`FLAGGERS` lists those the
site and ``failurelog actions`` apply. "The fix did not hold" (a recurrence of
the same signature or cluster after an action marked completed,
:mod:`failurelog.analysis.recurrence`) is one; done actions that carry a flag
are listed apart (:attr:`FollowThrough.not_held`), since no other list holds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from failurelog.analysis.actions import ActionEntry, ActionKey, Flagger, all_actions, open_actions
from failurelog.analysis.recurrence import fix_did_not_hold
from failurelog.core.gcpause import gc_paused
from failurelog.model.incident import Model

#: The flaggers applied to every action, in order (see the module docstring).
FLAGGERS: tuple[Flagger, ...] = (fix_did_not_hold,)


@dataclass
class FollowThrough:
    """What the actions page and ``failurelog actions`` report."""

    today: date
    open: list[ActionEntry]  # by owner, priority, due date
    overdue: list[ActionEntry]  # oldest due date first
    unverified: list[ActionEntry]  # done, with no one named as having verified it; newest incident first
    flags: dict[ActionKey, list[str]] = field(default_factory=dict)
    not_held: list[ActionEntry] = field(default_factory=list)  # done, and flagged: the fix did not hold

    def flags_of(self, entry: ActionEntry) -> list[str]:
        """The flags of one action (empty when none)."""
        return self.flags.get(entry.key, [])

    def flagged(self, entries: Sequence[ActionEntry]) -> list[ActionEntry]:
        """The entries that carry a flag."""
        return [e for e in entries if self.flags_of(e)]


@gc_paused()
def follow_through(model: Model, owner: str | None = None, flaggers: Sequence[Flagger] = FLAGGERS) -> FollowThrough:
    """Open, overdue and unverified actions (of ``owner`` only when given, any case), with every flagger's flags."""
    wanted = owner.casefold().strip() if owner else None

    def mine(entries: list[ActionEntry]) -> list[ActionEntry]:
        return entries if wanted is None else [e for e in entries if e.owner.casefold() == wanted]

    every = all_actions(model)
    opened = mine(open_actions(model, every))
    overdue = sorted((e for e in opened if e.overdue), key=lambda e: (-(e.age_days or 0), e.incident.id, e.index))
    unverified = mine([e for e in every if e.unverified])
    flags: dict[ActionKey, list[str]] = {}
    for flagger in flaggers:
        for key, texts in flagger(model, every).items():
            flags.setdefault(key, []).extend(texts)
    not_held = mine([e for e in every if e.done and flags.get(e.key)])
    return FollowThrough(model.today, opened, overdue, unverified, flags, not_held)


def entry_dict(entry: ActionEntry, report: FollowThrough) -> dict[str, Any]:
    """One action as JSON (the shape ``failurelog actions --format json`` prints in each list)."""
    return {
        "incident": entry.incident.id,
        "list": entry.source.field.name,
        "index": entry.index,
        "action": entry.text,
        "owner": entry.owner,
        "priority": entry.priority,
        "status": entry.status,
        "due": entry.due.isoformat() if entry.due else None,
        "overdue": entry.overdue,
        "age_days": entry.age_days,
        "completed": entry.completed.isoformat() if entry.completed else None,
        "verified_by": entry.verified_by,
        "evidence": entry.evidence,
        "ticket": entry.ticket,
        "flags": report.flags_of(entry),
    }
