"""The report's figures as XLSX (openpyxl): a sheet "Báo cáo" with the header lines and every
table in order, and a sheet "Số liệu" with the totals (key, label, value) for the level above
to add up."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from congdoan.reports.document import ReportDocument


def _cell(value: Any) -> Any:
    """Numbers stay numbers (an officer adds them up in Excel); no data says so."""
    if value is None:
        return _("chưa có số liệu")
    return value


def render(doc: ReportDocument) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Báo cáo")
    bold = Font(bold=True)
    for line in (doc.issuer, doc.number_line, doc.place_date, doc.type_name, doc.summary):
        sheet.append([line])
    if doc.draft_note:
        sheet.append([doc.draft_note])
    sheet["A4"].font = bold
    for part in doc.parts:
        sheet.append([])
        sheet.append([part.heading])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        for title, _note, tables in part.items:
            sheet.append([title])
            sheet.cell(row=sheet.max_row, column=1).font = bold
            for table in tables:
                if table.caption:
                    sheet.append([table.caption])
                sheet.append(table.columns)
                for c in range(1, len(table.columns) + 1):
                    sheet.cell(row=sheet.max_row, column=c).font = bold
                for row in table.values or table.rows:
                    sheet.append([_cell(v) for v in row])
    sheet.column_dimensions["A"].width = 55
    for col in "BCDE":
        sheet.column_dimensions[col].width = 18
    totals = book.create_sheet(_("Số liệu"))
    totals.append([_("Mã"), _("Nội dung"), _("Số liệu")])
    for item in doc.totals:
        totals.append([item["key"], item["label"], item["value"]])
    totals.column_dimensions["A"].width = 30
    totals.column_dimensions["B"].width = 55
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
