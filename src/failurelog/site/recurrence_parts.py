"""Recurrence on the site: "the fix did not hold" on both incidents, and stated against computed on the clusters page.

The analyses are :mod:`failurelog.analysis.recurrence`'s, made once per build
(``ctx.recurrences``); these functions only word them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from failurelog.analysis.actions import ActionEntry, Flagger
from failurelog.analysis.followthrough import FLAGGERS, FollowThrough
from failurelog.analysis.recurrence import (
    Fix,
    Recurrence,
    completion,
    disagreements,
    fix_did_not_hold,
    flagger,
)
from failurelog.analysis.related import Cluster
from failurelog.model.incident import Incident
from failurelog.site import markup as m
from failurelog.site.context import RELATED, Context


def _fix(fix: Fix) -> str:
    when = f"completed {fix.on.isoformat()}" if fix.dated_by == "completed" else f"done, due {fix.on.isoformat()}"
    return f"*{m.text(fix.entry.text)}* ({when})"


def _line(ctx: Context, recurrence: Recurrence, here: str, earlier_side: bool) -> str:
    other = recurrence.later if earlier_side else recurrence.earlier
    link = m.link(f"{other.id}: {other.title}", other.page, here)
    fixes = "; ".join(_fix(f) for f in recurrence.fixes)
    if earlier_side:
        return f"- recurred in {link} on {other.day} ({m.text(recurrence.reason)}) after {fixes}"
    return f"- a recurrence of {link} ({other.day}; {m.text(recurrence.reason)}), after its {fixes}"


def not_held_section(ctx: Context, incident: Incident) -> str:
    """The incident page's "The fix did not hold" part ("" when neither side of a recurrence)."""
    mine, theirs = ctx.recurrences_of(incident.id)
    if not mine and not theirs:
        return ""
    here = incident.page
    lines = [_line(ctx, r, here, True) for r in mine] + [_line(ctx, r, here, False) for r in theirs]
    return "**The fix did not hold:**\n\n" + "\n".join(lines) + "\n"


def stated_against_computed(ctx: Context, cluster: Cluster, here: str = RELATED) -> str:
    """A cluster's members whose stated pattern or trend is not what the cluster shows (on the page ``here``)."""
    found = disagreements(ctx.model, cluster)
    if not found:
        return ""
    rows = [
        [m.link(d.incident.id, d.incident.page, here), m.cell(d.field_title), m.cell(d.stated), m.cell(d.computed)]
        for d in found
    ]
    head = "**Stated by hand, not what the cluster shows:**"
    return head + "\n\n" + m.table(["Incident", "Field", "Stated", "Computed"], rows)


def site_flaggers(ctx: Context) -> tuple[Flagger, ...]:
    """The follow-through's flaggers, "the fix did not hold" over this build's analysis (not made again)."""
    return tuple(flagger(ctx.related) if f is fix_did_not_hold else f for f in FLAGGERS)


#: The columns of the actions page's "The fix did not hold".
NOT_HELD_HEADER = ["Owner", "Done", "Action", "Incident", "Recurred"]


def not_held_row(report: FollowThrough) -> Callable[[ActionEntry, str], list[str]]:
    """The cells of a done action's row in "The fix did not hold", on the page at a tree path."""

    def row(e: ActionEntry, here: str) -> list[str]:
        when = completion(e)
        done = f"{when[0].isoformat()} ({when[1]})" if when else "—"
        link = m.link(e.incident.id, e.incident.page, here)
        return [m.cell(e.owner), done, m.cell(e.text), link, m.cell("; ".join(report.flags_of(e)))]

    return row


def not_held_part(entries: Sequence[ActionEntry], table: str) -> list[str]:
    """The actions page's "The fix did not hold": done actions after which the failure came back (``table``: theirs)."""
    parts = [f"## The fix did not hold ({len(entries)})"]
    parts.append(
        "Marked done, and then the failure came back: a later incident with the same crash or hardware-error "
        "signature, or in the same recurring cluster, began after the action was completed (its due date when "
        "no completion date is given)."
    )
    if not entries:
        parts.append("No done action was followed by a recurrence.")
        return parts
    parts.append(table)
    return parts
