"""One field value as HTML for a page: linked to its asset history, pattern page or incident, with its remark."""

from __future__ import annotations

from typing import Any

from failurelog.core.annotations import get as annotation
from failurelog.core.schema import Field
from failurelog.model.incident import Incident
from failurelog.site import html as h
from failurelog.site import markup as m
from failurelog.site.context import Context


def empty(value: Any) -> bool:
    """Whether a value counts as not filled in."""
    return value is None or value == "" or value == [] or value == {}


def value_html(ctx: Context, spec: Field | None, value: Any, here: str) -> str:
    """One field value as HTML: linked to its asset history, pattern page or incident where there is one."""
    if spec is not None and annotation(spec.schema, "x-incident-ref") and isinstance(value, str):
        target = ctx.named(value)
        if target is None:  # kept elsewhere (or a typo validate reports); it becomes a link once imported
            return f"{h.esc(value)} <em>(not in this repository)</em>"
        return h.a(f"{target.id}: {target.title}", ctx.href(target.page, here))
    values = value if isinstance(value, list) else [value]
    assets = [ctx.asset_history(spec.name, v) for v in values] if spec is not None else []
    if spec is not None and (spec.group_by or any(assets)):
        shown = []
        for v, asset in zip(values, assets, strict=True):
            page = asset or ctx.pattern_page(spec.name, v)  # a host or version: its history, which links its pattern
            shown.append(h.a(str(v), ctx.href(page, here)) if page else h.esc(m.display(spec, v)))
        return ", ".join(shown)
    if isinstance(value, list) and spec is not None and spec.choices is None and any(isinstance(v, str) for v in value):
        return "<br> ".join(h.esc(m.display(spec, v)) for v in value)
    return h.esc(m.display(spec, value))


def remark(incident: Incident, name: str) -> str | None:
    """The incident's free-text remark on field ``name`` (``remarks.<name>``), if any."""
    remarks = incident.meta.get("remarks")
    if isinstance(remarks, dict) and isinstance(remarks.get(name), str):
        return str(remarks[name])
    return None


def with_remark(shown: str, note: str | None) -> str:
    """A shown value followed by its remark in italics."""
    if not note:
        return shown
    return f"{shown} <em>({h.esc(note)})</em>" if shown else f"<em>{h.esc(note)}</em>"
