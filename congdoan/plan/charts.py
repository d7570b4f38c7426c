"""The plan's charts as SVG (through `core.charts`): the same drawing on the dashboard and in
the reports' exports."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.charts import line_chart
from congdoan.orgs.models import Unit
from congdoan.plan import indicators
from congdoan.plan.selectors import targets_for, trend

# About how wide a character of the chart's bold 14 px title is, and the room the year takes.
TITLE_CHAR_PX = 8
TITLE_YEAR_CHARS = 12


def _fit(name: str, width: int) -> str:
    """The indicator's name cut with "…" where the title would run past the chart's edge (the
    long names of the trained-leader indicators were clipped mid-word)."""
    room = (width - 64) // TITLE_CHAR_PX - TITLE_YEAR_CHARS
    if len(name) <= room:
        return name
    return name[: max(room - 1, 1)].rsplit(" ", 1)[0] + "…"


def trend_svg(
    *,
    unit: Unit,
    code: str,
    year: int,
    width: int = 720,
    height: int = 260,
    today: date | None = None,
) -> str:
    """The indicator's value for the year to the end of each month (T1, T2 …) over `unit`'s
    subtree, with the target as a flat line; a month without data is drawn at 0 and said so in
    the chart's description (the page's table beside it shows "chưa có dữ liệu")."""
    indicator = indicators.get(code)
    if indicator is None:
        raise KeyError(code)
    today = today or timezone.localdate()
    values = trend(unit=unit, year=year, today=today, codes=[code]).get(code, [])
    labels = [f"T{m}" for m in range(1, len(values) + 1)]
    # The title names the indicator; the legend's slot (180 px) holds a short word only.
    series: list[tuple[str, list[float]]] = [
        (_("Kết quả"), [float(v) if v is not None else 0.0 for v in values])
    ]
    target = targets_for(unit=unit, year=year).get(code)
    if target is not None and values:
        series.append((_("Chỉ tiêu"), [float(target.value)] * len(values)))
    title = _("%(name)s — năm %(year)s") % {"name": _fit(str(indicator.name), width), "year": year}
    if not values:
        labels, series = [str(year)], [(_("Kết quả"), [0.0])]
    return line_chart(
        labels,
        series,
        title=title,
        width=width,
        height=height,
        partial_last=year == today.year,
    )
