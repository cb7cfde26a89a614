"""The top of an incident page: the review banner and the summary card.

Everything on the card comes from schema annotations, so a field a team marks
``x-summary`` appears without a code change:

- the ``x-summary: badge`` fields (severity, then status: ``x-summary-order``) as coloured badges: the
  colour is the value's rank among the field's choices, whose first choice is
  the one that needs the most attention (the worst severity, a draft);
- every other ``x-summary: true`` field as a labelled tile, in schema order
  (``x-summary: heading`` fields, the id and title, are the page's heading);
- the ``x-summary: paragraph`` fields (the root cause) as full-width text;
- a field inside a list (every affected asset's name, say) with all its values, labelled with the
  list's title ("Affected Assets");
- the incidents this one names and the ones that name it;
- its crash and hardware-error signatures ("Signature: A <- B <- C", :mod:`failurelog.site.signature_pages`).

The banner ("draft: not reviewed") is the ``x-banner`` mapping of a field (the
status) from the incident's value to the text.
"""

from __future__ import annotations

from failurelog.core import roles
from failurelog.core.annotations import get as annotation
from failurelog.core.schema import ITEMS, Field
from failurelog.core.values import parse_time
from failurelog.model.incident import Incident
from failurelog.site import html as h
from failurelog.site.context import Context
from failurelog.site.signature_pages import card_line
from failurelog.site.values import empty, remark, value_html, with_remark

#: ``x-summary`` values: a coloured badge, a full-width paragraph, the page's heading (id, title);
#: ``true`` is a labelled tile.
BADGE, PARAGRAPH, HEADING = "badge", "paragraph", "heading"
#: Colour levels of badges (``fl-level-0`` .. ``fl-level-3`` in failurelog.css).
LEVELS = 4


def banners(ctx: Context, incident: Incident) -> list[str]:
    """The texts of every ``x-banner`` that matches the incident's values (a draft's "not reviewed")."""
    out = []
    for spec in roles.flagged(ctx.model.schema, "x-banner"):
        texts = annotation(spec.schema, "x-banner")
        text = texts.get(str(incident.value(spec.name))) if isinstance(texts, dict) else None
        if isinstance(text, str) and text:
            out.append(text)
    return out


def banner(ctx: Context, incident: Incident) -> str:
    """The banner block for the incident ("" when no ``x-banner`` matches)."""
    texts = banners(ctx, incident)
    if not texts:
        return ""
    return h.block("banner", " ".join(f'<p role="note"><strong>{h.esc(t)}</strong></p>' for t in texts))


def badge(ctx: Context, spec: Field, value: str, here: str) -> str:
    """A value as a badge coloured by its rank among the field's choices (first: most attention)."""
    order = roles.choice_order(spec)
    level = min(order.get(value, LEVELS - 1), LEVELS - 1)
    page = ctx.pattern_page(spec.name, value)
    label = h.a(value, ctx.href(page, here)) if page else h.esc(value)
    return f'<span class="fl-badge fl-level-{level}" title="{h.esc(spec.title)}">{label}</span>'


def _tile(title: str, shown: str) -> str:
    return f"<div><dt>{h.esc(title)}</dt> <dd>{shown}</dd></div>"


def _related(ctx: Context, incident: Incident) -> str:
    here = incident.page
    seen: list[str] = []
    for link in ctx.links_out(incident.id):
        seen.append(link.target.id)
    for link in ctx.links_in(incident.id):
        seen.append(link.source.id)
    links = []
    for ident in dict.fromkeys(seen):
        target = ctx.named(ident)
        if target is not None:
            links.append(
                f'<a href="{h.esc(ctx.href(target.page, here))}" title="{h.esc(target.title)}">{h.esc(ident)}</a>'
            )
    return _tile("Related incidents", ", ".join(links)) if links else ""


def _order(spec: Field) -> float:
    place = annotation(spec.schema, "x-summary-order")
    return float(place) if isinstance(place, int | float) and not isinstance(place, bool) else float("inf")


def summary_fields(ctx: Context) -> list[Field]:
    """The card's fields: every ``x-summary`` value field (the id and title are the page's heading).

    In schema order, except that fields with an ``x-summary-order`` come first, by that number.
    """
    fields = [
        f
        for f in roles.flagged(ctx.model.schema, "x-summary")
        if not f.is_container and annotation(f.schema, "x-summary") != HEADING
    ]
    return sorted(fields, key=_order)  # stable: schema order among equals


def tile_title(ctx: Context, spec: Field) -> str:
    """A tile's label: the field's title, or for a field inside a list (every asset's name) the list's title."""
    if ITEMS not in spec.path:
        return spec.title
    outer = ctx.model.schema.field_at(spec.path[: spec.path.index(ITEMS)])
    return outer.title if outer is not None else spec.title


def card(ctx: Context, incident: Incident) -> str:
    """The summary card: badges, figures, root cause, affected assets and related incidents."""
    here = incident.page
    badges: list[str] = []
    tiles: list[str] = []
    paragraphs: list[str] = []
    fields = summary_fields(ctx)
    for spec in fields:
        value = incident.value(spec.name) if ITEMS not in spec.path else list(dict.fromkeys(incident.values(spec.name)))
        if empty(value):
            continue
        kind = annotation(spec.schema, "x-summary")
        if kind == BADGE and isinstance(value, str):
            badges.append(badge(ctx, spec, value, here))
            continue
        moment = parse_time(value) if spec.schema.get("format") == "date-time" else None
        plain = h.esc(moment.strftime("%Y-%m-%d %H:%M:%S UTC")) if moment else value_html(ctx, spec, value, here)
        shown = with_remark(plain, remark(incident, spec.name))  # the card's times to the second
        if kind == PARAGRAPH:
            paragraphs.append(f'<p class="fl-card-text"><strong>{h.esc(spec.title)}:</strong> {shown}</p>')
        else:
            tiles.append(_tile(tile_title(ctx, spec), shown))
    related = _related(ctx, incident)
    if related:
        tiles.append(related)
    signature = card_line(ctx, incident)
    if signature:
        paragraphs.append(signature)
    grid = f'<dl class="fl-card-grid">{" ".join(tiles)}</dl>' if tiles else ""
    inner = f'<div class="fl-badges">{" ".join(badges)}</div> {grid} {" ".join(paragraphs)}'
    return h.block("card", inner.strip())
