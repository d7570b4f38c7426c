"""One reader for uploaded spreadsheets (XLSX, CSV): bytes → non-blank rows of cell values.

Read by the one importer (`congdoan.core.importer`), which finds the header row and turns
cells into text; each kind's row checks stay in its app (`orgs.imports`, `feedback.importers`).
XLSX: a workbook inside the zip and no zip bomb (at most 20× the upload limit unpacked),
checked before openpyxl opens it read-only; first sheet only; `formulas=True` keeps a formula
as its text ("=TODAY()") for the caller to refuse. CSV: UTF-8, else Windows-1258, else
Latin-1 with a warning; NFC; sniffed delimiter. The caller passes the limits: `max_bytes`,
and `max_rows` data rows under at most `header_rows` non-blank rows (title, header).
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congdoan.core.vndate import vn_number


class SheetError(ValueError):
    """The file as a whole cannot be read; the message is for the officer."""


@dataclass
class Table:
    rows: list[tuple[int, list[Any]]]  # (line number in the file, cell values), blank rows left out
    warnings: list[str] = field(default_factory=list)


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def not_a_sheet() -> SheetError:
    return SheetError(_("Tệp không phải bảng tính: hãy tải lên tệp Excel (.xlsx) hoặc CSV."))


def _damaged() -> SheetError:
    return SheetError(_("Không đọc được tệp Excel: tệp bị hỏng hoặc không phải tệp .xlsx."))


def too_many_rows(max_rows: int) -> SheetError:
    return SheetError(
        ngettext(
            "Tệp có quá nhiều dòng: mỗi lần chỉ nhập được tối đa %(max)s dòng. Hãy chia tệp thành nhiều phần.",
            "Tệp có quá nhiều dòng: mỗi lần chỉ nhập được tối đa %(max)s dòng. Hãy chia tệp thành nhiều phần.",
            max_rows,
        )
        % {"max": vn_number(max_rows)}
    )


def read_table(
    data: bytes,
    filename: str,
    *,
    max_rows: int,
    max_bytes: int,
    header_rows: int = 1,
    formulas: bool = False,
) -> Table:
    """The non-blank rows of an XLSX or CSV file. Raises `SheetError` with a message."""
    if not data:
        raise SheetError(_("Tệp trống: không có dòng tiêu đề và không có dữ liệu."))
    if len(data) > max_bytes:
        raise SheetError(
            _("Tệp quá lớn (tối đa %(size)s MB).") % {"size": max_bytes // (1024 * 1024)}
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE: an old .xls
        raise SheetError(
            _("Tệp Excel kiểu cũ (.xls) chưa được hỗ trợ: hãy mở tệp và lưu lại dạng .xlsx.")
        )
    limit = max_rows + header_rows
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        _check_zip(data, max_unpacked=20 * max_bytes)
        return _read_xlsx(data, max_rows=max_rows, limit=limit, formulas=formulas)
    if data[:5] == b"%PDF-" or filename.lower().endswith(
        (".pdf", ".doc", ".docx", ".png", ".jpg", ".jpeg")
    ):
        raise not_a_sheet()
    return _read_csv(data, max_rows=max_rows, limit=limit)


def _check_zip(data: bytes, *, max_unpacked: int) -> None:
    """A zip holding a workbook, and no zip bomb — checked before openpyxl opens it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise _damaged() from exc
    if sum(info.file_size for info in infos) > max_unpacked:
        raise SheetError(
            _("Tệp Excel bất thường: giải nén ra quá lớn so với kích thước tệp; không mở.")
        )
    if not any(info.filename == "xl/workbook.xml" for info in infos):
        raise not_a_sheet()


def _collect(raw_rows: Iterable[Any], *, max_rows: int, limit: int) -> list[tuple[int, list[Any]]]:
    rows: list[tuple[int, list[Any]]] = []
    for line, raw in enumerate(raw_rows, start=1):
        cells = list(raw)
        if all(blank(c) for c in cells):
            continue
        rows.append((line, cells))
        if len(rows) > limit:
            raise too_many_rows(max_rows)
    return rows


def _read_xlsx(data: bytes, *, max_rows: int, limit: int, formulas: bool) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _damaged() from exc
    try:
        if not workbook.worksheets:
            raise SheetError(_("Tệp trống: không có dòng tiêu đề và không có dữ liệu."))
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > limit + 50:  # a few blank lines; the exact check is below
            raise too_many_rows(max_rows)
        warnings: list[str] = []
        if len(workbook.worksheets) > 1:
            warnings.append(
                _("Tệp có nhiều trang tính; chỉ đọc trang đầu tiên «%(name)s».")
                % {"name": sheet.title}
            )
        rows = _collect(sheet.iter_rows(values_only=True), max_rows=max_rows, limit=limit)
        return Table(rows=rows, warnings=warnings)
    finally:
        workbook.close()


def decode_csv(data: bytes) -> tuple[str, list[str]]:
    """The text of a CSV file: UTF-8, else Windows-1258, else Latin-1 (with a warning)."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text, label = data.decode("cp1258"), "Windows-1258"
    except UnicodeDecodeError:
        text, label = data.decode("latin-1"), "Latin-1"
    warning = _(
        "Tệp CSV không dùng bảng mã UTF-8; đã đọc theo bảng mã %(encoding)s. Hãy kiểm tra kỹ dấu tiếng Việt"
        " trong bản xem trước; tốt nhất lưu lại tệp dạng “CSV UTF-8”."
    ) % {"encoding": label}
    return text, [warning]


def _read_csv(data: bytes, *, max_rows: int, limit: int) -> Table:
    if b"\x00" in data[:4096]:
        raise not_a_sheet()
    text, warnings = decode_csv(data)
    text = unicodedata.normalize("NFC", text)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = _collect(
            csv.reader(io.StringIO(text, newline=""), dialect), max_rows=max_rows, limit=limit
        )
    except csv.Error as exc:
        raise SheetError(_("Tệp CSV không đúng định dạng: %(error)s") % {"error": exc}) from exc
    return Table(rows=rows, warnings=warnings)
