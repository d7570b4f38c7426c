"""The one spreadsheet importer: read → check every row → preview → apply the valid rows.

Every import of rows typed into a spreadsheet (members, paper forms today; attendance lists,
question banks and contacts next) follows the same steps, and only the row rules differ:

1. `read_sheet(data, filename, kind=…)` (or `read_upload(file, kind=…)`) reads an XLSX or CSV file through `core.sheets.
   read_table`, turns each cell into clean text (`cell_text`), finds the header row among the
   top `kind.header_rows` rows by its headings (accents, case and punctuation do not matter)
   and returns a `Sheet`: JSON-safe, fingerprinted, with the row numbers the officer sees.
   A file that cannot be read raises `SheetError` with a message for the officer.
2. The kind's own check (in its app: `orgs.imports.check_sheet`, `feedback.importers.
   preview_sheet`) turns each row into a `Row` (values, and errors with messages) against the
   database and the viewer's scope → a `Preview` (valid rows, rows with errors, warnings).
3. On the web, `preview_save` keeps the *sheet* on the server (an `ImportPreview` row with its
   owner, kind, unit and expiry; never in the session), and the preview page checks it again
   each time it is shown (`preview_get`).
4. `preview_apply` claims the stored sheet with a conditional UPDATE (only its owner, only
   once, only before it expires) and, in the same transaction, runs the kind's apply, which
   checks the rows again (the database may have changed) and calls `apply`: every valid row
   written, or nothing while a row is wrong unless the officer chose "valid rows only", and one
   audit entry with the counts. A failed apply rolls the claim back with everything else.

Expired previews are deleted whenever a preview is saved or looked up (`purge_expired`); a
claimed one keeps no rows (its cells are emptied by the claiming UPDATE).

Why our own module and not django-import-export (4.x, on PyPI): that library is built around
model `Resource`s and the admin's import page, keeps its preview in a temporary file or the
cache, and would still need every part that is ours here written as overrides: headings found
without diacritics in a title-topped sheet, Vietnamese per-row messages, rows checked against
the officer's scope, formula and zip-bomb refusals (`core.sheets`), one row written through our
services (audited, side effects on commit). What remains generic is this small module.

This is the floor: it imports no app. The kinds pass in what it must not import (the audit
log's `audit_record`, their services).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.models import ImportPreview
from congdoan.core.sheets import SheetError, read_table, too_many_rows
from congdoan.text import fold

__all__ = [
    "PREVIEW_LIFETIME",
    "ImportResult",
    "Kind",
    "Preview",
    "Row",
    "Sheet",
    "SheetError",
    "StoredPreview",
    "apply",
    "cell_text",
    "clean_text",
    "header_key",
    "match_headers",
    "preview_apply",
    "preview_get",
    "preview_save",
    "purge_expired",
    "read_sheet",
    "read_upload",
]

# Who uploads and confirms (the same type as congdoan.orgs.scoping.Viewer, which the floor
# cannot import).
Owner: TypeAlias = AbstractBaseUser | AnonymousUser | None

# How long an uploaded sheet waits for its confirmation (then it is deleted: personal data).
PREVIEW_LIFETIME = timedelta(hours=12)

# Control characters (C0, DEL, C1) other than tab and line feed, and lone surrogates (which
# cannot be encoded for the database): a spreadsheet cell may hold them (a vertical tab from a
# pasted Word line break, a NUL from a broken export); they are dropped, never stored.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` as stored: NFC, line breaks as "\\n", every control character except tab and
    line feed removed (not only NUL), no surrounding blanks."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def cell_text(value: Any) -> str:
    """A cell as the text an officer reads: Excel dates become ISO dates, whole numbers lose
    their ".0", true/false become 1/0; then `clean_text`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value))


# How officers write a date in a sheet: day first, with /, - or . between; a two-digit year is
# this century; ISO is what `cell_text` makes of a cell the spreadsheet stored as a date.
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%y", "%d.%m.%y")


def parse_date(text: str) -> date | None:
    """A sheet's date: "27/11/2026", "27-11-26", "27.11.2026", "2026-11-27", or an Excel serial
    number (1927…2173) the sheet did not format as a date; None when it is none of these."""
    text = text.strip()
    if re.fullmatch(r"\d{5}", text):
        from openpyxl.utils.datetime import from_excel

        try:
            value = from_excel(int(text))
        except (ValueError, OverflowError):
            return None
        return value.date() if isinstance(value, datetime) else None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def header_key(text: str) -> str:
    """A heading as the kinds' tables spell it: "Số ĐT:" → "so dt", "Ngày/tháng" → "ngay thang"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


@dataclass(frozen=True)
class Kind:
    """One sort of import: its headings, limits and words. The row rules stay in its app."""

    name: str  # stored with each preview: "orgs.members"
    headings: Mapping[str, str]  # header_key → field; "" = known and ignored ("STT")
    fields: tuple[str, ...]  # every field, in the order the preview shows them
    required: tuple[str, ...]  # the header row is the first that has all of these
    max_rows: Callable[[], int]
    max_bytes: Callable[[], int]
    no_header: Callable[[list[str]], str]  # the message when no row has the required headings
    no_rows: Callable[[], str]  # … when nothing stands under the header
    refused: Callable[[int], str]  # … when N rows are wrong and "valid rows only" is not chosen
    audit_action: str
    audit: Callable[..., Any]  # congdoan.audit.services.audit_record (the floor imports no app)
    # The audit entry's changes; by default file, rows, created, skipped, skipped_lines (and
    # already, when an earlier import wrote some rows).
    audit_changes: Callable[[Preview, ImportResult], dict[str, Any]] | None = None
    header_rows: int = 1  # how many rows from the top may hold the header (titles above it)
    formulas: bool = False  # read formulas as their text ("=TODAY()") for the kind to refuse


@dataclass
class Sheet:
    """The rows of one file as text, with its header found; JSON-safe (`to_json`)."""

    filename: str
    fingerprint: str  # the first 16 hex digits of the file's sha256
    headers: list[str]  # the header row as typed
    columns: dict[str, int]  # field → column index
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells)
    warnings: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # headings not recognised

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """Each row as field → text ("" for a missing cell)."""
        return [
            (line, {f: (cells[i] if i < len(cells) else "") for f, i in self.columns.items()})
            for line, cells in self.rows
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "fingerprint": self.fingerprint,
            "headers": self.headers,
            "columns": self.columns,
            "rows": self.rows,
            "warnings": self.warnings,
            "unknown": self.unknown,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Sheet:
        return cls(
            filename=str(data["filename"]),
            fingerprint=str(data["fingerprint"]),
            headers=[str(h) for h in data["headers"]],
            columns={str(k): int(v) for k, v in data["columns"].items()},
            rows=[(int(line), [str(c) for c in cells]) for line, cells in data["rows"]],
            warnings=[str(w) for w in data.get("warnings", [])],
            unknown=[str(u) for u in data.get("unknown", [])],
        )


@dataclass
class Row:
    """One checked row: the values to write, or the reasons it cannot be written."""

    line: int  # the row number the officer sees in the spreadsheet
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)  # the texts as typed, in the preview's columns

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Preview:
    sheet: Sheet
    columns: list[str]  # the kind's fields that the sheet has, in the kind's order
    rows: list[Row]
    warnings: list[str]

    @property
    def valid_rows(self) -> list[Row]:
        return [r for r in self.rows if r.ok]

    @property
    def error_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.ok]

    @property
    def has_errors(self) -> bool:
        return any(not r.ok for r in self.rows)


@dataclass
class ImportResult:
    created: int
    skipped: int  # wrong rows left out ("valid rows only")
    already: int = 0  # rows written by an earlier import of the same file
    objects: list[Any] = field(default_factory=list)  # what was created


# -- 1. reading --------------------------------------------------------------------------------


def read_sheet(data: bytes, filename: str, *, kind: Kind) -> Sheet:
    """The file's rows under its header row, as text. Raises `SheetError` with a message."""
    if data and not (filename.lower().endswith((".xlsx", ".csv", ".txt")) or data[:2] == b"PK"):
        raise SheetError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))
    max_rows = kind.max_rows()
    table = read_table(
        data,
        filename,
        max_rows=max_rows,
        max_bytes=kind.max_bytes(),
        header_rows=kind.header_rows,
        formulas=kind.formulas,
    )
    rows = [(line, [cell_text(v) for v in cells]) for line, cells in table.rows]
    if not rows:
        raise SheetError(_("Tệp trống: không có dòng tiêu đề và không có dữ liệu."))
    found = _find_header([cells for _line, cells in rows[: kind.header_rows]], kind)
    if found is None:
        raise SheetError(kind.no_header(rows[0][1]))
    at, columns, unknown = found
    below = rows[at + 1 :]
    if not below:
        raise SheetError(kind.no_rows())
    if len(below) > max_rows:
        raise too_many_rows(max_rows)
    return Sheet(
        filename=filename,
        fingerprint=hashlib.sha256(data).hexdigest()[:16],
        headers=rows[at][1],
        columns=columns,
        rows=below,
        warnings=table.warnings,
        unknown=unknown,
    )


def read_upload(upload: UploadedFile, *, kind: Kind) -> Sheet:
    """`read_sheet` of an uploaded file, refused by its size before it is read."""
    limit = kind.max_bytes()
    if upload.size and upload.size > limit:
        raise SheetError(_("Tệp quá lớn (tối đa %(size)s MB).") % {"size": limit // (1024 * 1024)})
    return read_sheet(upload.read(), upload.name or "", kind=kind)


def match_headers(headers: list[str], *, kind: Kind) -> tuple[dict[str, int], list[str]]:
    """Field → column index (the first column of a field wins), and the headings that the
    kind does not know."""
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for col, text in enumerate(headers):
        key = header_key(text)
        if not key:
            continue
        target = kind.headings.get(key)
        if target is None:
            unknown.append(text)
        elif target and target not in columns:
            columns[target] = col
    return columns, unknown


def _find_header(top: list[list[str]], kind: Kind) -> tuple[int, dict[str, int], list[str]] | None:
    """The first of the top rows that has the required headings: its index, field → column,
    and the headings not recognised."""
    for index, cells in enumerate(top):
        columns, unknown = match_headers(cells, kind=kind)
        if all(f in columns for f in kind.required):
            return index, columns, unknown
    return None


def preview_of(sheet: Sheet, rows: list[Row], *, kind: Kind) -> Preview:
    """The kind's checked rows as a `Preview`, with the file's warnings."""
    warnings = list(sheet.warnings)
    if sheet.unknown:
        warnings.append(
            _("Bỏ qua các cột không nhận ra: %(columns)s.") % {"columns": ", ".join(sheet.unknown)}
        )
    columns = [f for f in kind.fields if f in sheet.columns]
    return Preview(sheet=sheet, columns=columns, rows=rows, warnings=warnings)


# -- 4. applying -------------------------------------------------------------------------------


@transaction.atomic
def apply(
    preview: Preview,
    *,
    kind: Kind,
    actor: Any,
    valid_only: bool,
    write: Callable[[Row], Any | None],
    target: models.Model | None,
) -> ImportResult:
    """Write the valid rows (`write(row)` → the object created, or None when an earlier import
    of the same file already wrote it) in one transaction, and one audit entry with the counts.

    Raises ValidationError (nothing written) when a row is wrong and not `valid_only`, or when
    no row is valid.
    """
    if preview.has_errors and not valid_only:
        raise ValidationError(kind.refused(len(preview.error_rows)))
    if not preview.valid_rows:
        raise ValidationError(_("Không có dòng hợp lệ nào để nhập."))
    created: list[Any] = []
    already = 0
    for row in preview.valid_rows:
        obj = write(row)
        if obj is None:
            already += 1
        else:
            created.append(obj)
    result = ImportResult(
        created=len(created), skipped=len(preview.error_rows), already=already, objects=created
    )
    counts = (kind.audit_changes or _audit_changes)(preview, result)
    kind.audit(actor=actor, action=kind.audit_action, target=target, changes=counts)
    return result


def _audit_changes(preview: Preview, result: ImportResult) -> dict[str, Any]:
    counts: dict[str, Any] = {
        "file": preview.sheet.filename,
        "rows": len(preview.rows),
        "created": result.created,
        "skipped": result.skipped,
        "skipped_lines": [r.line for r in preview.error_rows][:200],
    }
    if result.already:
        counts["already"] = result.already
    return counts


# -- 3. previews kept on the server ------------------------------------------------------------


@dataclass
class StoredPreview:
    token: str  # the confirmation form sends it back: an old tab cannot confirm a newer upload
    unit_code: str
    sheet: Sheet


def purge_expired() -> int:
    """Delete the previews past their expiry (their rows are personal data)."""
    deleted, _per_model = ImportPreview.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def preview_save(*, kind: Kind, sheet: Sheet, owner: Owner, unit_code: str) -> StoredPreview:
    """Keep `sheet` on the server for `owner` until PREVIEW_LIFETIME passes.

    The owner's earlier unconfirmed preview of the same kind goes: the latest upload wins.
    """
    owner_id = _owner_id(owner)
    if owner_id is None:
        raise ValueError("a preview belongs to a signed-in user")
    purge_expired()
    ImportPreview.objects.filter(owner_id=owner_id, kind=kind.name, applied_at=None).delete()
    token = secrets.token_urlsafe(24)
    ImportPreview.objects.create(
        token=token,
        kind=kind.name,
        owner_id=owner_id,
        unit_code=unit_code,
        sheet=sheet.to_json(),
        expires_at=timezone.now() + PREVIEW_LIFETIME,
    )
    return StoredPreview(token=token, unit_code=unit_code, sheet=sheet)


def _owner_id(owner: Owner) -> int | None:
    if owner is None or not owner.is_authenticated:
        return None
    return int(owner.pk)


def _waiting(*, kind: Kind, owner: Owner) -> models.QuerySet[ImportPreview]:
    owner_id = _owner_id(owner)
    if owner_id is None:
        return ImportPreview.objects.none()
    return ImportPreview.objects.filter(
        kind=kind.name, owner_id=owner_id, applied_at=None, expires_at__gt=timezone.now()
    )


def preview_get(
    *, kind: Kind, owner: Owner, unit_code: str | None = None, token: str | None = None
) -> StoredPreview | None:
    """The owner's waiting preview of this kind (for this unit, with this token), or None."""
    purge_expired()
    waiting = _waiting(kind=kind, owner=owner)
    if unit_code is not None:
        waiting = waiting.filter(unit_code=unit_code)
    if token is not None:
        if not token:
            return None
        waiting = waiting.filter(token=token)
    row = waiting.order_by("-created_at", "-pk").first()
    if row is None:
        return None
    return StoredPreview(token=row.token, unit_code=row.unit_code, sheet=Sheet.from_json(row.sheet))


def preview_apply(
    *,
    kind: Kind,
    owner: Owner,
    token: str,
    unit_code: str | None = None,
    run: Callable[[StoredPreview], ImportResult],
) -> ImportResult | None:
    """Claim the owner's preview with this token and `run` the import, in one transaction.

    The claim is a conditional UPDATE (still waiting, not expired, this owner), so two
    confirmations of one preview — two tabs, a double click — import once; the second gets
    None, as do another user, a wrong token and an expired preview. When `run` raises, the
    claim is rolled back with the rows and the preview can be confirmed again.
    """
    with transaction.atomic():
        stored = preview_get(kind=kind, owner=owner, unit_code=unit_code, token=token)
        if stored is None:
            return None
        now = timezone.now()
        claimed = (
            _waiting(kind=kind, owner=owner)
            .filter(token=stored.token)
            .update(applied_at=now, sheet={})
        )
        if claimed != 1:
            return None
        return run(stored)
