"""A survey question's chart as a standalone SVG, on core.charts' ground (palette, font,
round axis maxima, CSP-safe: presentation attributes only, no script, no CSS).

- `bar_chart`: horizontal bars, one per choice or scale point (labels are long sentences in
  Vietnamese: they sit above their bar, so a phone's width fits them);
- `stacked_rows`: a matrix, one 100 % bar per row split by the column chosen, with a legend.
Values show as native tooltips (``<title>``); the chart's ``<desc>`` says every figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from congdoan.core.charts import FONT, PALETTE, nice_ceiling
from congdoan.core.vndate import vn_number

WIDTH = 640
_ROW = 44  # a label line and its bar


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _head(height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" font-family={quoteattr(FONT)} '
        'font-size="13">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="8" y="20" font-size="14" font-weight="bold" fill="#222222">'
        f"{escape(_shorten(title, 80))}</text>",
    ]


def bar_chart(
    labels: Sequence[str],
    values: Sequence[int],
    *,
    title: str,
    note: str = "",
    base: int | None = None,
) -> str:
    """One horizontal bar per label, its count and share at its end. Shares are of `base`
    (the people who answered, for a question where each may choose several), else of the
    sum of the values."""
    top = 34 + (18 if note else 0)
    height = top + _ROW * max(1, len(labels)) + 10
    total = base if base is not None else sum(values)
    peak = nice_ceiling(max(values, default=0))
    plot = WIDTH - 8 - 90
    desc = "; ".join(f"{lab}: {vn_number(v)}" for lab, v in zip(labels, values, strict=False))
    out = _head(height, title, desc + (f". {note}" if note else ""))
    if note:
        out.append(f'<text x="8" y="40" fill="#555555">{escape(note)}</text>')
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        y = top + i * _ROW
        width = plot * value / peak if peak else 0
        share = f" ({round(100 * value / total)} %)" if total else ""
        colour = PALETTE[0]
        out.append(f'<text x="8" y="{y + 14}" fill="#222222">{escape(_shorten(label, 90))}</text>')
        out.append(
            f'<rect x="8" y="{y + 20}" width="{max(width, 1):.1f}" height="16" rx="2" '
            f'fill="{colour}"><title>{escape(f"{label}: {vn_number(value)}{share}")}</title></rect>'
        )
        out.append(
            f'<text x="{8 + width + 6:.1f}" y="{y + 33}" fill="#222222">'
            f"{escape(vn_number(value) + share)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out)


def stacked_rows(
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Sequence[Sequence[int]],
    *,
    title: str,
) -> str:
    """One bar per matrix row, split by how many chose each column (shares of the row)."""
    legend_cols = max(1, (WIDTH - 8) // 150)
    legend_rows = math.ceil(len(columns) / legend_cols)
    top = 34 + legend_rows * 20
    height = top + _ROW * max(1, len(rows)) + 10
    plot = WIDTH - 16
    desc = "; ".join(
        f"{row}: "
        + ", ".join(f"{col} {vn_number(n)}" for col, n in zip(columns, line, strict=False))
        for row, line in zip(rows, counts, strict=False)
    )
    out = _head(height, title, desc)
    for c, column in enumerate(columns):
        lx, ly = 8 + (c % legend_cols) * 150, 30 + (c // legend_cols) * 20
        out.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" rx="2" '
            f'fill="{PALETTE[c % len(PALETTE)]}"/>'
        )
        out.append(
            f'<text x="{lx + 17}" y="{ly + 11}" fill="#222222">{escape(_shorten(column, 20))}</text>'
        )
    for r, (row, line) in enumerate(zip(rows, counts, strict=False)):
        y = top + r * _ROW
        total = sum(line)
        out.append(f'<text x="8" y="{y + 14}" fill="#222222">{escape(_shorten(row, 90))}</text>')
        x = 8.0
        for c, n in enumerate(line):
            if not total or not n:
                continue
            width = plot * n / total
            tip = f"{row} — {columns[c]}: {vn_number(n)} ({round(100 * n / total)} %)"
            out.append(
                f'<rect x="{x:.1f}" y="{y + 20}" width="{width:.1f}" height="16" '
                f'fill="{PALETTE[c % len(PALETTE)]}"><title>{escape(tip)}</title></rect>'
            )
            if width >= 34:
                out.append(
                    f'<text x="{x + width / 2:.1f}" y="{y + 32}" text-anchor="middle" '
                    f'font-size="11" fill="#ffffff">{round(100 * n / total)} %</text>'
                )
            x += width
        if not total:
            out.append(f'<rect x="8" y="{y + 20}" width="{plot}" height="16" fill="#eeeeee"/>')
    out.append("</svg>")
    return "\n".join(out)
