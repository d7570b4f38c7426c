"""Who attended a training session, from its sign-in sheet (XLSX or CSV), with certificates.

The same steps and matching as the activities' sheet (`attendance_import.match_people`: card,
else phone, else the name without diacritics when one member of the organising unit's subtree
bears it), plus a "Số chứng nhận" column: a certificate number given twice in the sheet, or
already given to someone else, is an error on its row. A person already written in for the
session is valid: the row writes the certificate number, if any. Written through
`services.training_attendance_set`, one audit entry ("activities.training.import").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congdoan.activities import rules
from congdoan.activities.attendance_import import HEADINGS, match_people
from congdoan.activities.models import TrainingAttendance, TrainingSession
from congdoan.activities.services import training_attendance_set
from congdoan.audit.services import audit_record
from congdoan.core import importer
from congdoan.core.importer import ImportResult, Kind, Preview, Row, Sheet
from congdoan.core.vndate import vn_number
from congdoan.orgs.models import Member
from congdoan.orgs.scoping import Viewer


def _refused(count: int) -> str:
    return ngettext(
        "Tệp còn %(count)s dòng lỗi; chưa ghi người dự nào. Hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.",
        "Tệp còn %(count)s dòng lỗi; chưa ghi người dự nào. Hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.",
        count,
    ) % {"count": vn_number(count)}


TRAINING = Kind(
    name="activities.training",
    headings={
        **HEADINGS,
        "so chung nhan": "certificate_number",
        "so giay chung nhan": "certificate_number",
        "chung nhan": "certificate_number",
        "certificate number": "certificate_number",
    },
    fields=("full_name", "card_number", "phone", "unit_name", "certificate_number"),
    required=("full_name",),
    max_rows=lambda: int(settings.ORGS_IMPORT_MAX_ROWS),
    max_bytes=lambda: int(settings.ORGS_IMPORT_MAX_BYTES),
    no_header=lambda headers: (
        _("Không tìm thấy cột “Họ và tên” trong dòng tiêu đề. Các cột nhận được: %(headers)s.")
        % {"headers": ", ".join(h for h in headers if h) or "—"}
    ),
    no_rows=lambda: _("Tệp chỉ có dòng tiêu đề, chưa có người dự nào."),
    refused=_refused,
    audit_action="activities.training.import",
    audit=audit_record,
    header_rows=8,
    formulas=True,
)


def preview_key(session: TrainingSession) -> str:
    return f"{session.unit.code}#T{session.pk}"


def check_sheet(sheet: Sheet, *, session: TrainingSession) -> Preview:
    members = Member.objects.filter(unit__path__startswith=session.unit.path, left_on=None)
    present = set(session.attendances.values_list("member_id", flat=True))
    preview = match_people(sheet, kind=TRAINING, members=members, present=present)
    numbers: dict[str, int] = {}
    for row, (_line, raw) in zip(preview.rows, sheet.records(), strict=True):
        number = " ".join(raw.get("certificate_number", "").split())[:40]
        row.values["certificate_number"] = number
        if not number:
            continue
        if number in numbers:
            row.errors.append(
                _("Số chứng nhận %(n)s trùng với dòng %(line)s.")
                % {"n": number, "line": numbers[number]}
            )
        else:
            numbers[number] = row.line
    owners = {
        number: (session_id, member_id)
        for number, session_id, member_id in TrainingAttendance.objects.filter(
            certificate_number__in=list(numbers)
        ).values_list("certificate_number", "session_id", "member_id")
    }
    for row in preview.rows:
        number = row.values["certificate_number"]
        owner = owners.get(number) if number else None
        if owner is None or owner == (session.pk, row.values.get("member_id")):
            continue
        if owner[1] == row.values.get("member_id"):
            row.errors.append(
                _("Số chứng nhận %(n)s đã cấp cho người này ở một buổi tập huấn khác.")
                % {"n": number}
            )
        else:
            row.errors.append(_("Số chứng nhận %(n)s đã cấp cho người khác.") % {"n": number})
    return preview


def import_training(
    *, actor: Viewer, sheet: Sheet, session: TrainingSession, valid_only: bool = False
) -> ImportResult:
    if actor is not None and not rules.can_record_for(actor, session.unit):
        raise PermissionDenied
    preview = check_sheet(sheet, session=session)
    members = {
        m.pk: m
        for m in Member.objects.filter(
            pk__in=[r.values["member_id"] for r in preview.valid_rows]
        ).select_related("unit")
    }

    def write(row: Row) -> Any | None:
        if row.values.get("already") and not row.values.get("certificate_number"):
            return None  # written in before, and no number to add: an empty cell erases nothing
        training_attendance_set(
            actor=actor,
            session=session,
            member=members[row.values["member_id"]],
            certificate_number=row.values.get("certificate_number", ""),
            audit=False,
        )
        return None if row.values.get("already") else row.values["member_id"]

    return importer.apply(
        preview, kind=TRAINING, actor=actor, valid_only=valid_only, write=write, target=session
    )
