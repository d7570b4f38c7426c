"""Charts drawn on the server as SVG, for pages and exports alike.

A chart is a standalone SVG document with presentation attributes only: no script and no
CSS, so it shows under the site's Content-Security-Policy (served from our own origin as
an image), opens in any browser or office suite from an export, and needs no JavaScript
on a cheap phone. Values show as native tooltips (``<title>``) and the chart's own
``<title>``/``<desc>`` say what it shows to screen readers; pages keep the table beside it.

Two shapes: `line_chart` (a value over time: months) and the horizontal bars — `bar_chart`
(one bar per label: answers to a survey question, units of a contest; the label sits above
its bar, so long Vietnamese sentences fit a phone's width) and `stacked_rows` (one 100 % bar
per row, split by column, with a legend). Every label is escaped: they are user text.

On a phone a chart drawn 720 px wide shrinks its 12 px labels to 6 px, so pages ask for a
narrow drawing too (`{% chart_img %}` in ``core_charts``: a ``<picture>`` whose phone source
adds ``w=phone`` to the chart's address) and the views read it with `width_for`: the same chart
drawn :data:`PHONE_WIDTH` wide, with fewer month labels and shorter texts, at full size.

pygal was tried and not taken: its SVG carries an inline ``<script>`` and ``<style>``,
which the CSP blocks, and three more packages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from congdoan.core.vndate import vn_number

# Ten colours that stay apart for the common colour-vision deficiencies (Tableau 10).
PALETTE = (
    "#4e79a7",
    "#e15759",
    "#59a14f",
    "#f28e2b",
    "#b07aa1",
    "#9c755f",
    "#ff9da7",
    "#76b7b2",
    "#edc948",
    "#bab0ac",
)
PHONE_WIDTH = 360  # the narrow drawing, for screens up to 40em (`{% chart_img %}`)
PHONE_PARAM = "phone"  # ?w=phone asks for it
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 5 × 10^k (at least 1) not below ``value``: the axis maximum."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)  # pragma: no cover (the loop always returns)


def width_for(params: Mapping[str, str], default: int) -> int:
    """The width a chart view draws: :data:`PHONE_WIDTH` when the page asked for the phone
    drawing (``?w=phone``), else the view's own."""
    return PHONE_WIDTH if params.get("w") == PHONE_PARAM else default


def _label_step(labels: Sequence[str], room: float) -> int:
    """Every how many x labels one is written so that none overlaps its neighbour (at 12 px
    a character is about 6.5 px wide; 6 px between labels)."""
    n = len(labels)
    if n <= 1:
        return 1
    widest = max(len(label) for label in labels) * 6.5 + 6
    return max(1, math.ceil(widest / (room / (n - 1))))


def _number(value: float) -> str:
    """A count the reader's way (1.234 in Vietnamese, 1,234 in English)."""
    return vn_number(int(value))


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    width: int = 720,
    height: int = 300,
    partial_last: bool = False,
) -> str:
    """One line per series over the labels (months), with a legend under the plot.

    Steps: (1) the y axis runs from 0 to a round maximum with five grid lines; (2) the
    labels are spread evenly over the x axis; (3) each series is a polyline with a dot and
    a tooltip per point (``partial_last``: the last point is a period still running, its
    segment is dashed); (4) the legend wraps in rows under the axis.
    """
    left, right, top, bottom = 48, 16, 34, 28
    legend_cols = max(1, (width - left) // 180)
    legend_rows = math.ceil(len(series) / legend_cols)
    # a legend slot is 180 px; one column alone (a phone) has the whole width
    name_chars = 26 if legend_cols > 1 else _chars(width - left - 18, 6.5)
    total_height = height + legend_rows * 20 + 8
    plot_w = width - left - right
    plot_h = height - top - bottom
    peak = max((v for _name, values in series for v in values), default=0)
    y_max = nice_ceiling(peak)
    n = len(labels)

    pad = 30  # room for the first and last labels

    def x(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else pad + (plot_w - 2 * pad) * i / (n - 1))

    def y(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_height}" '
        f'width="{width}" height="{total_height}" role="img" font-family={quoteattr(FONT)} '
        'font-size="12">',
        f"<title>{escape(title)}</title>",
        "<desc>"
        + escape(
            "; ".join(
                f"{name}: "
                + ", ".join(f"{lab} {_number(v)}" for lab, v in zip(labels, values, strict=False))
                for name, values in series
            )
        )
        + "</desc>",
        f'<rect width="{width}" height="{total_height}" fill="#ffffff"/>',
        f'<text x="{8 if width <= PHONE_WIDTH else left}" y="20" font-size="14" font-weight="bold" '
        f'fill="#222222">{escape(_shorten(title, _chars(width - 16, 8)))}</text>',
    ]
    for k in range(6):
        value = y_max * k / 5
        if k and value != int(value) and y_max <= 5:
            continue  # no half counts on a small axis
        yy = y(value)
        out.append(
            f'<line x1="{left}" y1="{yy:.1f}" x2="{width - right}" y2="{yy:.1f}" '
            f'stroke="{"#888888" if k == 0 else "#e3e3e3"}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="#555555">{_number(value)}</text>'
        )
    step = _label_step(labels, plot_w - 2 * pad)
    for i, label in enumerate(labels):
        if (n - 1 - i) % step:
            continue  # thinned out on a narrow chart, counted back from the last (this month)
        out.append(
            f'<text x="{x(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle" fill="#555555">{escape(label)}</text>'
        )
    for s, (name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        shown = list(values[:n])
        solid = shown[:-1] if partial_last and len(shown) > 1 else shown
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(solid))
        out.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
        if len(solid) < len(shown):
            a, b = len(shown) - 2, len(shown) - 1
            out.append(
                f'<line x1="{x(a):.1f}" y1="{y(shown[a]):.1f}" x2="{x(b):.1f}" '
                f'y2="{y(shown[b]):.1f}" stroke="{colour}" stroke-width="2" '
                'stroke-dasharray="5 4"/>'
            )
        for i, v in enumerate(values[:n]):
            out.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(f'{name}, {labels[i]}: {_number(v)}')}</title></circle>"
            )
        col, row = s % legend_cols, s // legend_cols
        lx, ly = left + col * 180, height + 8 + row * 20
        out.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" rx="2" fill="{colour}"/>')
        out.append(
            f'<text x="{lx + 18}" y="{ly + 11}" fill="#222222">{escape(_shorten(name, name_chars))}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _chars(room: float, per_char: float) -> int:
    """How many characters of a label fit ``room`` pixels (``per_char`` an average width)."""
    return max(12, int(room / per_char))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- horizontal bars ---------------------------------------------------------------------------

BAR_WIDTH = 640
_ROW = 44  # a label line and its bar
LABEL_CHARS = 90  # a label longer than this is shortened (the tooltip keeps it whole)


def _bars_head(width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family={quoteattr(FONT)} '
        'font-size="13">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="8" y="20" font-size="14" font-weight="bold" fill="#222222">'
        f"{escape(_shorten(title, min(80, _chars(width - 16, 8))))}</text>",
    ]


def _percent(value: float) -> str:
    return f"{vn_number(round(value, 1))} %"


def _no_data(y: int) -> str:
    return f'<text x="8" y="{y + 20}" fill="#555555">{escape(_("Chưa có số liệu."))}</text>'


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    note: str = "",
    base: int | None = None,
    percent: bool = False,
    width: int = BAR_WIDTH,
) -> str:
    """One horizontal bar per label, its figure at its end.

    Counts (the default): the bar's length is against a round maximum, and its share shows
    beside the count — of `base` (e.g. the people who answered a question where each may
    choose several) else of the sum of the values. ``percent``: the values are already
    percentages (0–100), drawn against 100 and shown as "42,5 %".
    """
    top = 34 + (18 if note else 0)
    height = top + _ROW * max(1, len(labels)) + 10
    total = base if base is not None else sum(values)
    peak = max(100.0, max(values, default=0)) if percent else nice_ceiling(max(values, default=0))
    plot = width - 8 - 90
    chars = min(LABEL_CHARS, _chars(width - 16, 7.2))

    def figure(value: float) -> str:
        if percent:
            return _percent(value)
        share = f" ({round(100 * value / total)} %)" if total else ""
        return vn_number(value) + share

    pairs = list(zip(labels, values, strict=False))
    desc = "; ".join(f"{lab}: {figure(v)}" for lab, v in pairs)
    out = _bars_head(width, height, title, desc + (f". {note}" if note else ""))
    if note:
        out.append(f'<text x="8" y="40" fill="#555555">{escape(note)}</text>')
    if not pairs:
        out.append(_no_data(top))
    for i, (label, value) in enumerate(pairs):
        y = top + i * _ROW
        length = plot * value / peak if peak else 0
        out.append(
            f'<text x="8" y="{y + 14}" fill="#222222">{escape(_shorten(label, chars))}</text>'
        )
        out.append(
            f'<rect x="8" y="{y + 20}" width="{max(length, 1):.1f}" height="16" rx="2" '
            f'fill="{PALETTE[0]}"><title>{escape(f"{label}: {figure(value)}")}</title></rect>'
        )
        out.append(
            f'<text x="{8 + length + 6:.1f}" y="{y + 33}" fill="#222222">'
            f"{escape(figure(value))}</text>"
        )
    out.append("</svg>")
    return "\n".join(out)


def stacked_rows(
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Sequence[Sequence[int]],
    *,
    title: str,
    width: int = BAR_WIDTH,
) -> str:
    """One 100 % bar per row, split by how many chose each column (shares of the row), with
    the columns' legend above."""
    legend_cols = max(1, (width - 8) // 150)
    legend_rows = math.ceil(len(columns) / legend_cols)
    top = 34 + legend_rows * 20
    height = top + _ROW * max(1, len(rows)) + 10
    plot = width - 16
    desc = "; ".join(
        f"{row}: "
        + ", ".join(f"{col} {vn_number(n)}" for col, n in zip(columns, line, strict=False))
        for row, line in zip(rows, counts, strict=False)
    )
    out = _bars_head(width, height, title, desc)
    for c, column in enumerate(columns):
        lx, ly = 8 + (c % legend_cols) * 150, 30 + (c // legend_cols) * 20
        out.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" rx="2" '
            f'fill="{PALETTE[c % len(PALETTE)]}"/>'
        )
        out.append(
            f'<text x="{lx + 17}" y="{ly + 11}" fill="#222222">{escape(_shorten(column, 20))}</text>'
        )
    if not rows:
        out.append(_no_data(top))
    for r, (row, line) in enumerate(zip(rows, counts, strict=False)):
        y = top + r * _ROW
        total = sum(line)
        out.append(
            f'<text x="8" y="{y + 14}" fill="#222222">'
            f"{escape(_shorten(row, min(LABEL_CHARS, _chars(width - 16, 7.2))))}</text>"
        )
        x = 8.0
        for c, n in enumerate(line):
            if not total or not n or c >= len(columns):
                continue
            length = plot * n / total
            tip = f"{row} — {columns[c]}: {vn_number(n)} ({round(100 * n / total)} %)"
            out.append(
                f'<rect x="{x:.1f}" y="{y + 20}" width="{length:.1f}" height="16" '
                f'fill="{PALETTE[c % len(PALETTE)]}"><title>{escape(tip)}</title></rect>'
            )
            if length >= 34:
                out.append(
                    f'<text x="{x + length / 2:.1f}" y="{y + 32}" text-anchor="middle" '
                    f'font-size="11" fill="#ffffff">{round(100 * n / total)} %</text>'
                )
            x += length
        if not total:
            out.append(f'<rect x="8" y="{y + 20}" width="{plot}" height="16" fill="#eeeeee"/>')
    out.append("</svg>")
    return "\n".join(out)


__all__ = [
    "PALETTE",
    "PHONE_WIDTH",
    "bar_chart",
    "line_chart",
    "nice_ceiling",
    "stacked_rows",
    "width_for",
]
