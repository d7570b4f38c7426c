"""The plan's indicators for the unit's subtree as it was in the period
(`plan.selectors.figures_for`): value, target, met or not; an indicator with no data says so
(never 0 %)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from congdoan.core.vndate import vn_number
from congdoan.plan import selectors as plan
from congdoan.reports.sources.base import Cell, Context, Contribution, section, table


def _met(f: plan.FigureRow) -> Cell:
    if f.met is None:
        return None if f.value is None else ""
    return _("Đạt") if f.met else _("Chưa đạt")


def _number(value: Decimal) -> str:
    return vn_number(float(value))


def _result(f: plan.FigureRow) -> Cell:
    """ "60 % (12/20)", "3 văn bản", or None (no data)."""
    if f.value is None:
        return None
    text = f"{_number(f.value)} {f.unit_label}"
    if f.numerator is not None and f.denominator is not None:
        text += f" ({vn_number(f.numerator)}/{vn_number(f.denominator)})"
    return text


def _target(f: plan.FigureRow) -> Cell:
    return f"{_number(f.target)} {f.unit_label}" if f.target is not None else ""


def collect(ctx: Context) -> Contribution:
    out = Contribution()
    rows: list[list[Cell]] = []
    for f in plan.figures_for(unit=ctx.unit, period=ctx.period):
        rows.append([f.name + (" *" if f.is_priority else ""), _result(f), _target(f), _met(f)])
        if f.numerator is not None:
            den_key = f"plan.{f.code}.den" if f.denominator is not None else ""
            if den_key:
                out.total(
                    den_key, _("%(name)s — tổng số (mẫu số)") % {"name": f.name}, f.denominator
                )
            out.total(
                f"plan.{f.code}.num",
                _("%(name)s — đạt (tử số)") % {"name": f.name} if den_key else f.name,
                f.numerator,
                of=den_key,
            )
    out.sections.append(
        section(
            "plan",
            _("Thực hiện các chỉ tiêu của Kế hoạch truyền thông"),
            [
                table(
                    "",
                    [_("Chỉ tiêu"), _("Kết quả"), _("Chỉ tiêu đặt ra"), _("Đánh giá")],
                    rows,
                )
            ],
            note=_("Số liệu cộng trên các đơn vị thuộc cơ cấu tổ chức cuối kỳ."),
        )
    )
    return out
