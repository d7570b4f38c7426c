"""Figures of the years before the platform, imported from a spreadsheet (`core.importer`).

One row per unit, indicator and period: "Mã đơn vị", "Chỉ tiêu" (its code, e.g.
members_reached, or its name), "Kỳ" (2024, 2024H1, 2024H2), "Số đạt" (the numerator: members
reached, documents…) and "Tổng số" (the denominator; empty for a count). Each row is the
unit's OWN figure (not its subtree's: the dashboard sums the subtree). Rows are stored as
`imported`, and live data never overwrites them for a closed period.

Refused, row by row: a unit code that does not exist or lies outside the officer's unit, an
unknown indicator, a period that does not exist or has not ended, a number that is not a whole
number ≥ 0, a denominator missing or smaller than the numerator, the same unit, indicator and
period twice in the file.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congdoan.audit.services import audit_record
from congdoan.core import importer
from congdoan.core.importer import ImportResult, Kind, Preview, Row, Sheet, SheetError
from congdoan.core.vndate import vn_number
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import can_manage_unit
from congdoan.orgs.scoping import Viewer, units_in_scope
from congdoan.plan import indicators, services
from congdoan.plan.indicators import COUNT
from congdoan.plan.models import IndicatorFigure
from congdoan.plan.periods import PeriodError, is_closed, parse_period
from congdoan.text import fold

__all__ = ["FIGURES", "SheetError", "check_sheet", "import_figures"]

FIELDS = ("unit_code", "indicator", "period", "numerator", "denominator")
HEADINGS: dict[str, str] = {
    "ma don vi": "unit_code",
    "don vi": "",
    "ten don vi": "",
    "chi tieu": "indicator",
    "ma chi tieu": "indicator",
    "ky": "period",
    "ky bao cao": "period",
    "so dat": "numerator",
    "dat duoc": "numerator",
    "tu so": "numerator",
    "so luong": "numerator",
    "tong so": "denominator",
    "mau so": "denominator",
    "stt": "",
    "ghi chu": "",
}
MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024


def _refused(count: int) -> str:
    return ngettext(
        "Tệp còn %(count)s dòng lỗi; chưa nhập số liệu nào. Hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.",
        "Tệp còn %(count)s dòng lỗi; chưa nhập số liệu nào. Hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.",
        count,
    ) % {"count": vn_number(count)}


def _no_header(headers: list[str]) -> str:
    return _(
        "Không tìm thấy các cột “Mã đơn vị”, “Chỉ tiêu”, “Kỳ”, “Số đạt” trong dòng tiêu đề. "
        "Các cột nhận được: %(headers)s."
    ) % {"headers": ", ".join(h for h in headers if h) or "—"}


FIGURES = Kind(
    name="plan.figures",
    headings=HEADINGS,
    fields=FIELDS,
    required=("unit_code", "indicator", "period", "numerator"),
    max_rows=lambda: MAX_ROWS,
    max_bytes=lambda: MAX_BYTES,
    no_header=_no_header,
    no_rows=lambda: _("Tệp chỉ có dòng tiêu đề, chưa có số liệu nào."),
    refused=_refused,
    audit_action="plan.figures.import",
    audit=audit_record,
    header_rows=5,
    formulas=True,
)


def column_labels() -> list[str]:
    return [_("Mã đơn vị"), _("Chỉ tiêu"), _("Kỳ"), _("Số đạt"), _("Tổng số")]


def _indicator_lookup() -> dict[str, str]:
    found: dict[str, str] = {}
    for ind in indicators.all_indicators():
        found[ind.code.lower()] = ind.code
        found[fold(str(ind.name))] = ind.code
    return found


def _whole(text: str) -> int | None:
    cleaned = text.replace(".", "").replace(",", "").replace(" ", "")
    if not cleaned.isdigit():
        return None
    return int(cleaned)


def _check_row(
    line: int,
    values: dict[str, str],
    *,
    units: dict[str, Unit],
    names: dict[str, str],
    today: date,
) -> Row:
    row = Row(line=line, cells=[values.get(f, "") for f in FIELDS])
    code = values.get("unit_code", "").strip()
    unit = units.get(code.upper())
    if not code:
        row.errors.append(_("Thiếu mã đơn vị."))
    elif unit is None:
        row.errors.append(
            _("Mã đơn vị “%(code)s” không có, hoặc không thuộc đơn vị bạn quản lý.")
            % {"code": code}
        )
    typed = values.get("indicator", "").strip()
    indicator = names.get(typed.lower()) or names.get(fold(typed))
    if indicator is None:
        row.errors.append(
            _("Chỉ tiêu “%(name)s” không có. Các mã chỉ tiêu: %(codes)s.")
            % {"name": typed, "codes": ", ".join(indicators.indicator_codes())}
        )
    period = None
    try:
        period = parse_period(values.get("period", ""))
    except PeriodError as exc:
        row.errors.append(str(exc))
    if period is not None and not is_closed(period, today):
        row.errors.append(
            _("Kỳ %(period)s chưa kết thúc: số liệu của kỳ đang diễn ra được tính từ hệ thống.")
            % {"period": period.code}
        )
    numerator = _whole(values.get("numerator", ""))
    if numerator is None:
        row.errors.append(_("“Số đạt” phải là số nguyên không âm."))
    ind = indicators.get(indicator) if indicator else None
    denominator: int | None = None
    if ind is not None and ind.kind != COUNT:
        denominator = _whole(values.get("denominator", ""))
        if denominator is None or denominator == 0:
            row.errors.append(_("“Tổng số” phải là số nguyên lớn hơn 0 với chỉ tiêu tính theo %."))
        elif numerator is not None and numerator > denominator:
            row.errors.append(_("“Số đạt” không được lớn hơn “Tổng số”."))
    if row.ok and unit is not None and period is not None and indicator is not None:
        row.values = {
            "unit": unit,
            "indicator": indicator,
            "period": period,
            "numerator": numerator,
            "denominator": denominator,
        }
    return row


def check_sheet(sheet: Sheet, *, unit: Unit, viewer: Viewer, today: date | None = None) -> Preview:
    """Every row checked against the database and the officer's scope (`unit`'s subtree)."""
    today = today or timezone.localdate()
    records = sheet.records()
    typed = {r.get("unit_code", "").strip() for _line, r in records} - {""}
    spellings = typed | {c.upper() for c in typed} | {c.lower() for c in typed}
    units = {
        u.code.upper(): u
        for u in units_in_scope(viewer).filter(path__startswith=unit.path, code__in=spellings)
    }
    names = _indicator_lookup()
    rows = [_check_row(line, r, units=units, names=names, today=today) for line, r in records]
    first: dict[tuple[int, str, str], int] = {}
    for row in rows:
        if not row.ok:
            continue
        key = (row.values["unit"].pk, row.values["indicator"], row.values["period"].code)
        if key in first:
            row.errors.append(
                _("Trùng đơn vị, chỉ tiêu và kỳ với dòng %(line)s.") % {"line": first[key]}
            )
        else:
            first[key] = row.line
    preview = importer.preview_of(sheet, rows, kind=FIGURES)
    live = _live_rows([r for r in rows if r.ok])
    if live:
        preview.warnings.append(
            ngettext(
                "%(count)s dòng sẽ thay số liệu đã tính từ hệ thống cho cùng đơn vị, chỉ tiêu và kỳ.",
                "%(count)s dòng sẽ thay số liệu đã tính từ hệ thống cho cùng đơn vị, chỉ tiêu và kỳ.",
                live,
            )
            % {"count": vn_number(live)}
        )
    return preview


def _live_rows(rows: list[Row]) -> int:
    if not rows:
        return 0
    periods = {r.values["period"].code for r in rows}
    stored = set(
        IndicatorFigure.objects.filter(
            period__in=periods,
            unit_id__in={r.values["unit"].pk for r in rows},
            source="live",
        ).values_list("unit_id", "indicator", "period")
    )
    return sum(
        (r.values["unit"].pk, r.values["indicator"], r.values["period"].code) in stored
        for r in rows
    )


def import_figures(
    *, actor: Any, sheet: Sheet, unit: Unit, viewer: Viewer, valid_only: bool = False
) -> ImportResult:
    """Store the sheet's figures as imported, in one transaction; nothing is written while a
    row is wrong unless `valid_only`."""
    if viewer is not None and not can_manage_unit(viewer, unit):
        raise ValidationError(_("Bạn không quản lý đơn vị này."))
    preview = check_sheet(sheet, unit=unit, viewer=viewer)

    def write(row: Row) -> IndicatorFigure | None:
        v = row.values
        return services.figure_import(
            indicator=v["indicator"],
            unit=v["unit"],
            period=v["period"],
            numerator=v["numerator"],
            denominator=v["denominator"],
            actor=actor,
        )

    return importer.apply(
        preview, kind=FIGURES, actor=actor, valid_only=valid_only, write=write, target=unit
    )


def template_xlsx(*, unit: Unit) -> bytes:
    """A sheet with the recognised headers and example rows, for officers to fill in."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["STT", "Mã đơn vị", "Đơn vị", "Chỉ tiêu", "Kỳ", "Số đạt", "Tổng số"])
    sheet.append([1, unit.code, unit.name, "members_reached", "2024", 850, 1000])
    sheet.append([2, unit.code, unit.name, "orientation_documents", "2024", 3, None])
    codes = book.create_sheet("Mã chỉ tiêu")
    codes.append(["Mã", "Chỉ tiêu", "Tính theo"])
    for ind in indicators.all_indicators():
        codes.append([ind.code, str(ind.name), str(ind.unit_label)])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
