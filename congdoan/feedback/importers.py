"""Paper forms (phiếu tâm tư, nguyện vọng) typed into a spreadsheet, imported as concerns.

The paper-form kind of `congdoan.core.importer` (read → check every row → preview kept on the
server → apply the valid rows, audited); what is the forms' own lives here:

1. `read_sheet` + `preview_sheet` read an XLSX or CSV file (a title may stand above the
   header) and check every row (date, unit, text, anonymity, name, phone) against the same
   rules as the web form, and the officer's scope; nothing is written.
2. `import_sheet` writes the rows in one transaction: refused when any row has an error,
   unless the officer chose to import the valid rows only. Every row becomes a concern of
   channel "import" whose `external_id` is the file's fingerprint and the row number, so
   importing the same file twice creates nothing new.

Columns are found by their heading (accents and case do not matter):
"ngày", "mã đơn vị" (or "đơn vị"), "nội dung", "ẩn danh", "họ tên", "số điện thoại".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congdoan.audit.services import audit_record
from congdoan.core import importer
from congdoan.core.importer import ImportResult, Kind, Preview, Row, Sheet
from congdoan.core.phones import normalize_phone
from congdoan.core.vndate import vn_number
from congdoan.feedback.models import Channel, Concern
from congdoan.feedback.services import clean_text, concern_submit
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import can_manage_unit
from congdoan.orgs.scoping import Viewer
from congdoan.text.vietnamese import fold

logger = logging.getLogger("congdoan.feedback.importers")

MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024
OLDEST_YEAR = 2000

# Folded heading → field. The first matching column wins.
HEADINGS: dict[str, str] = {
    "ngay": "date",
    "ngay gui": "date",
    "ngay viet": "date",
    "ngay nhan": "date",
    "ma don vi": "unit",
    "don vi": "unit",
    "ma cong doan": "unit",
    "cong doan co so": "unit",
    "noi dung": "text",
    "y kien": "text",
    "noi dung y kien": "text",
    "an danh": "anonymous",
    "ho ten": "name",
    "ho va ten": "name",
    "nguoi gui": "name",
    "so dien thoai": "phone",
    "dien thoai": "phone",
    "sdt": "phone",
    "so dt": "phone",
}
REQUIRED = ("text",)
FIELDS = ("date", "unit", "text", "anonymous", "name", "phone")

_YES = {"co", "x", "1", "yes", "y", "true", "c", "an danh", "v"}
_NO = {"khong", "0", "no", "n", "false", "k", "ko"}


def _refused(count: int) -> str:
    return ngettext(
        "Tệp có %(n)s dòng lỗi; chưa nhập dòng nào. Sửa tệp hoặc chọn chỉ nhập các dòng hợp lệ.",
        "Tệp có %(n)s dòng lỗi; chưa nhập dòng nào. Sửa tệp hoặc chọn chỉ nhập các dòng hợp lệ.",
        count,
    ) % {"n": vn_number(count)}


def _no_header(headers: list[str]) -> str:
    return _(
        "Không tìm thấy dòng tiêu đề có cột “Nội dung”. Các cột nhận: Ngày, Mã đơn vị, "
        "Nội dung, Ẩn danh, Họ tên, Số điện thoại."
    )


def _audit_changes(preview: Preview, result: ImportResult) -> dict[str, Any]:
    rows = preview.valid_rows
    return {
        "file": preview.sheet.filename,
        "fingerprint": preview.sheet.fingerprint,
        "rows": len(preview.rows),
        "created": result.created,
        "already": result.already,
        "skipped_invalid": result.skipped,
        "units": sorted({r.values["unit_code"] for r in rows if r.values["unit_code"]}),
    }


PAPER_FORMS = Kind(
    name="feedback.paper_forms",
    headings=HEADINGS,
    fields=FIELDS,
    required=REQUIRED,
    # Module globals read at each call (tests lower them).
    max_rows=lambda: MAX_ROWS,
    max_bytes=lambda: MAX_BYTES,
    no_header=_no_header,
    no_rows=lambda: _("Tệp không có dòng ý kiến nào dưới dòng tiêu đề."),
    refused=_refused,
    audit_action="feedback.import",
    audit=audit_record,
    audit_changes=_audit_changes,
    header_rows=10,  # paper forms often have a title (and a blank line) above the header
)


def read_sheet(name: str, data: bytes) -> Sheet:
    """Rows of an .xlsx or .csv file with their column map; SheetError with a Vietnamese reason."""
    return importer.read_sheet(data, name, kind=PAPER_FORMS)


# -- checking ----------------------------------------------------------------------------------


def _parse_anonymous(value: str) -> bool | None:
    raw = " ".join(fold(value).split())
    if raw == "":
        return True  # workers stay anonymous unless the form says otherwise
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    return None


def preview_sheet(
    sheet: Sheet, *, default_unit: Unit | None, may_use: Callable[[Unit], bool]
) -> Preview:
    """Check every row; `may_use(unit)` says whether the importer may write into that unit.

    Each row's values: text, unit, unit_code, when (the form's date or None), is_anonymous,
    name, phone.
    """
    records = sheet.records()
    codes = {raw["unit"].upper() for _line, raw in records if raw.get("unit")}
    units = {u.code.upper(): u for u in Unit.objects.filter(code__in=_case_variants(codes))}
    for code in sorted(codes - set(units))[:200]:  # codes typed in another case
        found = Unit.objects.filter(code__iexact=code).first()
        if found is not None:
            units[code] = found
    allowed: dict[int, bool] = {}
    rows = [
        _check_row(
            line, raw, units=units, default_unit=default_unit, allowed=allowed, may_use=may_use
        )
        for line, raw in records
    ]
    return importer.preview_of(sheet, rows, kind=PAPER_FORMS)


def _check_row(
    line: int,
    raw: dict[str, str],
    *,
    units: dict[str, Unit],
    default_unit: Unit | None,
    allowed: dict[int, bool],
    may_use: Callable[[Unit], bool],
) -> Row:
    row = Row(line=line)
    values: dict[str, Any] = {
        "text": "",
        "unit": None,
        "unit_code": "",
        "when": None,
        "is_anonymous": True,
        "name": "",
        "phone": "",
    }
    try:
        values["text"] = clean_text(raw.get("text", ""))
    except ValidationError as exc:
        row.errors.extend(exc.messages)
    code = raw.get("unit", "")
    if code:
        values["unit_code"] = code
        unit = units.get(code.upper())
        if unit is None or not _allowed(allowed, unit, may_use):
            row.errors.append(
                _("Mã đơn vị “%(code)s” không có hoặc bạn không quản lý đơn vị này.")
                % {"code": code}
            )
        elif not unit.is_active:
            row.errors.append(_("Đơn vị “%(code)s” đã ngừng hoạt động.") % {"code": code})
        else:
            values["unit"] = unit
    elif default_unit is not None:
        values["unit"] = default_unit
        values["unit_code"] = default_unit.code
    else:
        row.errors.append(_("Thiếu mã đơn vị (và chưa chọn đơn vị mặc định)."))
    raw_date = raw.get("date", "")
    if raw_date:
        when = importer.parse_date(raw_date)
        if when is None:
            row.errors.append(
                _("Ngày “%(value)s” không đúng dạng ngày/tháng/năm.") % {"value": raw_date}
            )
        else:
            values["when"] = when
            if when > timezone.localdate():
                row.errors.append(
                    _("Ngày %(value)s ở tương lai.") % {"value": when.strftime("%d/%m/%Y")}
                )
            elif when.year < OLDEST_YEAR:
                row.errors.append(
                    _("Ngày %(value)s quá cũ.") % {"value": when.strftime("%d/%m/%Y")}
                )
    anonymous = _parse_anonymous(raw.get("anonymous", ""))
    if anonymous is None:
        row.errors.append(
            _("Cột “Ẩn danh” chỉ nhận “có” hoặc “không”, không nhận “%(value)s”.")
            % {"value": raw.get("anonymous", "")}
        )
    else:
        values["is_anonymous"] = anonymous
    values["name"] = " ".join(raw.get("name", "").split())[:120]
    raw_phone = raw.get("phone", "")
    if raw_phone:
        phone = normalize_phone(raw_phone)
        if phone is None:
            row.errors.append(_("Số điện thoại “%(value)s” không hợp lệ.") % {"value": raw_phone})
        else:
            values["phone"] = phone
    row.values = values
    return row


def _case_variants(codes: Iterable[str]) -> list[str]:
    out: list[str] = []
    for code in codes:
        out.extend({code, code.upper(), code.lower()})
    return out


def _allowed(cache: dict[int, bool], unit: Unit, may_use: Callable[[Unit], bool]) -> bool:
    if unit.pk not in cache:
        cache[unit.pk] = bool(may_use(unit))
    return cache[unit.pk]


def officer_may_use(user: Viewer) -> Callable[[Unit], bool]:
    return lambda unit: can_manage_unit(user, unit)


# -- writing -----------------------------------------------------------------------------------


def import_sheet(*, preview: Preview, actor: Any, valid_only: bool = False) -> ImportResult:
    """Write the rows as concerns (channel "import"); all or nothing unless `valid_only`.

    Raises ValidationError when the sheet has errors and `valid_only` is false, or when no
    row is valid. A row that an earlier import of the same file wrote is counted as
    `already`, not written again.
    """
    tz = timezone.get_current_timezone()
    today = timezone.localdate()

    def write(row: Row) -> Concern | None:
        values = row.values
        external_id = f"phieu:{preview.sheet.fingerprint}:{row.line}"
        if Concern.objects.filter(channel=Channel.IMPORT, external_id=external_id).exists():
            return None
        concern = concern_submit(
            text=values["text"],
            unit=values["unit"],
            channel=Channel.IMPORT.value,
            is_anonymous=values["is_anonymous"],
            contact_name=values["name"],
            contact_phone=values["phone"],
            external_id=external_id,
            actor=actor,
        )
        if values["when"] is not None and values["when"] != today:
            # The form's date is when the worker wrote it; keep it for the statistics.
            when = timezone.make_aware(datetime.combine(values["when"], time(8, 0)), tz)
            Concern.objects.filter(pk=concern.pk).update(created_at=when)
            concern.created_at = when
        return concern

    valid = preview.valid_rows
    return importer.apply(
        preview,
        kind=PAPER_FORMS,
        actor=actor,
        valid_only=valid_only,
        write=write,
        target=valid[0].values["unit"] if valid else None,
    )
