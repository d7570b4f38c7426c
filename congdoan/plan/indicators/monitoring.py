"""False or toxic information detected and handled (80 %), from the monitoring app:
`congdoan.monitoring.selectors.handled_figures` (keyword arguments unit_ids, start, end →
{unit_id: (handled, detected)}, each unit its own narratives: the plan adds them up the tree).
Registered here, as the reach sources are in reach.py: the plan sits above the apps it reads.
Without the app (or its function) the figure is "chưa có dữ liệu" with the reason, never 0 %.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.plan.indicators.base import (
    FIGURE_SOURCES,
    PERCENT,
    Indicator,
    Result,
    UnitRef,
    load,
    missing_source,
    register,
    register_figure_source,
)
from congdoan.plan.periods import Period

CODE = "false_info_handled"

register_figure_source(
    CODE,
    gettext_lazy("theo dõi thông tin"),
    "congdoan.monitoring.selectors.handled_figures",
)


def missing() -> str | None:
    source = FIGURE_SOURCES.get(CODE)
    if source is None or load(source.path) is None:
        return missing_source(_("phân hệ theo dõi thông tin sai lệch"))
    return None


def compute(period: Period, units: Sequence[UnitRef]) -> Result:
    source = FIGURE_SOURCES.get(CODE)
    fn = load(source.path) if source else None
    if fn is None:
        return Result(missing=missing_source(_("phân hệ theo dõi thông tin sai lệch")))
    figures = fn(unit_ids=[u.id for u in units], start=period.start, end=period.end)
    return Result(figures={int(k): (int(n), int(d)) for k, (n, d) in figures.items()})


register(
    Indicator(
        code=CODE,
        name=gettext_lazy("Thông tin sai lệch, độc hại được phát hiện và xử lý"),
        kind=PERCENT,
        unit_label="%",
        compute=compute,
        order=50,
        missing=missing,
    )
)
