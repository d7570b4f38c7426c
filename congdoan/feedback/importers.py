"""Paper forms (phiếu tâm tư, nguyện vọng) typed into a spreadsheet, imported as concerns.

Two steps, both pure functions of the file so a view and a command share them:

1. `read_sheet` + `preview_sheet` read an XLSX or CSV file and check every row (date, unit,
   text, anonymity, name, phone) against the same rules as the web form, and the officer's
   scope; nothing is written.
2. `import_sheet` writes the rows in one transaction: refused when any row has an error,
   unless the officer chose to import the valid rows only. Every row becomes a concern of
   channel "import" whose `external_id` is the file's fingerprint and the row number, so
   importing the same file twice creates nothing new.

Columns are found by their heading (accents and case do not matter):
"ngày", "mã đơn vị" (or "đơn vị"), "nội dung", "ẩn danh", "họ tên", "số điện thoại".
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congdoan.audit.services import audit_record
from congdoan.core.phones import normalize_phone
from congdoan.core.sheets import SheetError, blank, read_table
from congdoan.core.vndate import vn_number
from congdoan.feedback.models import Channel, Concern
from congdoan.feedback.services import clean_text, concern_submit
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import can_manage_unit
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

_YES = {"co", "x", "1", "yes", "y", "true", "c", "an danh", "v"}
_NO = {"khong", "0", "no", "n", "false", "k", "ko"}


@dataclass
class Sheet:
    name: str
    fingerprint: str
    columns: dict[str, int]  # field → column index
    rows: list[tuple[int, list[Any]]]  # (row number as the officer sees it, cells)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (the upload page keeps it in the session until the officer confirms)."""
        return {
            "name": self.name,
            "fingerprint": self.fingerprint,
            "columns": self.columns,
            "rows": [[n, [_jsonable_cell(c) for c in cells]] for n, cells in self.rows],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sheet:
        return cls(
            name=str(data["name"]),
            fingerprint=str(data["fingerprint"]),
            columns={str(k): int(v) for k, v in data["columns"].items()},
            rows=[(int(n), list(cells)) for n, cells in data["rows"]],
        )

    def cell(self, cells: list[Any], name: str) -> str:
        return _as_text(_cell(cells, self.columns, name))


def _jsonable_cell(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass
class RowCheck:
    number: int
    text: str = ""
    unit: Unit | None = None
    unit_code: str = ""
    when: date | None = None
    is_anonymous: bool = True
    name: str = ""
    phone: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Preview:
    sheet: Sheet
    rows: list[RowCheck]

    @property
    def valid(self) -> list[RowCheck]:
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self) -> list[RowCheck]:
        return [r for r in self.rows if not r.ok]

    @property
    def has_errors(self) -> bool:
        return any(not r.ok for r in self.rows)


@dataclass
class ImportResult:
    created: int
    already: int
    skipped: int
    concerns: list[Concern]


# -- reading -----------------------------------------------------------------------------------


def read_sheet(name: str, data: bytes) -> Sheet:
    """Rows of an .xlsx or .csv file with their column map; SheetError with a Vietnamese reason."""
    if not data:
        raise SheetError(_("Tệp trống."))
    if not (name.lower().endswith((".xlsx", ".csv", ".txt")) or data[:2] == b"PK"):
        raise SheetError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))
    # Up to 10 rows (a title, the header) may stand above the forms; counted exactly below.
    table = read_table(data, name, max_rows=MAX_ROWS, max_bytes=MAX_BYTES, header_rows=10)
    header_at, columns = _find_header([cells for _, cells in table.rows])
    rows = table.rows[header_at + 1 :]
    if not rows:
        raise SheetError(_("Tệp không có dòng ý kiến nào dưới dòng tiêu đề."))
    if len(rows) > MAX_ROWS:
        raise SheetError(
            ngettext(
                "Tệp có %(n)s dòng; mỗi lần nhập tối đa %(max)s dòng, xin chia nhỏ tệp.",
                "Tệp có %(n)s dòng; mỗi lần nhập tối đa %(max)s dòng, xin chia nhỏ tệp.",
                len(rows),
            )
            % {"n": vn_number(len(rows)), "max": vn_number(MAX_ROWS)}
        )
    return Sheet(
        name=name, fingerprint=hashlib.sha256(data).hexdigest()[:16], columns=columns, rows=rows
    )


def _find_header(table: list[list[Any]]) -> tuple[int, dict[str, int]]:
    """The first of the top rows that names the content column; paper forms often have a title."""
    for index, cells in enumerate(table[:10]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(cells):
            if blank(cell):
                continue
            key = " ".join(fold(str(cell)).replace(".", " ").replace("/", " ").split())
            key = key.rstrip(":* ")
            fieldname = HEADINGS.get(key)
            if fieldname and fieldname not in columns:
                columns[fieldname] = col
        if all(f in columns for f in REQUIRED):
            return index, columns
    raise SheetError(
        _(
            "Không tìm thấy dòng tiêu đề có cột “Nội dung”. Các cột nhận: Ngày, Mã đơn vị, "
            "Nội dung, Ẩn danh, Họ tên, Số điện thoại."
        )
    )


# -- checking ----------------------------------------------------------------------------------


def _cell(cells: list[Any], columns: dict[str, int], name: str) -> Any:
    index = columns.get(name)
    if index is None or index >= len(cells):
        return None
    return cells[index]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> date:
    """A form's date: a spreadsheet date, "27/11/2026", "27-11-26", "2026-11-27"."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = _as_text(value)
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d-%m-%y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


def _parse_anonymous(value: Any) -> bool | None:
    raw = " ".join(fold(_as_text(value)).split())
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
    """Check every row; `may_use(unit)` says whether the importer may write into that unit."""
    codes = {
        _as_text(_cell(cells, sheet.columns, "unit")).upper()
        for _, cells in sheet.rows
        if _as_text(_cell(cells, sheet.columns, "unit"))
    }
    units = {u.code.upper(): u for u in Unit.objects.filter(code__in=_case_variants(codes))}
    for code in sorted(codes - set(units))[:200]:  # codes typed in another case
        found = Unit.objects.filter(code__iexact=code).first()
        if found is not None:
            units[code] = found
    allowed: dict[int, bool] = {}
    today = timezone.localdate()
    checks = []
    for number, cells in sheet.rows:
        row = RowCheck(number=number)
        try:
            row.text = clean_text(_as_text(_cell(cells, sheet.columns, "text")))
        except ValidationError as exc:
            row.errors.extend(exc.messages)
        code = _as_text(_cell(cells, sheet.columns, "unit"))
        if code:
            row.unit_code = code
            unit = units.get(code.upper())
            if unit is None or not _allowed(allowed, unit, may_use):
                row.errors.append(
                    _("Mã đơn vị “%(code)s” không có hoặc bạn không quản lý đơn vị này.")
                    % {"code": code}
                )
            elif not unit.is_active:
                row.errors.append(_("Đơn vị “%(code)s” đã ngừng hoạt động.") % {"code": code})
            else:
                row.unit = unit
        elif default_unit is not None:
            row.unit = default_unit
            row.unit_code = default_unit.code
        else:
            row.errors.append(_("Thiếu mã đơn vị (và chưa chọn đơn vị mặc định)."))
        raw_date = _cell(cells, sheet.columns, "date")
        if not blank(raw_date):
            try:
                row.when = parse_date(raw_date)
            except ValueError:
                row.errors.append(
                    _("Ngày “%(value)s” không đúng dạng ngày/tháng/năm.")
                    % {"value": _as_text(raw_date)}
                )
            else:
                if row.when > today:
                    row.errors.append(
                        _("Ngày %(value)s ở tương lai.") % {"value": row.when.strftime("%d/%m/%Y")}
                    )
                elif row.when.year < OLDEST_YEAR:
                    row.errors.append(
                        _("Ngày %(value)s quá cũ.") % {"value": row.when.strftime("%d/%m/%Y")}
                    )
        anonymous = _parse_anonymous(_cell(cells, sheet.columns, "anonymous"))
        if anonymous is None:
            row.errors.append(
                _("Cột “Ẩn danh” chỉ nhận “có” hoặc “không”, không nhận “%(value)s”.")
                % {"value": _as_text(_cell(cells, sheet.columns, "anonymous"))}
            )
        else:
            row.is_anonymous = anonymous
        row.name = " ".join(_as_text(_cell(cells, sheet.columns, "name")).split())[:120]
        raw_phone = _as_text(_cell(cells, sheet.columns, "phone"))
        if raw_phone:
            phone = normalize_phone(raw_phone)
            if phone is None:
                row.errors.append(
                    _("Số điện thoại “%(value)s” không hợp lệ.") % {"value": raw_phone}
                )
            else:
                row.phone = phone
        checks.append(row)
    return Preview(sheet=sheet, rows=checks)


def _case_variants(codes: Iterable[str]) -> list[str]:
    out: list[str] = []
    for code in codes:
        out.extend({code, code.upper(), code.lower()})
    return out


def _allowed(cache: dict[int, bool], unit: Unit, may_use: Callable[[Unit], bool]) -> bool:
    if unit.pk not in cache:
        cache[unit.pk] = bool(may_use(unit))
    return cache[unit.pk]


def officer_may_use(user: Any) -> Callable[[Unit], bool]:
    return lambda unit: can_manage_unit(user, unit)


# -- writing -----------------------------------------------------------------------------------


@transaction.atomic
def import_sheet(*, preview: Preview, actor: Any, valid_only: bool = False) -> ImportResult:
    """Write the rows as concerns (channel "import"); all or nothing unless `valid_only`.

    Raises ValidationError when the sheet has errors and `valid_only` is false, or when no
    row is valid.
    """
    if preview.has_errors and not valid_only:
        raise ValidationError(
            ngettext(
                "Tệp có %(n)s dòng lỗi; chưa nhập dòng nào. Sửa tệp hoặc chọn chỉ nhập các dòng hợp lệ.",
                "Tệp có %(n)s dòng lỗi; chưa nhập dòng nào. Sửa tệp hoặc chọn chỉ nhập các dòng hợp lệ.",
                len(preview.invalid),
            )
            % {"n": vn_number(len(preview.invalid))}
        )
    rows = preview.valid
    if not rows:
        raise ValidationError(_("Không có dòng hợp lệ nào để nhập."))
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    created: list[Concern] = []
    already = 0
    for row in rows:
        external_id = f"phieu:{preview.sheet.fingerprint}:{row.number}"
        if Concern.objects.filter(channel=Channel.IMPORT, external_id=external_id).exists():
            already += 1
            continue
        concern = concern_submit(
            text=row.text,
            unit=row.unit,
            channel=Channel.IMPORT.value,
            is_anonymous=row.is_anonymous,
            contact_name=row.name,
            contact_phone=row.phone,
            external_id=external_id,
            actor=actor,
        )
        if row.when is not None and row.when != today:
            # The form's date is when the worker wrote it; keep it for the statistics.
            when = timezone.make_aware(datetime.combine(row.when, time(8, 0)), tz)
            Concern.objects.filter(pk=concern.pk).update(created_at=when)
            concern.created_at = when
        created.append(concern)
    units = sorted({r.unit_code for r in rows if r.unit_code})
    first_unit = rows[0].unit
    audit_record(
        actor=actor,
        action="feedback.import",
        target=first_unit,
        unit=first_unit,
        changes={
            "file": preview.sheet.name,
            "fingerprint": preview.sheet.fingerprint,
            "rows": len(preview.rows),
            "created": len(created),
            "already": already,
            "skipped_invalid": len(preview.invalid),
            "units": units,
        },
    )
    return ImportResult(
        created=len(created), already=already, skipped=len(preview.invalid), concerns=created
    )
