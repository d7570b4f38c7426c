"""The member list as an XLSX sheet (what an officer hands to the upper level or the payroll)."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from congdoan.orgs.models import Member


def members_xlsx(members: Iterable[Member]) -> bytes:
    """One row per member, dates as real dates (day/month/year), in the order given."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Đoàn viên")[:31]
    headers = [
        _("STT"),
        _("Họ và tên"),
        _("Giới tính"),
        _("Ngày sinh"),
        _("Số thẻ đoàn viên"),
        _("Ngày vào công đoàn"),
        _("Ngày thôi sinh hoạt"),
        _("Số điện thoại"),
        _("E-mail"),
        _("Mã đơn vị"),
        _("Đơn vị"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for n, m in enumerate(members, start=1):
        sheet.append(
            [
                n,
                m.full_name,
                m.get_gender_display(),
                m.date_of_birth,
                m.card_number or "",
                m.joined_on,
                m.left_on,
                m.phone,
                m.email,
                m.unit.code,
                m.unit.name,
            ]
        )
    for column in ("D", "F", "G"):
        for cell in sheet[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    for column, width in zip(
        "ABCDEFGHIJK", (6, 28, 10, 12, 18, 14, 14, 15, 24, 12, 36), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
