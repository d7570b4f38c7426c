"""/theo-doi/: the narratives of the viewer's scope, riskiest first, with the counts by status
and the month's figures; /theo-doi/bao-cao/: the monthly indicators by unit, as a page, CSV
and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from congdoan.audit.services import audit_record
from congdoan.core import charts
from congdoan.monitoring import selectors
from congdoan.monitoring.forms import NarrativeFilterForm, ReportForm
from congdoan.monitoring.models import NarrativeStatus
from congdoan.monitoring.views.common import query_without_page
from congdoan.orgs.rules import officer_required
from congdoan.orgs.scoping import units_in_scope

TARGET_SHARE = selectors.HANDLED_TARGET  # the plan: at least 80 % of what is detected is handled


@officer_required
def index(request: HttpRequest) -> HttpResponse:
    form = NarrativeFilterForm(request.GET or None, units=units_in_scope(request.user))
    f = form.values()
    narratives = selectors.narratives_for(
        request.user,
        status=f["status"],
        q=f["q"],
        min_risk=f["min_risk"],
        unit=f["unit"],
        need=f["need"],
    )
    counts = selectors.status_counts(request.user)
    by_status = [(value, label, counts.get(value, 0)) for value, label in NarrativeStatus.choices]
    page = Paginator(narratives, 30).get_page(request.GET.get("page"))
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "monitoring/_narratives.html",
            {"page_obj": page, "query": query_without_page(request)},
        )
    today = timezone.localdate()
    return render(
        request,
        "monitoring/index.html",
        {
            "form": form,
            "page_obj": page,
            "by_status": by_status,
            "open_count": counts.get("open", 0),
            "month": selectors.month_figures(request.user, year=today.year, month=today.month),
            "month_start": today.replace(day=1),
            "query": query_without_page(request),
            "nav": "index",
        },
    )


# -- the monthly report --------------------------------------------------------------------


def report_rows(request: HttpRequest, year: int) -> list[dict[str, Any]]:
    """`selectors.monthly` as the page and the exports show it: the scope's line of each month
    first (no unit), then one line per unit."""
    return [
        {
            "month": date(row.year, row.month, 1),
            "unit": row.unit,
            "unit_name": row.unit.name if row.unit is not None else _("Toàn bộ phạm vi"),
            "detected": row.detected,
            "handled": row.handled,
            "responded": row.responded,
            "share": row.share,
            "met": bool(row.met),
            "median_hours": row.median_hours,
        }
        for row in selectors.monthly(request.user, year)
    ]


def _month_label(month: date) -> str:
    return f"{month.month:02d}/{month.year}"


@officer_required
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.GET or None)
    year = form.year_value()
    rows = report_rows(request, year)
    this_year = timezone.localdate().year
    return render(
        request,
        "monitoring/report.html",
        {
            "form": form,
            "year": year,
            "years": list(range(this_year, this_year - 5, -1)),
            "rows": [{**r, "month_label": _month_label(r["month"])} for r in rows],
            "target": TARGET_SHARE,
            "nav": "report",
        },
    )


@officer_required
def report_chart(request: HttpRequest) -> HttpResponse:
    """Detected and handled narratives of the viewer's scope by month of the year (SVG)."""
    year = ReportForm(request.GET or None).year_value()
    rows = {r["month"].month: r for r in report_rows(request, year) if r["unit"] is None}
    last = 12 if year < timezone.localdate().year else timezone.localdate().month
    months = range(1, max(last, max(rows, default=1)) + 1)
    svg = charts.line_chart(
        [f"{m:02d}" for m in months],
        [
            (_("Phát hiện"), [rows[m]["detected"] if m in rows else 0 for m in months]),
            (_("Đã xử lý"), [rows[m]["handled"] if m in rows else 0 for m in months]),
        ],
        title=_("Luồng thông tin phát hiện và đã xử lý theo tháng, năm %(year)s") % {"year": year},
        width=charts.width_for(request.GET, 640),
        height=260,
        # This month is still running: its segment is dashed (its figures will still grow).
        partial_last=months[-1] == timezone.localdate().month and year == timezone.localdate().year,
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _export_table(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    head = [
        _("Tháng"),
        _("Đơn vị"),
        _("Phát hiện"),
        _("Đã xử lý"),
        _("Trong đó đã phản hồi"),
        _("Tỷ lệ xử lý (%)"),
        _("Đạt 80 %"),
        _("Trung vị thời gian đến khi phản hồi (giờ)"),
    ]
    body = [
        [
            _month_label(r["month"]),
            r["unit_name"],
            r["detected"],
            r["handled"],
            r["responded"],
            round(r["share"] * 100, 1) if r["share"] is not None else "",
            (_("Đạt") if r["met"] else _("Chưa đạt")) if r["share"] is not None else "",
            r["median_hours"] if r["median_hours"] is not None else "",
        ]
        for r in rows
    ]
    return head, body


@officer_required
def report_export(request: HttpRequest, fmt: str) -> HttpResponse:
    year = ReportForm(request.GET or None).year_value()
    rows = report_rows(request, year)
    head, body = _export_table(rows)
    audit_record(
        actor=request.user,
        action="monitoring.report.export",
        target=None,
        changes={"year": year, "rows": len(rows), "format": fmt},
    )
    name = f"theo-doi-thong-tin-{year}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(head)
        writer.writerows(body)
        # A BOM, so that Excel opens the Vietnamese letters as UTF-8.
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Theo tháng")[:31]
    sheet.append(head)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in body:
        sheet.append(line)
    for column, width in zip("ABCDEFGH", (10, 44, 11, 11, 12, 14, 10, 22), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer_b = io.BytesIO()
    book.save(buffer_b)
    response = HttpResponse(
        buffer_b.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
