"""XLSX and JSON exports (openpyxl, write-only workbooks so large exports stream in little memory)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from congdoan.feedback.models import Concern
from congdoan.feedback.selectors import ConcernView

INBOX_HEADERS = [
    gettext_lazy("Mã"),
    gettext_lazy("Ngày gửi"),
    gettext_lazy("Công đoàn cơ sở"),
    gettext_lazy("Đơn vị xử lý"),
    gettext_lazy("Kênh"),
    gettext_lazy("Nội dung"),
    gettext_lazy("Nội dung khôi phục dấu"),
    gettext_lazy("Chủ đề"),
    gettext_lazy("Mức độ"),
    gettext_lazy("Sắc thái"),
    gettext_lazy("Trạng thái"),
    gettext_lazy("Ẩn danh"),
    gettext_lazy("Họ tên"),
    gettext_lazy("Số điện thoại"),
    "Zalo",
    gettext_lazy("Hạn trả lời"),
    gettext_lazy("Ngày trả lời"),
    gettext_lazy("Đúng hạn"),
    gettext_lazy("Mức hài lòng"),
    gettext_lazy("Nhóm trùng lặp"),
]


def _local(value: Any) -> Any:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _safe(text: str) -> str:
    """openpyxl stores a string starting with "=" as a formula: keep a worker's text a text.

    (Other leading characters are stored as plain strings in XLSX; phone numbers keep their +.)
    """
    return "'" + text if text[:1] == "=" else text


def _restoration(concern: ConcernView | Concern) -> str:
    """The restoration as the inbox shows it: as is when the restorer was sure, else
    marked as a suggestion (the worker's own words are the column before)."""
    if not concern.restored_text or concern.restored_text == concern.text:
        return concern.restored_text
    if concern.restoration_is_sure:
        return concern.restored_text
    return _("(gợi ý, chưa chắc chắn)") + " " + concern.restored_text


def concerns_xlsx(rows: Iterable[ConcernView | Concern]) -> bytes:
    """The inbox as a spreadsheet. Rows come from `selectors.concern_export_rows` (contacts
    already masked for the viewer)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Ý kiến"))
    ws.append([str(h) for h in INBOX_HEADERS])
    yes, no = _("có"), _("không")
    for c in rows:
        ws.append(
            [
                c.code,
                _local(c.created_at),
                c.unit.name if c.unit else "",
                c.assigned_unit.name if c.assigned_unit else "",
                c.get_channel_display(),
                _safe(c.text),
                _safe(_restoration(c)),
                c.get_topic_display() if c.topic else "",
                c.get_urgency_display(),
                c.get_sentiment_display() if c.sentiment else "",
                c.get_status_display(),
                yes if c.is_anonymous else no,
                _safe(c.contact_name),
                c.contact_phone,
                _safe(c.contact_zalo_id),
                _local(c.due_at),
                _local(c.answered_at),
                "" if c.answered_on_time is None else (yes if c.answered_on_time else no),
                c.rating or "",
                c.cluster_id or "",
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# The columns of one contact's data (`selectors.contact_export`): the JSON keeps these keys, the
# spreadsheet heads them in the reader's language.
CONTACT_HEADERS = {
    "code": gettext_lazy("Mã"),
    "created_at": gettext_lazy("Ngày gửi"),
    "channel": gettext_lazy("Kênh"),
    "unit": gettext_lazy("Công đoàn cơ sở"),
    "text": gettext_lazy("Nội dung"),
    "is_anonymous": gettext_lazy("Ẩn danh"),
    "contact_name": gettext_lazy("Họ tên"),
    "contact_phone": gettext_lazy("Số điện thoại"),
    "contact_zalo_id": "Zalo",
    "status": gettext_lazy("Trạng thái"),
    "topic": gettext_lazy("Chủ đề"),
    "answer": gettext_lazy("Trả lời"),
    "rating": gettext_lazy("Mức hài lòng"),
    "photo": gettext_lazy("Ảnh"),
}


def contact_rows_xlsx(rows: list[dict[str, Any]]) -> bytes:
    """One contact's data (rows of `selectors.contact_export`) as a spreadsheet."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Dữ liệu"))
    ws.append([str(h) for h in CONTACT_HEADERS.values()])
    for r in rows:
        ws.append(
            [_safe(v) if isinstance(v, str) else v for v in (r.get(k) for k in CONTACT_HEADERS)]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
