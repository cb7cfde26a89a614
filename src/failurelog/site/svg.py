"""Charts as inline SVG, drawn in Python: no script, no font, nothing fetched at view time.

Each chart is one ``<figure>`` with the SVG (every bar and point has a
``<title>`` tooltip), a caption, and the numbers in a collapsed HTML table.
Text uses ``currentColor`` so the charts follow Material's light and dark
schemes. Labels are escaped: they come from incidents.
"""

from __future__ import annotations

from collections.abc import Sequence

from failurelog.site.markup import attr, number

#: Series colours, most severe / first choice first.
PALETTE = ("#c62828", "#ef6c00", "#f9a825", "#2e7d32", "#1565c0", "#6a1b9a", "#00838f", "#5d4037", "#546e7a")

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 40


def color(index: int) -> str:
    """The palette colour of series ``index``."""
    return PALETTE[index % len(PALETTE)]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)


def _axes(labels: Sequence[str], top: float, unit: str) -> list[str]:
    out = []
    plot_h = HEIGHT - TOP - BOTTOM
    for k in range(5):
        value = top * k / 4
        y = TOP + plot_h - plot_h * k / 4
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="fl-grid"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{attr(number(value))}</text>')
    if unit:
        out.append(f'<text x="4" y="{TOP + 4}" class="fl-unit">{attr(unit)}</text>')
    step = max(1, -(-len(labels) // 12))
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    for i in range(0, len(labels), step):
        x = LEFT + slot * (i + 0.5)
        out.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{attr(labels[i])}</text>')
    return out


def _legend(names: Sequence[str]) -> str:
    items = "".join(
        f'<span class="fl-key"><span class="fl-swatch" style="background:{color(i)}"></span>{attr(n)}</span>'
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


def _figure(svg: list[str], title: str, legend: str, table: str) -> str:
    body = "".join(svg)
    return (
        f'<figure class="fl-chart"><svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{attr(title)}" '
        f'xmlns="http://www.w3.org/2000/svg">{body}</svg>'
        f"<figcaption>{attr(title)}</figcaption>{legend}{table}</figure>"
    )


def bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    unit: str = "",
    stacked: bool = True,
) -> str:
    """Vertical bars per label; several series are stacked (or side by side when ``stacked`` is false)."""
    totals = [sum(values[i] or 0 for _n, values in series) for i in range(len(labels))]
    peak = max(totals if stacked else [v or 0 for _n, vs in series for v in vs], default=0)
    top = _nice_max(peak)
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    width = max(1.0, slot * (0.8 if stacked else 0.8 / max(1, len(series))))
    svg = _axes(labels, top, unit)
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
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}" fill="{color(s)}">'
                f"<title>{attr(tip)}</title></rect>"
            )
            if stacked:
                base += value
    return _figure(svg, title, _legend([n for n, _v in series]), _data_table(labels, series))


def line_chart(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, title: str, unit: str = ""
) -> str:
    """Lines with a dot per value; gaps where a month has no value."""
    peak = max((v for _n, vs in series for v in vs if v is not None), default=0)
    top = _nice_max(peak)
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    lines: list[str] = []
    dots: list[str] = []
    for s, (name, values) in enumerate(series):
        runs: list[list[str]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
                continue
            x, y = LEFT + slot * (i + 0.5), TOP + plot_h - plot_h * value / top
            runs[-1].append(f"{x:.1f},{y:.1f}")
            tip = f"{labels[i]}: {name} {number(value)}{' ' + unit if unit else ''}"
            dots.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color(s)}"><title>{attr(tip)}</title></circle>'
            )
        lines.extend(
            f'<polyline points="{" ".join(run)}" fill="none" stroke="{color(s)}" stroke-width="2"/>'
            for run in runs
            if len(run) > 1
        )
    svg = _axes(labels, top, unit) + lines + dots
    return _figure(svg, title, _legend([n for n, _v in series]), _data_table(labels, series))


def hbar_chart(items: Sequence[tuple[str, float]], *, title: str, unit: str = "") -> str:
    """Horizontal bars, one per item, longest first as given."""
    row_h, label_w = 22, 230
    height = TOP + row_h * max(1, len(items)) + 8
    top = _nice_max(max((v for _l, v in items), default=0))
    span = WIDTH - label_w - RIGHT - 40
    svg = []
    for i, (label, value) in enumerate(items):
        y = TOP + i * row_h
        w = span * value / top
        shown = label if len(label) <= 34 else label[:33] + "…"
        svg.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{attr(shown)}</text>')
        svg.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1):.1f}" height="{row_h - 6}" fill="{color(4)}">'
            f"<title>{attr(f'{label}: {number(value)}')}</title></rect>"
        )
        svg.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{attr(number(value))}{attr(unit)}</text>')
    figure = _figure(svg, title, "", _data_table([lbl for lbl, _v in items], [(title, [v for _l, v in items])]))
    return figure.replace(f'viewBox="0 0 {WIDTH} {HEIGHT}"', f'viewBox="0 0 {WIDTH} {height}"', 1)


def sparkline(values: Sequence[int]) -> str:
    """Counts as Unicode block characters, e.g. ``▁▃▇▁``; plain text, safe anywhere."""
    blocks = "▁▂▃▄▅▆▇█"
    peak = max(values, default=0)
    if peak <= 0:
        return "·" * len(values)
    return "".join(blocks[min(7, round(7 * v / peak))] if v else " " for v in values).replace(" ", "·")
