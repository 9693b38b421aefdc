"""Charts as inline SVG (no scripts, no network): horizontal bars by region, lines over periods.

Every mark links to the anchor of the statement it shows (`href`) and carries a tooltip; every text
is escaped (labels come from reports).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

PALETTE = ["#2f6db5", "#d9762b", "#3a9a5b", "#b8434b", "#7a5bb5", "#8c6d3f", "#c75fa2", "#5f7f8c"]
FONT = "font-family=\"system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif\""


@dataclass(frozen=True)
class Mark:
    label: str  # a region, a period
    value: float
    text: str  # the value as shown: 1.1亿元
    href: str  # #anchor of its statement
    note: str = ""  # shown after the value: the period, "≥" …
    series: str = ""  # for lines: the region


def bar_chart(marks: list[Mark], title: str, width: int = 640) -> str:
    """Horizontal bars, longest first, each labelled with its value."""
    if not marks:
        return ""
    marks = sorted(marks, key=lambda m: -m.value)
    label_w, value_w, row_h, top = 150, 170, 26, 8
    bar_w = width - label_w - value_w
    top_value = max(m.value for m in marks) or 1.0
    height = top + row_h * len(marks) + 8
    rows = []
    for i, m in enumerate(marks):
        y = top + i * row_h
        w = max(1.0, bar_w * max(m.value, 0.0) / top_value)
        tip = escape(f"{m.label}: {m.text} {m.note}".strip())
        rows.append(
            f'<a href="{escape(m.href)}"><g class="mark"><title>{tip}</title>'
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="13">{escape(_clip(m.label, 11))}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" rx="2" fill="{PALETTE[0]}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" font-size="12">{escape(m.text)}'
            f'<tspan fill="#777"> {escape(m.note)}</tspan></text></g></a>'
        )
    return (
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {FONT}>' + "".join(rows) + "</svg>"
    )


def line_chart(marks: list[Mark], periods: list[str], title: str, width: int = 640) -> str:
    """One line per series (region) over the periods, in the order given; a point per statement."""
    if not marks or not periods:
        return ""
    left, right, top, bottom, legend_h = 70, 20, 12, 28, 22
    series = list(dict.fromkeys(m.series for m in marks))
    height = 220 + legend_h * ((len(series) + 3) // 4)
    plot_w, plot_h = width - left - right, 220 - top - bottom
    top_value = max(m.value for m in marks) or 1.0
    x_of = {p: left + (plot_w * (i + 0.5) / len(periods)) for i, p in enumerate(periods)}
    y_of = lambda v: top + plot_h - plot_h * max(v, 0.0) / top_value
    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11" fill="#555">'
        f"{escape(short_number(top_value, 3, 4))}</text>",
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11" fill="#555">0</text>',
    ]
    for p, x in x_of.items():
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle" font-size="12">'
            f"{escape(_clip(p, 9))}</text>"
        )
    for k, name in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        points = sorted(
            ((x_of[m.label], y_of(m.value), m) for m in marks if m.series == name and m.label in x_of),
            key=lambda t: t[0],
        )
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, y, m in points:
            tip = escape(f"{name} {m.label}: {m.text} {m.note}".strip())
            parts.append(
                f'<a href="{escape(m.href)}"><circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="5" '
                f'fill="{color}"><title>{tip}</title></circle></a>'
            )
        lx, ly = left + (k % 4) * (plot_w / 4), 220 + legend_h * (k // 4) + 4
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly}" width="12" height="12" fill="{color}"/>'
            f'<text x="{lx + 16:.1f}" y="{ly + 11}" font-size="12">{escape(_clip(name, 10))}</text>'
        )
    return (
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {FONT}>' + "".join(parts) + "</svg>"
    )


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def short_number(value: float, digits: int = 4, small_digits: int = 6) -> str:
    """A number in 亿 or 万 when it is that big, to `digits` significant digits (`small_digits` below 万).

    >>> short_number(110000000), short_number(125000), short_number(1289), short_number(52340, 3)
    ('1.1亿', '12.5万', '1289', '5.23万')
    """
    for size, suffix in ((1e8, "亿"), (1e4, "万")):
        if abs(value) >= size:
            return f"{value / size:.{digits}g}{suffix}"
    return f"{value:.{small_digits}g}"
