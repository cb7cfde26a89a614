"""The page of one incident: what a reader needs first, then the story, then the form's data.

In order: the heading; a "not reviewed" banner on drafts and investigations
(:mod:`failurelog.site.card`); the summary card; the story in the paper form's
order, with the emergency response as a dated timeline
(:mod:`failurelog.site.story`); linked and similar incidents; every filled-in
field grouped by the form's sections, each section folded (``<details>``) in
one compact table; the history. Card, tables and timeline are raw HTML (see
:mod:`failurelog.site.html`); the body is the incident's own Markdown, rendered
and cleaned (see :mod:`failurelog.core.bodyhtml`).
"""

from __future__ import annotations

from typing import Any

from failurelog.analysis.actions import parse_date
from failurelog.analysis.similar import describe
from failurelog.core.annotations import get as annotation
from failurelog.core.schema import ITEMS, Field
from failurelog.model.incident import Incident
from failurelog.site import html as h
from failurelog.site import markup as m
from failurelog.site.card import banner, card
from failurelog.site.context import Context
from failurelog.site.history_pages import history_section
from failurelog.site.recurrence_parts import not_held_section
from failurelog.site.search_markup import IGNORE, search_block, words_to_find
from failurelog.site.story import story
from failurelog.site.values import empty, remark, value_html, with_remark


def _incident_link(ctx: Context, ident: str, here: str) -> str:
    """Markdown link to an incident, with its title."""
    target = ctx.named(ident)
    if target is None:
        return m.text(ident)
    return m.link(f"{target.id}: {target.title}", target.page, here)


def related_section(ctx: Context, incident: Incident) -> str:
    """Links to and from this incident, and the computed suggestions with their reasons."""
    here = incident.page
    parts = []
    recurred = not_held_section(ctx, incident)
    if recurred:
        parts.append(recurred)
    both_ways = (
        ("This incident names", [(link.target.id, link.note) for link in ctx.links_out(incident.id)]),
        ("Named by", [(link.source.id, link.note) for link in ctx.links_in(incident.id)]),
    )
    for label, links in both_ways:
        if links:
            parts.append(f"**{label}:**\n")
            for ident, note in links:
                parts.append(f"- {_incident_link(ctx, ident, here)}" + (f" — {m.text(note)}" if note else ""))
            parts.append("")
    suggestions = ctx.suggestions(incident.id)
    if suggestions:
        parts.append("**Incidents like this one** (computed):\n")
        for s in suggestions:
            reasons = "; ".join(m.text(r) for r in describe(s.shared))
            parts.append(f"- {_incident_link(ctx, s.incident.id, here)} — {round(100 * s.score)}% alike: {reasons}")
        parts.append("")
    if not parts:
        return ""
    return "## Linked and similar incidents\n\n" + "\n".join(parts).rstrip("\n")


def _resolved(ctx: Context, children: list[Field], item: dict[str, Any]) -> bool:
    """The item's incident reference names an incident of this repository."""
    refs = [c for c in children if annotation(c.schema, "x-incident-ref")]
    return any(isinstance(item.get(c.key), str) and ctx.named(item[c.key]) is not None for c in refs)


def _item_html(ctx: Context, incident: Incident, spec: Field, item: Any) -> str:
    here = incident.page
    if not isinstance(item, dict):
        return value_html(ctx, None, item, here)
    shown = []
    children = ctx.children((*spec.path, ITEMS))
    for child in children:
        value = item.get(child.key)
        if empty(value) or (annotation(child.schema, "x-incident-external") and _resolved(ctx, children, item)):
            continue  # "kept elsewhere" is history once the incident is here: its id is a link now
        if child.is_container and isinstance(value, list):  # a list of records inside a record (an asset's NICs)
            inner = "".join(f"<li>{_item_html(ctx, incident, child, v)}</li>" for v in value)
            shown.append((child, f'<ul class="fl-list">{inner}</ul>'))
        else:
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


def _row(label: str, shown: str, *, indexed: bool = True) -> str:
    attr = "" if indexed else f" {IGNORE}"
    return f"<tr{attr}><th>{h.esc(label)}</th> <td>{shown}</td></tr>"


def _rows(ctx: Context, incident: Incident, prefix: tuple[str, ...], data: dict[str, Any], trail: str) -> list[str]:
    """Table rows for the filled-in fields below ``prefix``; a sub-object's rows follow a sub-heading row.

    One table per form section, whatever its depth, keeps every section the
    same width and a one-value sub-object to one row.
    """
    rows: list[str] = []
    subs: list[str] = []
    here = incident.page
    for child in ctx.children(prefix):
        value = data.get(child.key)
        note = remark(incident, child.name)
        if (empty(value) and note is None) or child.name in ctx.story_field_names:
            continue
        if child.type == "object":
            title = f"{trail} \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} {child.title}" if trail else child.title
            inner = _rows(ctx, incident, child.path, value, title) if isinstance(value, dict) else []
            if inner:
                lead = f"{h.esc(title)}" + (f" <em>({h.esc(note)})</em>" if note else "")
                subs.append(f'<tr class="fl-sub"><th colspan="2">{lead}</th></tr>')
                subs.extend(inner)
        elif child.is_container:
            items = [_item_html(ctx, incident, child, item) for item in value] if isinstance(value, list) else []
            lines = [f"<li>{line}</li>" for line in items if line]
            if lines:
                tag = "ol" if annotation(child.schema, "x-ordered") else "ul"
                rows.append(_row(child.title, f'<{tag} class="fl-list">{" ".join(lines)}</{tag}>'))
        else:
            shown = "" if empty(value) else value_html(ctx, child, value, here)
            indexed = bool(note) or words_to_find(value)  # a remark is words to find whatever the value
            rows.append(_row(child.title, with_remark(shown, note) or " ", indexed=indexed))
    return rows + subs


def _form_groups(ctx: Context) -> list[tuple[str, list[Field]]]:
    """The form's sections with their top-level fields; fields no section names come last, under their title."""
    by_key = {f.key: f for f in ctx.children(())}
    out: list[tuple[str, list[Field]]] = []
    placed: set[str] = set()
    sections = ctx.model.schema.form.get("sections", [])
    for section in sections if isinstance(sections, list) else []:
        names = [str(k) for k in section.get("fields", [])] if isinstance(section, dict) else []
        specs = [by_key[k] for k in names if k in by_key]
        placed.update(names)
        if specs:
            out.append((str(section.get("title", "")), specs))
    out.extend((f.title, [f]) for f in by_key.values() if f.key not in placed)
    return out


def fields_section(ctx: Context, incident: Incident) -> str:
    """Every filled-in field, one folded compact table per section of the paper form, in the form's order."""
    out = []
    for title, specs in _form_groups(ctx):
        data = {
            s.key: incident.meta.get(s.key) for s in specs if not isinstance(s.schema.get("additionalProperties"), dict)
        }
        rows = _rows(ctx, incident, (), data, "")
        if rows:
            count = sum(1 for r in rows if not r.startswith('<tr class="fl-sub"'))
            table = f'<table class="fl-data"><tbody>{" ".join(rows)}</tbody></table>'
            fields = f"{count} field{'s' if count != 1 else ''}"
            summary = f'<summary>{h.esc(title)} <span class="fl-count">{fields}</span></summary>'
            out.append(f'<details class="fl-section">{summary}{table}</details>')
    if not out:
        return ""
    return "## Recorded data\n\n" + h.block("fields", " ".join(out))


def _source_line(ctx: Context, incident: Incident) -> str:
    """The *Edit source* link and the file's path; left out of the search index (``.md`` is not a word to find)."""
    source = f"Source: <code>{h.esc(incident.source)}</code>"
    edit = ctx.edit_url(incident)
    line = f"{h.a('Edit source', edit)} · {source}" if edit else source
    return f'{h.BLOCK_START}source" data-pagefind-ignore><p>{line}</p>{h.BLOCK_END}'


def incident_page(ctx: Context, incident: Incident) -> str:
    """The whole Markdown page of one incident."""
    title = f"{incident.id}: {incident.title}"
    parts = [m.page_header(title, hide=("navigation",)).rstrip("\n"), m.heading(1, title)]
    notice = banner(ctx, incident)
    if notice:
        parts.append(notice)
    parts.append(card(ctx, incident))
    parts.append(search_block(ctx, incident))
    parts.append(_source_line(ctx, incident))
    blocks = (
        story(ctx.model.schema, incident, ctx.markdown),
        related_section(ctx, incident),
        fields_section(ctx, incident),
        history_section(ctx, incident),
    )
    parts.extend(block for block in blocks if block)
    return "\n\n".join(parts) + "\n"
