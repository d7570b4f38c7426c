"""Earlier periods' figures imported from a spreadsheet: every bad row listed, nothing lost."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from congdoan.core import importer
from congdoan.plan import imports
from congdoan.plan.models import IndicatorFigure

HEAD = "STT,Mã đơn vị,Chỉ tiêu,Kỳ,Số đạt,Tổng số\n"


def sheet(body: str) -> importer.Sheet:
    return importer.read_sheet((HEAD + body).encode(), "so-lieu.csv", kind=imports.FIGURES)


def test_a_good_sheet_is_stored_as_imported(cast: Any) -> None:
    s = sheet(
        "1,PX-A,members_reached,2024,850,1000\n"
        "2,px-b,Đoàn viên được tiếp cận thông tin trong năm,2024H2,40,50\n"
        "3,PX,orientation_documents,2024,3,\n"
    )
    preview = imports.check_sheet(s, unit=cast.district, viewer=cast.district_officer)
    assert not preview.has_errors, [r.errors for r in preview.rows]
    result = imports.import_figures(
        actor=cast.district_officer, sheet=s, unit=cast.district, viewer=cast.district_officer
    )
    assert result.created == 3
    a = IndicatorFigure.objects.get(unit=cast.unit_a, period="2024")
    assert (a.numerator, a.denominator, a.source) == (850, 1000, "imported")
    assert IndicatorFigure.objects.get(unit=cast.district).denominator is None
    again = imports.import_figures(
        actor=cast.district_officer, sheet=s, unit=cast.district, viewer=cast.district_officer
    )
    assert (again.created, again.already) == (0, 3)


def test_bad_rows_are_listed_by_row_with_their_reason(cast: Any) -> None:
    s = sheet(
        "1,PX-Z,members_reached,2024,1,2\n"  # unknown unit
        "2,TT,members_reached,2024,1,2\n"  # another district: outside the officer's unit
        "3,PX-A,khong_co,2024,1,2\n"  # unknown indicator
        "4,PX-A,members_reached,2024H3,1,2\n"  # a period that does not exist
        "5,PX-A,members_reached,2026H1,1,2\n"  # a period not ended
        "6,PX-A,members_reached,2023,5,2\n"  # more reached than members
        "7,PX-A,members_reached,2023,abc,\n"  # not a number, no denominator
        "8,PX-B,digital_share,2023,1,4\n"
        "9,PX-B,digital_share,2023,2,4\n"  # the same unit, indicator and period again
    )
    preview = imports.check_sheet(
        s, unit=cast.district, viewer=cast.district_officer, today=date(2026, 1, 1)
    )
    errors = {r.line: " ".join(r.errors) for r in preview.rows}
    assert "PX-Z" in errors[2] and "không có" in errors[2]
    assert "TT" in errors[3]
    assert "khong_co" in errors[4] and "members_reached" in errors[4]
    assert "không tồn tại" in errors[5]
    assert "chưa kết thúc" in errors[6]
    assert "không được lớn hơn" in errors[7]
    assert "số nguyên" in errors[8] and "Tổng số" in errors[8]
    assert errors[9] == ""
    assert "dòng 9" in errors[10]
    with pytest.raises(ValidationError):
        imports.import_figures(
            actor=cast.district_officer, sheet=s, unit=cast.district, viewer=cast.district_officer
        )
    assert not IndicatorFigure.objects.exists()  # nothing written while a row is wrong


def test_a_grassroots_officer_cannot_import_for_the_district(cast: Any) -> None:
    s = sheet("1,PX-B,members_reached,2024,1,2\n")
    with pytest.raises(ValidationError):
        imports.import_figures(
            actor=cast.officer_b, sheet=s, unit=cast.district, viewer=cast.officer_b
        )
    preview = imports.check_sheet(s, unit=cast.unit_a, viewer=cast.officer_a)
    assert preview.has_errors  # B is not under A


def test_a_sheet_without_the_headings_is_refused_with_a_message(cast: Any) -> None:
    with pytest.raises(importer.SheetError) as error:
        importer.read_sheet(b"Ho ten,Tuoi\nA,1\n", "x.csv", kind=imports.FIGURES)
    assert "Mã đơn vị" in str(error.value)


def test_upload_preview_and_confirm_through_the_pages(cast: Any, client_of: Any) -> None:
    c = client_of(cast.district_officer)
    body = (
        HEAD + "1,PX-A,members_reached,2024,850,1000\n2,PX-Q,members_reached,2024,1,2\n"
    ).encode()
    answer = c.post(
        "/chi-tieu/nhap-so-lieu/?unit=PX", {"file": SimpleUploadedFile("a.csv", body, "text/csv")}
    )
    assert answer.status_code == 302
    page = c.get("/chi-tieu/nhap-so-lieu/xem-truoc/?unit=PX").content.decode()
    assert "PX-Q" in page and "1 dòng lỗi" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    refused = c.post("/chi-tieu/nhap-so-lieu/xac-nhan/?unit=PX", {"token": token})
    assert refused.status_code == 302 and not IndicatorFigure.objects.exists()
    done = c.post("/chi-tieu/nhap-so-lieu/xac-nhan/?unit=PX", {"token": token, "valid_only": "1"})
    assert done.status_code == 302
    assert IndicatorFigure.objects.get(unit=cast.unit_a).numerator == 850
    twice = c.post("/chi-tieu/nhap-so-lieu/xac-nhan/?unit=PX", {"token": token, "valid_only": "1"})
    assert twice.status_code == 302 and IndicatorFigure.objects.count() == 1
    template = c.get("/chi-tieu/nhap-so-lieu/mau.xlsx?unit=PX")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    assert book.active["B1"].value == "Mã đơn vị"
    assert client_of(cast.officer_b).get("/chi-tieu/nhap-so-lieu/?unit=PX").status_code == 404
