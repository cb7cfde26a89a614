"""Crash and hardware-error signatures on the site: their page, the card's line, the home page's part.

The signatures themselves are :mod:`failurelog.analysis.signatures`' (read once
per build into ``ctx.related.signatures``); this module only shows them. Each
signature has an anchor on the signatures page (``#sig-`` and a hash of its
text), so the card of an incident links every one of its signatures there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from failurelog.analysis.assets import AssetHistory
from failurelog.analysis.signatures import KINDS, Signature, describe, shared_by
from failurelog.model.incident import Incident
from failurelog.site import html as h
from failurelog.site import markup as m
from failurelog.site.context import HOME, LOOKUPS, SIGNATURES, Context, Lookup, asset_page
from failurelog.site.paging import Pages, pages_of

#: Signatures listed on the home page.
HOME_SIGNATURES = 8
#: Incidents named beside each of them, newest first (the signatures page names them all).
HOME_SIGNATURE_INCIDENTS = 10


def anchor(sig: Signature) -> str:
    """The signature's anchor on the signatures page (stable: a hash of kind and text)."""
    return "sig-" + hashlib.sha1(sig.key.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]


def holders(ctx: Context) -> dict[Signature, list[Incident]]:
    """Every signature with the incidents having it, newest first; most shared signatures first."""
    return shared_by(ctx.related.signatures, ctx.model.incidents)


@dataclass(frozen=True)
class Layout:
    """The signatures page's entries in their order (by kind), how they are cut into pages, and each one's page."""

    entries: list[tuple[Signature, list[Incident]]]
    pages: Pages
    where: dict[Signature, str]  # the tree path of the page showing a signature


def layout(ctx: Context) -> Layout:
    """The signatures page's layout, made once per build (the cards and the home page link into it)."""

    def make() -> Layout:
        every = holders(ctx)
        entries = [(s, found) for kind in KINDS for s, found in every.items() if s.kind == kind]
        pages = pages_of(SIGNATURES, len(entries), noun="signatures")
        return Layout(entries, pages, {sig: pages.page_of(i) for i, (sig, _found) in enumerate(entries)})

    return ctx.memo("signatures", make)


#: The lookup "the page of the signatures list showing a signature" (see :meth:`Context.read`).
SIGNATURE_PAGE = "signature_page"
LOOKUPS[SIGNATURE_PAGE] = Lookup(lambda ctx, sig: layout(ctx).where.get(sig, SIGNATURES))


def card_line(ctx: Context, incident: Incident) -> str:
    """``Signature: A <- B <- C; MCE bank 13 ...`` for the summary card, each linked to its entry ("" if none)."""
    found = ctx.signatures(incident.id)
    if not found:
        return ""
    here = incident.page
    links = [(ctx.href(ctx.read(SIGNATURE_PAGE, s), here), s) for s in found]
    shown = "; ".join(f'<a href="{h.esc(link)}#{anchor(s)}"><code>{h.esc(describe(s))}</code></a>' for link, s in links)
    label = "Signature" if len(found) == 1 else "Signatures"
    return f'<p class="fl-card-text fl-signature"><strong>{label}:</strong> {shown}</p>'


def _incident_links(incidents: list[Incident], here: str) -> str:
    return ", ".join(f"{m.link(i.id, i.page, here)} ({i.day})" for i in incidents)


def incident_hosts(ctx: Context) -> dict[str, list[AssetHistory]]:
    """Per incident id, its hosts as the signatures page names them: those that failed, else every one named."""

    def make() -> dict[str, list[AssetHistory]]:
        kind = ctx.assets.host_kind(ctx.model.schema)
        named = ctx.assets.by_incident(kind) if kind else {}
        return {ident: [h for h, failed in found if failed] or [h for h, _f in found] for ident, found in named.items()}

    return ctx.memo("signature-hosts", make)


def _incidents_with_hosts(ctx: Context, incidents: list[Incident], here: str) -> str:
    """Each incident linked, with its date and its hosts linked to their asset histories."""
    hosts = incident_hosts(ctx)
    out = []
    for i in incidents:
        on = "".join(f", {m.link(h.name, asset_page(h), here)}" for h in hosts.get(i.id, []))
        out.append(f"{m.link(i.id, i.page, here)} ({i.day}{on})")
    return ", ".join(out)


def signatures_page(ctx: Context, number: int = 1) -> str:
    """Every signature with its incidents, by kind; those seen more than once first within a kind (page ``number``)."""
    every = holders(ctx)
    plan = layout(ctx)
    here = plan.pages.path(number)
    repeated = sum(1 for found in every.values() if len(found) > 1)
    intro = (
        "Fingerprints read from each incident's backtrace and logs, with what changes from one crash to the next "
        "(addresses, offsets, line numbers, PIDs, CPU numbers, timestamps, host names) left out: the top frames "
        "of a stack, the kernel oops RIP symbol, machine-check bank and status, PCIe AER severity, type and source, "
        "NIC driver resets, EDAC corrected and uncorrected errors, and system errors named by their message. "
        f"{len(every)} signature{'' if len(every) == 1 else 's'} in {len(ctx.related.signatures)} incidents; "
        f"{repeated} seen more than once. Incidents that share one are suggested to each other."
    )
    title = plan.pages.title("Signatures", number)
    parts = [m.page_header(title, hide=("navigation",)) + f"# {title}\n\n{intro}"]
    if not every:
        parts.append("No incident has a backtrace or log line with a signature yet.")
    if nav := plan.pages.nav(number):
        parts.append(nav)
    kind = None
    for sig, found in plan.pages.items(plan.entries, number):
        if sig.kind != kind:
            kind = sig.kind
            parts.append(f"## {m.text(KINDS[kind])}")
        count = f"{len(found)} incident{'' if len(found) == 1 else 's'}"
        name = f"<code>{h.esc(describe(sig))}</code>"
        parts.append(
            f'<p id="{anchor(sig)}" class="fl-signature-entry">{name} — {count}</p>\n\n'
            + _incidents_with_hosts(ctx, found, here)
        )
    if nav:
        parts.append(nav)
    return "\n\n".join(parts) + "\n"


def signatures_part(ctx: Context) -> str:
    """The home page's "Signatures seen more than once" ("" when none is)."""
    repeated = [(s, found) for s, found in holders(ctx).items() if len(found) > 1]
    if not repeated:
        return ""
    lines = []
    for sig, found in repeated[:HOME_SIGNATURES]:
        target = f"{m.relative(layout(ctx).where.get(sig, SIGNATURES), HOME)}#{anchor(sig)}"
        named = _incident_links(found[:HOME_SIGNATURE_INCIDENTS], HOME)
        if len(found) > HOME_SIGNATURE_INCIDENTS:
            named += f" [and {len(found) - HOME_SIGNATURE_INCIDENTS} more]({target})"
        lines.append(f"- [{m.text(describe(sig))}]({target}): {len(found)} incidents, {named}")
    more = f" ({len(repeated)} in all)" if len(repeated) > HOME_SIGNATURES else ""
    every = m.link("every signature", SIGNATURES, HOME)
    return f"## Signatures seen more than once{more}\n\n" + "\n".join(lines) + f"\n\nSee {every}."
