"""XLSX and JSON exports (openpyxl, write-only workbooks so large exports stream in little memory)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from congdoan.feedback.models import Concern

INBOX_HEADERS = [
    "Mã",
    "Ngày gửi",
    "Công đoàn cơ sở",
    "Đơn vị xử lý",
    "Kênh",
    "Nội dung",
    "Nội dung khôi phục dấu",
    "Chủ đề",
    "Mức độ",
    "Sắc thái",
    "Trạng thái",
    "Ẩn danh",
    "Họ tên",
    "Số điện thoại",
    "Zalo",
    "Hạn trả lời",
    "Ngày trả lời",
    "Đúng hạn",
    "Mức hài lòng",
    "Nhóm trùng lặp",
]


def _local(value: Any) -> Any:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _safe(text: str) -> str:
    """openpyxl stores a string starting with "=" as a formula: keep a worker's text a text.

    (Other leading characters are stored as plain strings in XLSX; phone numbers keep their +.)
    """
    return "'" + text if text[:1] == "=" else text


def _restoration(concern: Concern) -> str:
    """The restoration as the inbox shows it: as is when the restorer was sure, else
    marked as a suggestion (the worker's own words are the column before)."""
    if not concern.restored_text or concern.restored_text == concern.text:
        return concern.restored_text
    if concern.restoration_is_sure:
        return concern.restored_text
    return f"(gợi ý, chưa chắc chắn) {concern.restored_text}"


def concerns_xlsx(rows: Iterable[Concern]) -> bytes:
    """Rows must come from `selectors.concern_export_rows` (contacts already masked for the viewer)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Ý kiến")
    ws.append(INBOX_HEADERS)
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
                "có" if c.is_anonymous else "không",
                _safe(c.contact_name),
                c.contact_phone,
                _safe(c.contact_zalo_id),
                _local(c.due_at),
                _local(c.answered_at),
                "" if c.answered_on_time is None else ("có" if c.answered_on_time else "không"),
                c.rating or "",
                c.cluster_id or "",
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def records_xlsx(rows: list[dict[str, Any]], sheet: str = "Dữ liệu") -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    headers = list(rows[0].keys()) if rows else ["code"]
    ws.append(headers)
    for r in rows:
        ws.append([_safe(v) if isinstance(v, str) else v for v in (r.get(h) for h in headers)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
