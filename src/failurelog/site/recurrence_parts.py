"""Recurrence on the site: "the fix did not hold" on both incidents, and stated against computed on the clusters page.

The analyses are :mod:`failurelog.analysis.recurrence`'s, made once per build
(``ctx.recurrences``); these functions only word them.
"""

from __future__ import annotations

from failurelog.analysis.recurrence import Fix, Recurrence, disagreements, of_incident
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


def fix_did_not_hold(ctx: Context, incident: Incident) -> str:
    """The incident page's "The fix did not hold" part ("" when neither side of a recurrence)."""
    mine, theirs = of_incident(ctx.recurrences, incident)
    if not mine and not theirs:
        return ""
    here = incident.page
    lines = [_line(ctx, r, here, True) for r in mine] + [_line(ctx, r, here, False) for r in theirs]
    return "**The fix did not hold:**\n\n" + "\n".join(lines) + "\n"


def stated_against_computed(ctx: Context, cluster: Cluster) -> str:
    """A cluster's members whose stated pattern or trend is not what the cluster shows, both side by side."""
    found = disagreements(ctx.model, cluster)
    if not found:
        return ""
    rows = [
        [m.link(d.incident.id, d.incident.page, RELATED), m.cell(d.field_title), m.cell(d.stated), m.cell(d.computed)]
        for d in found
    ]
    head = "**Stated by hand, not what the cluster shows:**"
    return head + "\n\n" + m.table(["Incident", "Field", "Stated", "Computed"], rows)
