"""Crash and hardware-error signatures on the site: their page, the card's line, the home page's part.

The signatures themselves are :mod:`failurelog.analysis.signatures`' (read once
per build into ``ctx.related.signatures``); this module only shows them. Each
signature has an anchor on the signatures page (``#sig-`` and a hash of its
text), so the card of an incident links every one of its signatures there.
"""

from __future__ import annotations

import hashlib

from failurelog.analysis.signatures import KINDS, Signature, describe, shared_by
from failurelog.model.incident import Incident
from failurelog.site import html as h
from failurelog.site import markup as m
from failurelog.site.context import HOME, SIGNATURES, Context

#: Signatures listed on the home page.
HOME_SIGNATURES = 8


def anchor(sig: Signature) -> str:
    """The signature's anchor on the signatures page (stable: a hash of kind and text)."""
    return "sig-" + hashlib.sha1(sig.key.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]


def holders(ctx: Context) -> dict[Signature, list[Incident]]:
    """Every signature with the incidents having it, newest first; most shared signatures first."""
    return shared_by(ctx.related.signatures, ctx.model.incidents)


def card_line(ctx: Context, incident: Incident) -> str:
    """``Signature: A <- B <- C; MCE bank 13 ...`` for the summary card, each linked to its entry ("" if none)."""
    found = ctx.related.signatures.get(incident.id, [])
    if not found:
        return ""
    here = incident.page
    target = ctx.href(SIGNATURES, here)
    shown = "; ".join(f'<a href="{h.esc(target)}#{anchor(s)}"><code>{h.esc(describe(s))}</code></a>' for s in found)
    label = "Signature" if len(found) == 1 else "Signatures"
    return f'<p class="fl-card-text fl-signature"><strong>{label}:</strong> {shown}</p>'


def _incident_links(incidents: list[Incident], here: str) -> str:
    return ", ".join(f"{m.link(i.id, i.page, here)} ({i.day})" for i in incidents)


def signatures_page(ctx: Context) -> str:
    """Every signature with its incidents, by kind; those seen more than once first within a kind."""
    every = holders(ctx)
    repeated = sum(1 for found in every.values() if len(found) > 1)
    intro = (
        "Fingerprints read from each incident's backtrace and logs, with what changes from one crash to the next "
        "(addresses, offsets, line numbers, PIDs, CPU numbers, timestamps, host names) left out: the top frames "
        "of a stack, the kernel oops RIP symbol, machine-check bank and status, PCIe AER severity, type and source, "
        "NIC driver resets, EDAC corrected and uncorrected errors, and system errors named by their message. "
        f"{len(every)} signature{'' if len(every) == 1 else 's'} in {len(ctx.related.signatures)} incidents; "
        f"{repeated} seen more than once. Incidents that share one are suggested to each other."
    )
    parts = [m.page_header("Signatures", hide=("navigation",)) + f"# Signatures\n\n{intro}"]
    if not every:
        parts.append("No incident has a backtrace or log line with a signature yet.")
    for kind, title in KINDS.items():
        entries = [(s, found) for s, found in every.items() if s.kind == kind]
        if not entries:
            continue
        parts.append(f"## {m.text(title)}")
        for sig, found in entries:
            count = f"{len(found)} incident{'' if len(found) == 1 else 's'}"
            name = f"<code>{h.esc(describe(sig))}</code>"
            parts.append(
                f'<p id="{anchor(sig)}" class="fl-signature-entry">{name} — {count}</p>\n\n'
                f"{_incident_links(found, SIGNATURES)}"
            )
    return "\n\n".join(parts) + "\n"


def signatures_part(ctx: Context) -> str:
    """The home page's "Signatures seen more than once" ("" when none is)."""
    repeated = [(s, found) for s, found in holders(ctx).items() if len(found) > 1]
    if not repeated:
        return ""
    lines = []
    for sig, found in repeated[:HOME_SIGNATURES]:
        target = f"{m.relative(SIGNATURES, HOME)}#{anchor(sig)}"
        lines.append(f"- [{m.text(describe(sig))}]({target}): {len(found)} incidents, {_incident_links(found, HOME)}")
    more = f" ({len(repeated)} in all)" if len(repeated) > HOME_SIGNATURES else ""
    every = m.link("every signature", SIGNATURES, HOME)
    return f"## Signatures seen more than once{more}\n\n" + "\n".join(lines) + f"\n\nSee {every}."
