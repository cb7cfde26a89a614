"""Incidents made in memory for the analytics tests: a valid-looking front matter with the figures a test sets.

:func:`front_matter` reads a file's front matter with plain YAML, for tests that count from the files themselves.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from failurelog.core.schema import Schema
from failurelog.core.values import parse_time
from failurelog.model.incident import Incident, Model


def make(
    ident: str,
    when: str,
    *,
    host: str = "md-gw-01",
    status: str = "closed",
    severity: str = "P1-High",
    recover: float | None = None,
    outage: float | None = None,
    closed: str | None = None,
    role: str = "Primary",
    extra: dict[str, Any] | None = None,
) -> Incident:
    """One incident on ``host`` started at ``when`` (ISO time) with the figures given."""
    meta: dict[str, Any] = {
        "id": ident,
        "title": f"incident {ident}",
        "occurred_at": when,
        "status": status,
        "severity": severity,
        "assets": [{"name": host, "role": role, "kernel": "5.14.0-1", "nics": [{"firmware": "8.1.2.1004"}]}],
    }
    impact: dict[str, Any] = {}
    if recover is not None:
        impact["recovery"] = {"total_min": recover}
    if outage is not None:
        impact["trading"] = {"outage_min": outage}
    if impact:
        meta["impact"] = impact
    if closed:
        meta["sign_off"] = {"closed_at": closed}
    meta.update(extra or {})
    moment = parse_time(when)
    assert moment is not None
    return Incident(ident, meta["title"], status, severity, moment, meta)


def model_of(schema: Schema, incidents: list[Incident], today: date = date(2026, 12, 1)) -> Model:
    """The model of ``incidents``, newest first, as :func:`failurelog.model.incident.build_model` orders them."""
    ordered = sorted(incidents, key=lambda i: (i.occurred_at, i.id), reverse=True)
    return Model(schema=schema, incidents=ordered, today=today)


#: libyaml's safe loader where PyYAML has it: the pure-Python one takes about 40 ms a synthetic incident.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def front_matter(path: Path) -> dict[str, Any]:
    """The front matter of the incident file at ``path``, read with plain YAML rather than failurelog's loader."""
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8").split("---\n", 2)[1], Loader=_LOADER)
    return data
