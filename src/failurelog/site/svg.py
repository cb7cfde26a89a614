"""Charts as inline SVG, drawn in Python: no script, no font, nothing fetched at view time.

Each chart is one ``<figure>`` with the SVG (every bar and point has a
``<title>`` tooltip), a caption, and the numbers in a collapsed HTML table.
Text uses ``currentColor`` so the charts follow Material's light and dark
schemes. Labels are escaped: they come from incidents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from failurelog.core.annotations import get as annotation
from failurelog.core.schema import Field
from failurelog.site.markup import attr, number

#: Series colours without a meaning of their own: blues, purples, teals, browns (no red or green,
#: which say bad and good).
PALETTE = ("#1565c0", "#6a1b9a", "#00838f", "#5d4037", "#546e7a", "#3949ab", "#283593", "#4e342e", "#0277bd")
#: Colours by rank among a field's choices, first = needs the most attention (as the page's badges).
RANKED = ("#b71c1c", "#e65100", "#f9a825", "#2e7d32")
#: Colours of the ``x-tone`` values a field can give its choices.
TONES = {"bad": "#c62828", "warn": "#ef6c00", "good": "#2e7d32", "neutral": "#546e7a"}

WIDTH, HEIGHT = 600, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 10, 26, 36


def color(index: int) -> str:
    """The palette colour of series ``index``."""
    return PALETTE[index % len(PALETTE)]


def choice_colors(field: Field, values: Sequence[str]) -> list[str]:
    """Colours for the choices of ``field`` that carry its meaning.

    The field's ``x-tone`` mapping (choice -> bad, warn, good, neutral) when it has one; for a field
    whose choices are ranked by the attention they need (``x-summary: badge``, such as severity) the
    rank colours; otherwise the palette, which has no red or green.
    """
    tones = annotation(field.schema, "x-tone")
    if isinstance(tones, dict):
        return [TONES.get(str(tones.get(v)), TONES["neutral"]) for v in values]
    if annotation(field.schema, "x-summary") == "badge" and field.choices:
        order = {c: i for i, c in enumerate(field.choices)}
        return [RANKED[min(order.get(v, len(RANKED) - 1), len(RANKED) - 1)] for v in values]
    return [color(i) for i in range(len(values))]


def ticks(peak: float, *, whole: bool = False) -> list[float]:
    """Axis ticks from 0 to a round top at or above ``peak``: at most six, whole numbers when ``whole``."""
    if peak <= 0:
        return [0.0, 1.0]
    magnitude = 10.0 ** math.floor(math.log10(peak / 5)) if peak >= 5 else 10.0 ** math.floor(math.log10(peak))
    for factor in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50):
        step = factor * magnitude
        if whole and (step < 1 or not float(step).is_integer()):
            continue
        if peak / step <= 5:
            count = math.ceil(peak / step - 1e-9)
            return [step * k for k in range(count + 1)]
    step = 10 * magnitude
    return [step * k for k in range(math.ceil(peak / step) + 1)]


def short(value: float) -> str:
    """A tick label: ``1.5k``, ``2M`` for large values, so labels fit the axis."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e4, "k")):
        if abs(value) >= size:
            return number(value / size, 1) + suffix
    return number(value, 2)


def _axes(labels: Sequence[str], marks: Sequence[float], unit: str) -> list[str]:
    out = []
    plot_h = HEIGHT - TOP - BOTTOM
    top = marks[-1]
    for value in marks:
        y = TOP + plot_h - plot_h * value / top
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="fl-grid"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{attr(short(value))}</text>')
    if unit:  # above the axis, clear of the top tick label
        out.append(f'<text x="{LEFT - 6}" y="{TOP - 12}" text-anchor="end" class="fl-unit">{attr(unit)}</text>')
    step = max(1, -(-len(labels) // 8))
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    for i in range(0, len(labels), step):
        x = LEFT + slot * (i + 0.5)
        out.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{attr(labels[i])}</text>')
    return out


def _legend(names: Sequence[str], colors: Sequence[str]) -> str:
    items = "".join(
        f'<span class="fl-key"><span class="fl-swatch" style="background:{colors[i]}"></span>{attr(n)}</span>'
        for i, n in enumerate(names)
    )
    return f'<div class="fl-legend">{items}</div>' if len(names) > 1 else ""


def _data_table(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> str:
    head = "".join(f"<th>{attr(name)}</th>" for name, _values in series)
    rows = "".join(
        f"<tr><td>{attr(label)}</td>"
        + "".join(f"<td>{attr(number(values[i]))}</td>" for _n, values in series)
        + "</tr>"
        for i, label in enumerate(labels)
    )
    return f"<details><summary>Numbers</summary><table><tr><th></th>{head}</tr>{rows}</table></details>"


def _figure(svg: list[str], title: str, legend: str, table: str, height: int = HEIGHT) -> str:
    body = "".join(svg)
    return (
        f'<figure class="fl-chart"><div class="fl-plot"><svg viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{attr(title)}" xmlns="http://www.w3.org/2000/svg">{body}</svg></div>'
        f"<figcaption>{attr(title)}</figcaption>{legend}{table}</figure>"
    )


def bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    unit: str = "",
    stacked: bool = True,
    counts: bool = False,
    colors: Sequence[str] | None = None,
) -> str:
    """Vertical bars per label; several series are stacked (or side by side when ``stacked`` is false).

    ``counts``: the values are counts, so the axis has whole-number ticks. ``colors``: one per series
    (by default the meaningless palette).
    """
    colors = list(colors) if colors else [color(i) for i in range(len(series))]
    totals = [sum(values[i] or 0 for _n, values in series) for i in range(len(labels))]
    peak = max(totals if stacked else [v or 0 for _n, vs in series for v in vs], default=0)
    marks = ticks(peak, whole=counts)
    top = marks[-1]
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    width = max(1.0, slot * (0.8 if stacked else 0.8 / max(1, len(series))))
    svg = _axes(labels, marks, unit)
    for i, label in enumerate(labels):
        base = 0.0
        for s, (name, values) in enumerate(series):
            value = values[i] or 0
            if value <= 0:
                continue
            h = plot_h * value / top
            x = LEFT + slot * i + slot * 0.1 + (0 if stacked else s * width)
            y = TOP + plot_h - h - (plot_h * base / top if stacked else 0)
            tip = f"{label}: {name} {number(value)}{' ' + unit if unit else ''}"
            svg.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}" fill="{colors[s]}">'
                f"<title>{attr(tip)}</title></rect>"
            )
            if stacked:
                base += value
    return _figure(svg, title, _legend([n for n, _v in series], colors), _data_table(labels, series))


def line_chart(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, title: str, unit: str = ""
) -> str:
    """Lines with a dot per value; gaps where a month has no value.

    A series drawn later is thinner, dashed and has smaller dots than the ones before it, so that two series
    with the same values (outages only and every incident, when no recovery was without an outage) both stay
    visible: the later one inside the earlier one.
    """
    peak = max((v for _n, vs in series for v in vs if v is not None), default=0)
    marks = ticks(peak)
    top = marks[-1]
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    lines: list[str] = []
    dots: list[str] = []
    for s, (name, values) in enumerate(series):
        below = len(series) - 1 - s  # how many series are drawn on top of this one
        radius, stroke = 3 + 2 * below, 2 + 2.5 * below
        dash = ' stroke-dasharray="7 4"' if s else ""
        runs: list[list[str]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
                continue
            x, y = LEFT + slot * (i + 0.5), TOP + plot_h - plot_h * value / top
            runs[-1].append(f"{x:.1f},{y:.1f}")
            tip = f"{labels[i]}: {name} {number(value)}{' ' + unit if unit else ''}"
            dots.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{color(s)}"><title>{attr(tip)}</title></circle>'
            )
        lines.extend(
            f'<polyline points="{" ".join(run)}" fill="none" stroke="{color(s)}" stroke-width="{stroke}"{dash}/>'
            for run in runs
            if len(run) > 1
        )
    svg = _axes(labels, marks, unit) + lines + dots
    return _figure(svg, title, _legend([n for n, _v in series], PALETTE), _data_table(labels, series))


def hbar_chart(items: Sequence[tuple[str, float]], *, title: str, unit: str = "") -> str:
    """Horizontal bars, one per item, longest first as given."""
    row_h, label_w = 24, 230
    height = 12 + row_h * max(1, len(items)) + 8
    top = max((v for _l, v in items), default=0) or 1.0
    span = WIDTH - label_w - RIGHT - 40
    svg = []
    for i, (label, value) in enumerate(items):
        y = 12 + i * row_h
        w = span * value / top
        shown = label if len(label) <= 34 else label[:33] + "…"
        svg.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{attr(shown)}</text>')
        svg.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1):.1f}" height="{row_h - 6}" fill="{color(4)}">'
            f"<title>{attr(f'{label}: {number(value)}')}</title></rect>"
        )
        svg.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{attr(number(value))}{attr(unit)}</text>')
    return _figure(svg, title, "", _data_table([lbl for lbl, _v in items], [(title, [v for _l, v in items])]), height)


def mini_bars(labels: Sequence[str], values: Sequence[int]) -> str:
    """A small bar chart of counts (one bar per label, a tooltip each) for a table cell."""
    bar, gap, high = 7, 2, 26
    peak = max(values, default=0) or 1
    rects = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = max(1.5, high * value / peak) if value else 1.0
        fill = "currentColor" if value else "#9e9e9e"
        rects.append(
            f'<rect x="{i * (bar + gap)}" y="{high - h:.1f}" width="{bar}" height="{h:.1f}" fill="{fill}">'
            f"<title>{attr(label)}: {value}</title></rect>"
        )
    width = len(values) * (bar + gap) - gap
    total = sum(values)
    return (
        f'<svg class="fl-bars" width="{width}" height="{high}" viewBox="0 0 {width} {high}" role="img" '
        f'aria-label="{total} in {len(values)} months, at most {max(values, default=0)} a month" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(rects)}</svg>'
    )
