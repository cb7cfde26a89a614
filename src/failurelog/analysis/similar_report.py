"""``failurelog similar ID``: what the incident page's "Linked and similar incidents" shows, as text or JSON.

The same analysis as the site (:func:`failurelog.analysis.related.related`,
the recurrences of :mod:`failurelog.analysis.recurrence`): the incident's
signatures, the incidents it names and that name it, those it rejected, the
computed suggestions with their reasons, and where a fix did not hold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from failurelog.analysis.recurrence import Recurrence, of_incident, recurrences
from failurelog.analysis.related import Related, related
from failurelog.analysis.signatures import describe as describe_signature
from failurelog.analysis.similar import describe
from failurelog.model.incident import Incident, Model


@dataclass
class SimilarReport:
    """One incident's related incidents, everything the page says about them."""

    incident: Incident
    related: Related
    recurrences: list[Recurrence]

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape (documented in the README)."""
        here, rel = self.incident, self.related
        mine, theirs = of_incident(self.recurrences, here)
        return {
            "id": here.id,
            "title": here.title,
            "date": here.day,
            "signatures": [{"kind": s.kind, "text": describe_signature(s)} for s in rel.signatures.get(here.id, [])],
            "linked": [
                {"id": link.target.id, "title": link.target.title, "direction": "names", "note": link.note}
                for link in rel.outgoing.get(here.id, [])
            ]
            + [
                {"id": link.source.id, "title": link.source.title, "direction": "named_by", "note": link.note}
                for link in rel.incoming.get(here.id, [])
            ],
            "not_related": sorted(rel.rejected.get(here.id, ())),
            "suggestions": [
                {
                    "id": s.incident.id,
                    "title": s.incident.title,
                    "date": s.incident.day,
                    "score": round(s.score, 3),
                    "reasons": describe(s.shared),
                }
                for s in rel.suggestions.get(here.id, [])
            ],
            "fix_did_not_hold": [_recurrence(r) for r in mine + theirs],
        }


def _recurrence(r: Recurrence) -> dict[str, Any]:
    return {
        "earlier": r.earlier.id,
        "later": r.later.id,
        "reason": r.reason,
        "actions": [{"action": f.entry.text, "done": f.on.isoformat(), "dated_by": f.dated_by} for f in r.fixes],
    }


def similar_report(model: Model, incident: Incident) -> SimilarReport:
    """The related incidents of ``incident`` in ``model``."""
    rel = related(model)
    return SimilarReport(incident, rel, recurrences(model, rel))


def similar_text(report: SimilarReport) -> str:
    """For a person: signatures, links, rejected ones, suggestions with reasons, recurrences."""
    data = report.as_dict()
    lines = [f"{data['id']}  {data['date']}  {data['title']}"]
    sigs = data["signatures"]
    lines += [f"  Signature: {s['text']}" for s in sigs] or ["  Signature: none found in the logs"]
    lines += ["", f"Linked ({len(data['linked'])}):"]
    lines += [
        f"  {'names' if x['direction'] == 'names' else 'named by'} {x['id']}  {x['title']}"
        + (f"  ({x['note']})" if x["note"] else "")
        for x in data["linked"]
    ] or ["  none"]
    if data["not_related"]:
        lines += ["", f"Not related (never suggested): {', '.join(data['not_related'])}"]
    lines += ["", f"Incidents like this one ({len(data['suggestions'])}):"]
    for s in data["suggestions"]:
        lines.append(f"  {s['id']}  {s['date']}  {round(100 * s['score'])}% alike  {s['title']}")
        lines += [f"      {reason}" for reason in s["reasons"]]
    if not data["suggestions"]:
        lines.append("  none")
    if data["fix_did_not_hold"]:
        lines += ["", "The fix did not hold:"]
        for r in data["fix_did_not_hold"]:
            done = "; ".join(f"{a['action']} ({a['dated_by']} {a['done']})" for a in r["actions"])
            lines.append(f"  {r['earlier']} -> {r['later']} ({r['reason']}) after: {done}")
    return "\n".join(lines) + "\n"


def similar_json(report: SimilarReport) -> str:
    """One JSON document (:meth:`SimilarReport.as_dict`)."""
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
