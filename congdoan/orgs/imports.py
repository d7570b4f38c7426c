"""Members from a spreadsheet (XLSX or CSV): the member kind of `congdoan.core.importer`.

The steps are the importer's (read → check every row → preview kept on the server → apply
the valid rows, audited); what is the members' own lives here:

* `MEMBERS`: the headings (accent-insensitive, "STT" ignored), limits and messages;
* `check_sheet(sheet, unit=…, viewer=…)`: each row's name, gender, dates, card number (unique
  in the sheet and in the database), phone, e-mail and unit (in the importer's scope) → a
  `Preview`;
* `import_members(actor=…, sheet=…, unit=…, viewer=…, valid_only=…)`: checks the sheet again
  (the database may have changed since the preview) and creates the members through
  `member_create`, one audit entry ("member.import") with the counts;
* `template_xlsx(unit=…)`: the blank sheet officers fill in.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congdoan.audit.services import audit_record
from congdoan.core import importer
from congdoan.core.importer import ImportResult, Kind, Preview, Row, Sheet, SheetError
from congdoan.core.phones import normalize_phone
from congdoan.core.vndate import vn_number
from congdoan.orgs.models import Gender, Member, Unit
from congdoan.orgs.rules import can_manage_unit
from congdoan.orgs.scoping import Viewer
from congdoan.orgs.services import member_create
from congdoan.text import fold

FIELDS = [
    "full_name",
    "gender",
    "date_of_birth",
    "joined_on",
    "card_number",
    "phone",
    "email",
    "unit_code",
]

# Folded header text → field. "stt" (row number) is recognised and ignored.
HEADER_ALIASES: dict[str, str] = {
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "ten doan vien": "full_name",
    "gioi tinh": "gender",
    "ngay sinh": "date_of_birth",
    "ngay thang nam sinh": "date_of_birth",
    "ngay vao cong doan": "joined_on",
    "ngay vao cd": "joined_on",
    "ngay ket nap": "joined_on",
    "so the doan vien": "card_number",
    "so the dv": "card_number",
    "so the": "card_number",
    "so dien thoai": "phone",
    "dien thoai": "phone",
    "sdt": "phone",
    "email": "email",
    "e mail": "email",
    "thu dien tu": "email",
    "ma don vi": "unit_code",
    "stt": "",
    "so thu tu": "",
    # The column names as the English page lists them (column_labels in English).
    "full name": "full_name",
    "gender": "gender",
    "date of birth": "date_of_birth",
    "date joined the union": "joined_on",
    "membership card number": "card_number",
    "phone number": "phone",
    "unit code": "unit_code",
    "no": "",
}

GENDERS: dict[str, str] = {
    "nam": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "nu": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "khac": Gender.OTHER,
    "other": Gender.OTHER,
}


def max_rows() -> int:
    return int(settings.ORGS_IMPORT_MAX_ROWS)


def max_bytes() -> int:
    return int(settings.ORGS_IMPORT_MAX_BYTES)


def _refused(count: int) -> str:
    return ngettext(
        "Tệp còn %(count)s dòng lỗi; chưa nhập đoàn viên nào. Hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.",
        "Tệp còn %(count)s dòng lỗi; chưa nhập đoàn viên nào. Hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.",
        count,
    ) % {"count": vn_number(count)}


def _no_header(headers: list[str]) -> str:
    return _(
        "Không tìm thấy cột “Họ và tên” trong dòng tiêu đề. Các cột nhận được: %(headers)s."
    ) % {"headers": ", ".join(h for h in headers if h) or "—"}


MEMBERS = Kind(
    name="orgs.members",
    headings=HEADER_ALIASES,
    fields=tuple(FIELDS),
    required=("full_name",),
    max_rows=max_rows,
    max_bytes=max_bytes,
    no_header=_no_header,
    no_rows=lambda: _("Tệp chỉ có dòng tiêu đề, chưa có đoàn viên nào."),
    refused=_refused,
    audit_action="member.import",
    audit=audit_record,
    formulas=True,
)


# --- 0. the blank template ----------------------------------------------------------------

TEMPLATE_HEADERS = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Ngày vào công đoàn",
    "Số thẻ đoàn viên",
    "Số điện thoại",
    "Email",
    "Mã đơn vị",
]


def template_xlsx(*, unit: Unit) -> bytes:
    """A sheet with the recognised headers and one example row, for officers to fill in."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Đoàn viên"
    sheet.append(TEMPLATE_HEADERS)
    sheet.append(
        [1, "Nguyễn Thị Mẫu", "Nữ", "27/11/1990", "01/06/2015", "", "0912 345 678", "", unit.code]
    )
    for column, width in zip("ABCDEFGHI", (6, 28, 10, 14, 20, 18, 16, 26, 14), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- 1. reading the file -------------------------------------------------------------------


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Read an uploaded XLSX or CSV file (header: the first non-empty row; formulas as text)."""
    return importer.read_sheet(data, filename, kind=MEMBERS)


# --- 2. checking the rows -----------------------------------------------------------------


def _card_text(text: str) -> str:
    return text.strip().replace(" ", "")


def _check_row(
    line: int,
    raw: dict[str, str],
    *,
    default_unit: Unit,
    units: dict[str, Unit | None],
) -> Row:
    errors: list[str] = []
    values: dict[str, Any] = {}
    today = timezone.localdate()

    raw = dict(raw)
    for name, text in list(raw.items()):
        if text.startswith("="):
            errors.append(
                _(
                    "Ô “%(column)s” chứa công thức; hãy nhập giá trị (dán dạng giá trị) thay vì công thức."
                )
                % {"column": _column_label(name)}
            )
            raw[name] = ""

    full_name = " ".join(raw.get("full_name", "").split())
    if not full_name:
        errors.append(_("Thiếu họ và tên."))
    elif len(full_name) > 200:
        errors.append(_("Họ và tên quá dài (tối đa 200 ký tự)."))
    values["full_name"] = full_name

    gender_text = raw.get("gender", "").strip()
    if gender_text:
        gender = GENDERS.get(fold(gender_text).strip(" ."))
        if gender is None:
            errors.append(
                _("Giới tính không rõ: “%(value)s” (ghi Nam, Nữ hoặc Khác).")
                % {"value": gender_text}
            )
        else:
            values["gender"] = gender

    for name, label in (("date_of_birth", _("Ngày sinh")), ("joined_on", _("Ngày vào công đoàn"))):
        text = raw.get(name, "").strip()
        if not text:
            continue
        parsed = importer.parse_date(text)
        if parsed is None or parsed.year < 1900 or parsed > today:
            errors.append(
                _("%(label)s không hợp lệ: “%(value)s” (ghi ngày/tháng/năm, ví dụ 27/11/1990).")
                % {"label": label, "value": text}
            )
        else:
            values[name] = parsed
    if (
        values.get("date_of_birth")
        and values.get("joined_on")
        and values["joined_on"] < values["date_of_birth"]
    ):
        errors.append(_("Ngày vào công đoàn trước ngày sinh."))

    card = _card_text(raw.get("card_number", ""))
    if card:
        if len(card) > 30:
            errors.append(_("Số thẻ đoàn viên quá dài (tối đa 30 ký tự)."))
        values["card_number"] = card

    phone_text = raw.get("phone", "").strip()
    if phone_text:
        phone = normalize_phone(phone_text)
        if phone is None:
            errors.append(_("Số điện thoại không hợp lệ: “%(value)s”.") % {"value": phone_text})
        else:
            values["phone"] = phone

    email = raw.get("email", "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("E-mail không hợp lệ: “%(value)s”.") % {"value": raw.get("email", "")})
        else:
            values["email"] = email

    unit: Unit | None = default_unit
    code = raw.get("unit_code", "").strip()
    if code:
        unit = units.get(code)
        if unit is None:
            errors.append(
                _(
                    "Đơn vị “%(code)s” không có, đã ngừng hoạt động hoặc nằm ngoài phạm vi nhập (%(unit)s và các đơn vị trực thuộc)."
                )
                % {"code": code, "unit": default_unit.name}
            )
    values["unit"] = unit
    return Row(line=line, values=values, errors=errors)


def _column_label(name: str) -> str:
    labels = {
        "full_name": _("Họ và tên"),
        "gender": _("Giới tính"),
        "date_of_birth": _("Ngày sinh"),
        "joined_on": _("Ngày vào công đoàn"),
        "card_number": _("Số thẻ đoàn viên"),
        "phone": _("Số điện thoại"),
        "email": _("E-mail"),
        "unit_code": _("Mã đơn vị"),
    }
    return str(labels.get(name, name))


def column_labels(columns: list[str]) -> list[str]:
    return [_column_label(c) for c in columns]


def _units_for_codes(
    codes: set[str], *, default_unit: Unit, viewer: Viewer
) -> dict[str, Unit | None]:
    """Each code → its unit when it is active, under `default_unit` and manageable by `viewer`
    (None: the server's command line, which may import anywhere under `default_unit`)."""
    found: dict[str, Unit | None] = dict.fromkeys(codes)
    for unit in Unit.objects.filter(code__in=codes, is_active=True).select_related("level"):
        if not unit.path.startswith(default_unit.path):
            continue
        if viewer is not None and not can_manage_unit(viewer, unit):
            continue
        found[unit.code] = unit
    return found


def check_sheet(sheet: Sheet, *, unit: Unit, viewer: Viewer) -> Preview:
    """Check every row of `sheet` for an import into `unit` (and its subtree) by `viewer`
    (None: the server's command line)."""
    if not unit.is_active:
        raise SheetError(
            _("Đơn vị %(unit)s đã ngừng hoạt động; không nhập được đoàn viên.")
            % {"unit": unit.name}
        )
    raws = sheet.records()
    codes = {raw["unit_code"].strip() for _line, raw in raws if raw.get("unit_code", "").strip()}
    units = _units_for_codes(codes, default_unit=unit, viewer=viewer)
    rows = [_check_row(line, raw, default_unit=unit, units=units) for line, raw in raws]
    preview = importer.preview_of(sheet, rows, kind=MEMBERS)
    for row, (_line, raw) in zip(rows, raws, strict=True):
        row.cells = [raw.get(c, "") for c in preview.columns]

    # Card numbers: unique within the sheet and against the database (one query).
    first_line: dict[str, int] = {}
    for row in rows:
        card = row.values.get("card_number")
        if not card:
            continue
        if card in first_line:
            row.errors.append(
                _("Số thẻ đoàn viên %(card)s trùng với dòng %(line)s của tệp.")
                % {"card": card, "line": first_line[card]}
            )
        else:
            first_line[card] = row.line
    taken = set(
        Member.objects.filter(card_number__in=list(first_line)).values_list(
            "card_number", flat=True
        )
    )
    for row in rows:
        card = row.values.get("card_number")
        if card and card in taken and first_line.get(card) == row.line:
            row.errors.append(
                _("Số thẻ đoàn viên %(card)s đã có trong cơ sở dữ liệu.") % {"card": card}
            )
    return preview


# --- 3. writing -----------------------------------------------------------------------------


def import_members(
    *, actor: Any, sheet: Sheet, unit: Unit, viewer: Viewer, valid_only: bool = False
) -> ImportResult:
    """Create the sheet's members in one transaction; nothing is written if a row is wrong,
    unless `valid_only` (then the wrong rows are skipped and counted)."""
    if viewer is not None and not can_manage_unit(viewer, unit):
        raise ValidationError(_("Bạn không quản lý đơn vị này."))
    preview = check_sheet(sheet, unit=unit, viewer=viewer)

    def write(row: Row) -> Member:
        fields = {k: v for k, v in row.values.items() if k not in ("full_name", "unit")}
        return member_create(
            actor=actor,
            unit=row.values["unit"],
            full_name=row.values["full_name"],
            audit=False,
            **fields,
        )

    return importer.apply(
        preview, kind=MEMBERS, actor=actor, valid_only=valid_only, write=write, target=unit
    )
