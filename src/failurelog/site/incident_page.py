"""The page of one incident: header, related incidents, every filled-in field, then the body.

The header and the field tables are raw HTML (see :mod:`failurelog.site.html`);
each top-level group of the schema is a ``##`` Markdown heading, so it is in
the page's table of contents; the body is the incident's own Markdown, rendered and
cleaned (see :mod:`failurelog.core.bodyhtml`).
"""

from __future__ import annotations

from typing import Any

from failurelog.analysis.actions import parse_date
from failurelog.analysis.similar import describe
from failurelog.core.annotations import get as annotation
from failurelog.core.body import publishable
from failurelog.core.bodyhtml import Heading, render_parts
from failurelog.core.schema import ITEMS, Field
from failurelog.model.incident import Incident
from failurelog.site import html as h
from failurelog.site import markup as m
from failurelog.site.context import Context
from failurelog.site.history_pages import history_section


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _incident_link(ctx: Context, ident: str, here: str) -> str:
    """Markdown link to an incident, with its title."""
    target = ctx.model.by_id.get(ident)
    if target is None:
        return m.text(ident)
    return m.link(f"{target.id}: {target.title}", target.page, here)


def value_html(ctx: Context, spec: Field | None, value: Any, here: str) -> str:
    """One field value as HTML: linked to its pattern page or incident where there is one."""
    if spec is not None and annotation(spec.schema, "x-incident-ref") and isinstance(value, str):
        target = ctx.model.by_id.get(value)
        return h.a(f"{target.id}: {target.title}", ctx.href(target.page, here)) if target else h.esc(value)
    if spec is not None and spec.group_by:
        shown = []
        for v in value if isinstance(value, list) else [value]:
            page = ctx.pattern_page(spec.name, v)
            shown.append(h.a(str(v), ctx.href(page, here)) if page else h.esc(m.display(spec, v)))
        return ", ".join(shown)
    if isinstance(value, list) and spec is not None and spec.choices is None and any(isinstance(v, str) for v in value):
        return "<br> ".join(h.esc(m.display(spec, v)) for v in value)
    return h.esc(m.display(spec, value))


def _remark(incident: Incident, name: str) -> str | None:
    remarks = incident.meta.get("remarks")
    if isinstance(remarks, dict) and isinstance(remarks.get(name), str):
        return str(remarks[name])
    return None


def _with_remark(shown: str, remark: str | None) -> str:
    if not remark:
        return shown
    return f"{shown} <em>({h.esc(remark)})</em>" if shown else f"<em>{h.esc(remark)}</em>"


def header(ctx: Context, incident: Incident) -> str:
    """The summary table: every ``x-summary`` field and every other top-level value, in schema order."""
    rows = []
    for spec in ctx.header_fields:
        value = incident.value(spec.name)
        if not _empty(value):
            shown = value_html(ctx, spec, value, incident.page)
            rows.append([h.esc(spec.title), _with_remark(shown, _remark(incident, spec.name))])
    return h.block("fields", h.table(rows, row_headers=True))


def related_section(ctx: Context, incident: Incident) -> str:
    """Links to and from this incident, and the computed suggestions with their reasons."""
    here = incident.page
    rel = ctx.related
    parts = []
    both_ways = (
        ("This incident names", [(link.target.id, link.note) for link in rel.outgoing.get(incident.id, [])]),
        ("Named by", [(link.source.id, link.note) for link in rel.incoming.get(incident.id, [])]),
    )
    for label, links in both_ways:
        if links:
            parts.append(f"**{label}:**\n")
            for ident, note in links:
                parts.append(f"- {_incident_link(ctx, ident, here)}" + (f" — {m.text(note)}" if note else ""))
            parts.append("")
    suggestions = rel.suggestions.get(incident.id, [])
    if suggestions:
        parts.append("**Incidents like this one** (computed):\n")
        for s in suggestions:
            reasons = "; ".join(m.text(r) for r in describe(s.shared))
            parts.append(f"- {_incident_link(ctx, s.incident.id, here)} — {round(100 * s.score)}% alike: {reasons}")
        parts.append("")
    if not parts:
        return ""
    return "## Linked and similar incidents\n\n" + "\n".join(parts).rstrip("\n")


def _item_html(ctx: Context, incident: Incident, spec: Field, item: Any) -> str:
    here = incident.page
    if not isinstance(item, dict):
        return value_html(ctx, None, item, here)
    shown = []
    for child in ctx.children((*spec.path, ITEMS)):
        value = item.get(child.key)
        if not _empty(value):
            shown.append((child, value_html(ctx, child, value, here)))
    if not shown:
        return ""
    lead, rest = shown[0][1], shown[1:]
    line = f"<strong>{lead}</strong>"
    if len(rest) == 1:
        line += f" — {rest[0][1]}"
    elif rest:
        line += " — " + "; ".join(f"{h.esc(c.title)}: {v}" for c, v in rest)
    action = ctx.action_lists.get(spec.name)
    if action is not None:
        due = parse_date(item.get(action.due))
        if due is not None and due < ctx.model.today and str(item.get(action.status, "")) not in action.done:
            line += f' — <strong class="fl-overdue">overdue</strong> (due {due.isoformat()})'
    return line


def _object(ctx: Context, incident: Incident, prefix: tuple[str, ...], data: dict[str, Any], caption: str) -> list[str]:
    """HTML for the filled-in fields below ``prefix``: its values as one table, then each sub-object or list.

    Sub-objects are captioned tables (not headings), which keeps the page's
    table of contents to the schema's top-level groups.
    """
    rows: list[list[str]] = []
    blocks: list[str] = []
    here = incident.page
    for child in ctx.children(prefix):
        value = data.get(child.key)
        remark = _remark(incident, child.name)
        if _empty(value) and remark is None:
            continue
        if child.type == "object":
            title = child.title if prefix else ""
            inner = _object(ctx, incident, child.path, value, title) if isinstance(value, dict) else []
            if inner and remark:
                inner.insert(0, f'<p class="fl-remark"><em>{h.esc(remark)}</em></p>')
            blocks.extend(inner)
        elif child.is_container:
            items = [_item_html(ctx, incident, child, item) for item in value] if isinstance(value, list) else []
            items = [f"<li>{line}</li>" for line in items if line]
            if items:
                tag = "ol" if annotation(child.schema, "x-ordered") else "ul"
                label = f'<p class="fl-caption">{h.esc(child.title)}</p>' if prefix else ""
                blocks.append(f'{label}<{tag} class="fl-list">{" ".join(items)}</{tag}>')
        else:
            shown = "" if _empty(value) else value_html(ctx, child, value, here)
            rows.append([h.esc(child.title), _with_remark(shown, remark) or " "])
    table = [h.table(rows, caption=caption or None, row_headers=True)] if rows else []
    if not table and blocks and caption:
        table = [f'<p class="fl-caption">{h.esc(caption)}</p>']
    return table + blocks


def fields_section(ctx: Context, incident: Incident) -> str:
    """Every filled-in top-level group of the schema, in schema order, under the schema's titles."""
    out = []
    for top in ctx.children(()):
        free_map = isinstance(top.schema.get("additionalProperties"), dict)
        value = incident.meta.get(top.key)
        if not (top.type == "object" or top.is_container) or free_map or _empty(value):
            continue
        blocks = _object(ctx, incident, (), {top.key: value}, "")
        if blocks:
            out.append(f"{m.heading(2, top.title)}\n\n{h.block('fields', ' '.join(blocks))}")
    return "\n\n".join(out)


def body_section(ctx: Context, incident: Incident) -> str:
    """The body as cleaned HTML blocks, its top-level headings as Markdown headings (for the table of contents).

    Guidance comments and empty sections are left out; the body is rendered as one document, so a
    footnote defined in one section serves a reference in another.
    """
    source = publishable(incident.parsed_body)
    if not source:
        return ""
    blocks = []
    for part in render_parts(source, ctx.markdown):
        if isinstance(part, Heading):
            blocks.append(m.heading(part.level, part.text))
        else:
            blocks.append(h.body_block(part))
    return "\n\n".join(blocks)


def incident_page(ctx: Context, incident: Incident) -> str:
    """The whole Markdown page of one incident."""
    title = f"{incident.id}: {incident.title}"
    parts = [m.page_header(title, hide=("navigation",)).rstrip("\n"), m.heading(1, title), header(ctx, incident)]
    edit = ctx.edit_url(incident)
    source = f"Source: `{incident.source}`" if "`" not in incident.source else f"Source: {m.text(incident.source)}"
    parts.append(f"[Edit source]({edit}) · {source}" if edit else source)
    blocks = (
        related_section(ctx, incident),
        fields_section(ctx, incident),
        body_section(ctx, incident),
        history_section(ctx, incident),
    )
    for block in blocks:
        if block:
            parts.append(block)
    return "\n\n".join(parts) + "\n"
