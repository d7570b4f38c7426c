"""The shared spreadsheet reader: formats, encodings, limits and the zip-bomb guard."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

import pytest
from openpyxl import Workbook

from congdoan.core.sheets import SheetError, read_table

MB = 1024 * 1024


def xlsx(rows: list[list[Any]], *, extra_sheet: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Đoàn viên"
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        book.create_sheet("Khác")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data: bytes, name: str = "ds.csv", **limits: Any) -> Any:
    return read_table(
        data,
        name,
        max_rows=limits.pop("max_rows", 100),
        max_bytes=limits.pop("max_bytes", MB),
        **limits,
    )


def test_csv_rows_come_back_with_their_line_numbers_and_blank_rows_left_out() -> None:
    table = read("Họ và tên,Giới tính\n\n , \nAn,Nam\n".encode())
    assert table.rows == [(1, ["Họ và tên", "Giới tính"]), (4, ["An", "Nam"])]
    assert table.warnings == []


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed(sep: str) -> None:
    table = read(f"Ngày{sep}Nội dung\n21/11/2026{sep}Phòng nóng\n".encode("utf-8-sig"))
    assert table.rows[1][1] == ["21/11/2026", "Phòng nóng"]


def test_windows_1258_csv_is_read_composed_with_a_warning() -> None:
    # Windows-1258 writes "ễ" as "ê" + a combining tilde (byte 0xDE).
    data = "Ho va ten,Gioi tinh\nNguyê\u0303n Văn An,Nam\n".encode("cp1258")
    assert b"\xde" in data
    table = read(data)
    assert table.rows[1][1][0] == "Nguyễn Văn An"
    assert any("Windows-1258" in w and "UTF-8" in w for w in table.warnings)


def test_bytes_no_vietnamese_code_page_knows_fall_back_to_latin_1() -> None:
    table = read(b"Ten\nCaf\xe9\x81\n")  # 0x81 is undefined in Windows-1258
    assert table.rows[1][1] == ["Café\x81"]
    assert any("Latin-1" in w for w in table.warnings)


def test_xlsx_keeps_values_and_types_and_warns_about_other_sheets() -> None:
    data = xlsx([["Họ và tên", "Ngày sinh"], ["An", datetime(1990, 3, 5)]], extra_sheet=True)
    table = read(data, "ds.xlsx")
    assert table.rows == [(1, ["Họ và tên", "Ngày sinh"]), (2, ["An", datetime(1990, 3, 5)])]
    assert any("Đoàn viên" in w for w in table.warnings)


def test_formulas_come_back_as_text_only_when_asked() -> None:
    data = xlsx([["Ngày"], ["=TODAY()"]])
    assert read(data, "ds.xlsx", formulas=True).rows[1][1] == ["=TODAY()"]
    # Not computed by openpyxl, so without `formulas` the cell has no value: a blank row.
    assert read(data, "ds.xlsx").rows == [(1, ["Ngày"])]


def test_not_a_spreadsheet_is_refused() -> None:
    with pytest.raises(SheetError, match="không phải bảng tính"):
        read(b"%PDF-1.4 binary\x00\x01", "ds.pdf")
    with pytest.raises(SheetError, match="không phải bảng tính"):
        read(b"\x00\x01\x02\x03garbage")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(SheetError, match="không phải bảng tính"):
        read(buffer.getvalue(), "ds.docx")
    with pytest.raises(SheetError, match=r"\.xls"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "ds.xls")
    with pytest.raises(SheetError, match="Không đọc được tệp Excel"):
        read(b"PK\x03\x04 not really a zip", "ds.xlsx")


def test_xlsx_that_unpacks_to_far_more_than_the_limit_is_refused_before_opening() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", b"0" * (3 * MB))
    assert len(buffer.getvalue()) < 100 * 1024
    with pytest.raises(SheetError, match="bất thường"):
        read(buffer.getvalue(), "bom.xlsx", max_bytes=100 * 1024)


def test_empty_and_too_large_files_are_refused() -> None:
    with pytest.raises(SheetError, match="trống"):
        read(b"")
    with pytest.raises(SheetError, match=r"quá lớn \(tối đa 1 MB\)"):
        read(b"a\n" * MB)
    assert read(b"\n\n ,,\n").rows == []


def test_too_many_rows_stop_the_reading_with_the_limit() -> None:
    text = "Họ và tên\n" + "".join(f"Người {i}\n" for i in range(100_000))
    with pytest.raises(SheetError, match="tối đa 100 dòng"):
        read(text.encode(), max_bytes=10 * MB)
    with pytest.raises(SheetError, match="tối đa 100 dòng"):
        read(xlsx([[i, f"Người {i}"] for i in range(150)]), "ds.xlsx")
    # The header rows above the data do not count.
    assert len(read(("T\n" + "x\n" * 100).encode()).rows) == 101
    assert len(read(("T\nH\n" + "x\n" * 100).encode(), header_rows=2).rows) == 102
