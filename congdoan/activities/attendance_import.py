"""Attendance from a sheet (XLSX or CSV): the attendance kind of `congdoan.core.importer`.

The officer uploads the sign-in sheet of one activity; each row names a person by card
number, phone or full name (any of them). A row is matched to a member of the activity's unit
(or a unit under it), in that order: the card number, else the phone, else the name without
diacritics when only one member bears it. Nothing is dropped silently: the preview lists, with
their row numbers, the people not found, the names borne by several members, the rows naming
a person already named on an earlier row, and a member already marked present (a valid row that
writes nothing). Applying writes the rows through `services.attendance_add` (source "sheet")
with one audit entry ("activities.attendance.import") with the counts.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook

from congdoan.activities import rules
from congdoan.activities.models import Activity, Attendance, AttendanceSource
from congdoan.activities.services import attendance_add
from congdoan.audit.services import audit_record
from congdoan.core import importer
from congdoan.core.importer import ImportResult, Kind, Preview, Row, Sheet, SheetError
from congdoan.core.phones import normalize_phone
from congdoan.core.vndate import vn_number, vn_short_date
from congdoan.orgs.models import Member
from congdoan.orgs.scoping import Viewer
from congdoan.text import fold

__all__ = [
    "ATTENDANCE",
    "HEADINGS",
    "SheetError",
    "check_sheet",
    "column_labels",
    "import_attendance",
    "match_people",
]

FIELDS = ("full_name", "card_number", "phone", "unit_name")

HEADINGS: dict[str, str] = {
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "ten": "full_name",
    "ten dai bieu": "full_name",
    "so the doan vien": "card_number",
    "so the dv": "card_number",
    "so the": "card_number",
    "so dien thoai": "phone",
    "dien thoai": "phone",
    "sdt": "phone",
    "don vi": "unit_name",
    "to": "unit_name",
    "bo phan": "unit_name",
    "stt": "",
    "so thu tu": "",
    "ky ten": "",
    "chu ky": "",
    "ghi chu": "",
    "full name": "full_name",
    "card number": "card_number",
    "phone number": "phone",
    "unit": "unit_name",
    "no": "",
}


def _refused(count: int) -> str:
    return ngettext(
        "Tệp còn %(count)s dòng lỗi; chưa ghi người tham dự nào. Hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.",
        "Tệp còn %(count)s dòng lỗi; chưa ghi người tham dự nào. Hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.",
        count,
    ) % {"count": vn_number(count)}


def _no_header(headers: list[str]) -> str:
    return _(
        "Không tìm thấy cột “Họ và tên” trong dòng tiêu đề. Các cột nhận được: %(headers)s."
    ) % {"headers": ", ".join(h for h in headers if h) or "—"}


ATTENDANCE = Kind(
    name="activities.attendance",
    headings=HEADINGS,
    fields=FIELDS,
    required=("full_name",),
    max_rows=lambda: int(settings.ORGS_IMPORT_MAX_ROWS),
    max_bytes=lambda: int(settings.ORGS_IMPORT_MAX_BYTES),
    no_header=_no_header,
    no_rows=lambda: _("Tệp chỉ có dòng tiêu đề, chưa có người tham dự nào."),
    refused=_refused,
    audit_action="activities.attendance.import",
    audit=audit_record,
    header_rows=8,  # a sign-in sheet has the activity's title and date above its header
    formulas=True,
)


def column_labels(columns: list[str]) -> list[str]:
    labels = {
        "full_name": _("Họ và tên"),
        "card_number": _("Số thẻ đoàn viên"),
        "phone": _("Số điện thoại"),
        "unit_name": _("Đơn vị, tổ"),
        "certificate_number": _("Số chứng nhận"),
    }
    return [str(labels.get(c, c)) for c in columns]


TEMPLATE_HEADERS = ["STT", "Họ và tên", "Số thẻ đoàn viên", "Số điện thoại", "Đơn vị, tổ", "Ký tên"]


def template_xlsx(*, activity: Activity) -> bytes:
    """A sign-in sheet to print: the activity's title and date above the recognised headings."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Điểm danh"
    sheet.append([activity.title])
    sheet.append([_("Ngày %(d)s") % {"d": vn_short_date(activity.held_on)}])
    sheet.append(TEMPLATE_HEADERS)
    for column, width in zip("ABCDEF", (6, 30, 18, 16, 20, 14), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def preview_key(activity: Activity) -> str:
    """What the stored preview is kept under: the activity, not only its unit."""
    return f"{activity.unit.code}#{activity.pk}"


def check_sheet(sheet: Sheet, *, activity: Activity) -> Preview:
    """Match every row of `sheet` to a member of the activity's unit (or under it)."""
    members = Member.objects.filter(unit__path__startswith=activity.unit.path, left_on=None)
    present = set(Attendance.objects.filter(activity=activity).values_list("member_id", flat=True))
    preview = match_people(sheet, kind=ATTENDANCE, members=members, present=present)
    already = sum(1 for r in preview.rows if r.ok and r.values.get("already"))
    if already:
        preview.warnings.append(
            ngettext(
                "%(n)s người trong tệp đã được điểm danh trước đó; không ghi lại.",
                "%(n)s người trong tệp đã được điểm danh trước đó; không ghi lại.",
                already,
            )
            % {"n": vn_number(already)}
        )
    return preview


def match_people(
    sheet: Sheet, *, kind: Kind, members: QuerySet[Member], present: set[int]
) -> Preview:
    """Each row of `sheet` matched to one of `members` (card, else phone, else the name when
    only one bears it), a person named twice flagged on the later row, and `already` set on
    the rows of people in `present`."""
    raws = sheet.records()
    cards = {r.get("card_number", "").replace(" ", "") for _l, r in raws} - {""}
    by_card = {
        m.card_number: m.pk
        for m in members.filter(card_number__in=cards).only("pk", "card_number")
        if m.card_number
    }
    phones = {p for _l, r in raws if (p := normalize_phone(r.get("phone", "").strip() or "x"))}
    by_phone: dict[str, list[int]] = {}
    for pk, phone in members.filter(phone__in=phones).values_list("pk", "phone"):
        by_phone.setdefault(phone, []).append(pk)
    names = {fold(" ".join(r.get("full_name", "").split())) for _l, r in raws} - {""}
    by_name: dict[str, list[int]] = {}
    for pk, folded in members.filter(name_folded__in=names).values_list("pk", "name_folded"):
        by_name.setdefault(folded, []).append(pk)

    rows: list[Row] = []
    first_line: dict[int, int] = {}
    for line, raw in raws:
        row = _match(line, raw, by_card=by_card, by_phone=by_phone, by_name=by_name)
        member_id = row.values.get("member_id")
        if member_id is not None:
            if member_id in first_line:
                row.errors.append(
                    _("Trùng: người này đã có ở dòng %(line)s của tệp.")
                    % {"line": first_line[member_id]}
                )
            else:
                first_line[member_id] = line
                row.values["already"] = member_id in present
        rows.append(row)
    preview = importer.preview_of(sheet, rows, kind=kind)
    for row, (_line, raw) in zip(rows, raws, strict=True):
        row.cells = [raw.get(c, "") for c in preview.columns]
    return preview


def _match(
    line: int,
    raw: dict[str, str],
    *,
    by_card: dict[str, int],
    by_phone: dict[str, list[int]],
    by_name: dict[str, list[int]],
) -> Row:
    row = Row(line=line)
    if any(text.startswith("=") for text in raw.values()):
        row.errors.append(_("Dòng có ô chứa công thức; hãy dán dạng giá trị."))
        return row
    name = " ".join(raw.get("full_name", "").split())
    card = raw.get("card_number", "").replace(" ", "")
    phone_text = raw.get("phone", "").strip()
    if not (name or card or phone_text):
        row.errors.append(_("Dòng trống: không có tên, số thẻ hay số điện thoại."))
        return row
    if card:
        if card in by_card:
            row.values["member_id"] = by_card[card]
            return row
        row.errors.append(
            _("Không tìm thấy đoàn viên có số thẻ %(card)s trong đơn vị.") % {"card": card}
        )
        return row
    if phone_text:
        phone = normalize_phone(phone_text)
        found = by_phone.get(phone or "", [])
        if len(found) == 1:
            row.values["member_id"] = found[0]
            return row
    found = by_name.get(fold(name), []) if name else []
    if len(found) == 1:
        row.values["member_id"] = found[0]
    elif len(found) > 1:
        row.errors.append(
            ngettext(
                "Có %(n)s đoàn viên cùng tên “%(name)s”: hãy ghi thêm số thẻ hoặc số điện thoại.",
                "Có %(n)s đoàn viên cùng tên “%(name)s”: hãy ghi thêm số thẻ hoặc số điện thoại.",
                len(found),
            )
            % {"n": len(found), "name": name}
        )
    else:
        row.errors.append(
            _("Không tìm thấy “%(name)s” trong danh sách đoàn viên của đơn vị.")
            % {"name": name or phone_text}
        )
    return row


def import_attendance(
    *, actor: Viewer, sheet: Sheet, activity: Activity, valid_only: bool = False
) -> ImportResult:
    """Mark the sheet's people present, in one transaction; nothing is written while a row is
    wrong unless `valid_only` (the wrong rows are then skipped, counted and their numbers kept in
    the audit entry)."""
    if actor is not None and not rules.can_record_for(actor, activity.unit):
        raise PermissionDenied
    preview = check_sheet(sheet, activity=activity)

    def write(row: Row) -> Any | None:
        if row.values.get("already"):
            return None
        added = attendance_add(
            actor=actor,
            activity=activity,
            member_ids=[row.values["member_id"]],
            source=AttendanceSource.SHEET,
            audit=False,
        )
        return row.values["member_id"] if added else None

    return importer.apply(
        preview, kind=ATTENDANCE, actor=actor, valid_only=valid_only, write=write, target=activity
    )
