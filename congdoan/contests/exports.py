"""A contest's results as an XLSX workbook: the ranking (rank, name, unit, score, prediction,
time, prize, flags) and the table of units; only the rows the viewer may see (the caller
passes the scoped rows from `selectors`)."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from congdoan.contests.models import Contest, ReviewOutcome
from congdoan.contests.selectors.results import RankRow, UnitRow


def _bold_header(sheet: object) -> None:
    for cell in sheet[1]:  # type: ignore[index]
        cell.font = Font(bold=True)


def results_xlsx(
    contest: Contest, rows: Iterable[RankRow], units: Iterable[UnitRow], *, actual: int
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Xếp hạng")[:31]
    sheet.append(
        [
            _("Hạng"),
            _("Họ và tên"),
            _("Đơn vị"),
            _("Vòng"),
            _("Điểm"),
            _("Điểm tối đa"),
            _("Dự đoán"),
            _("Chênh lệch dự đoán"),
            _("Thời gian (giây)"),
            _("Nộp bài lúc"),
            _("Giải"),
            _("Bị đánh dấu"),
            _("Xem xét"),
        ]
    )
    _bold_header(sheet)
    reviews = dict(ReviewOutcome.choices)
    for r in rows:
        finished = timezone.localtime(r.finished_at).replace(tzinfo=None) if r.finished_at else None
        sheet.append(
            [
                r.rank,
                r.full_name,
                r.unit_name,
                r.round_number,
                r.score,
                r.max_score,
                r.prediction,
                r.distance,
                round(r.duration_ms / 1000, 1),
                finished,
                r.prize.name if r.prize else "",
                _("Có") if r.flagged else "",
                str(reviews.get(r.review, "")) if r.review else "",
            ]
        )
    for cell in sheet["J"][1:]:
        cell.number_format = "DD/MM/YYYY HH:MM:SS"
    for column, width in zip(
        "ABCDEFGHIJKLM", (7, 28, 32, 7, 7, 10, 10, 12, 12, 20, 18, 10, 16), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.append([])
    sheet.append(
        [_("Số người trả lời đúng tất cả các câu (đáp án câu hỏi dự đoán): %(n)s") % {"n": actual}]
    )

    per_unit = book.create_sheet(_("Theo đơn vị")[:31])
    per_unit.append(
        [
            _("Đơn vị"),
            _("Số đoàn viên"),
            _("Số người dự thi"),
            _("Tỷ lệ (%)"),
            _("Điểm trung bình"),
            _("Giải"),
        ]
    )
    _bold_header(per_unit)
    for u in units:
        per_unit.append(
            [
                u.unit.name,
                u.members,
                u.participants,
                round(u.rate, 1),
                round(u.average_score, 2),
                u.prize.name if u.prize else "",
            ]
        )
    per_unit.column_dimensions["A"].width = 40
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
