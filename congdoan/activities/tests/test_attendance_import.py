"""The sign-in sheet import: every person matched or listed with the row number, never dropped."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from congdoan.activities import attendance_import, services
from congdoan.activities.models import Activity, ActivityKind, Attendance, AttendanceSource
from congdoan.audit.models import AuditEntry
from congdoan.core import importer
from congdoan.orgs.tests import factories as f


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def activity(cast: Any) -> Activity:
    return services.activity_create(
        actor=None,
        unit=cast.unit_a,
        values={
            "kind": ActivityKind.CONFERENCE,
            "title": "Hội nghị phổ biến Bộ luật Lao động",
            "held_on": date(2026, 4, 10),
        },
    )


@pytest.fixture
def people(cast: Any) -> dict[str, Any]:
    return {
        "lan": cast.member_a,  # Nguyễn Thị Lan, card from the factory
        "duc": f.member(cast.unit_a, full_name="Phạm Văn Đức", phone="+84912000111"),
        "hoa1": f.member(cast.unit_a, full_name="Lê Thị Hoa"),
        "hoa2": f.member(cast.unit_a, full_name="Lê Thị Hoa"),
    }


SHEET: list[list[Any]] = [
    ["DANH SÁCH ĐẠI BIỂU DỰ HỘI NGHỊ"],
    ["Ngày 10/4/2026"],
    ["STT", "Họ và tên", "Số thẻ đoàn viên", "Số điện thoại", "Ký tên"],
    [1, "nguyen thi lan", "", "", "x"],  # row 4: by name without diacritics
    [2, "Phạm Văn Đức", "", "0912 000 111", "x"],  # row 5: by phone
    [3, "Lê Thị Hoa", "", "", "x"],  # row 6: two members bear this name
    [4, "Trần Không Có", "", "", "x"],  # row 7: nobody
    [5, "Nguyễn Thị Lan", "", "", "x"],  # row 8: same person as row 4
    [6, "Đoàn viên B", "C-KHONG-CO", "", ""],  # row 9: an unknown card
]


def _check(activity: Activity, rows: list[list[Any]]) -> importer.Preview:
    sheet = importer.read_sheet(_xlsx(rows), "ds.xlsx", kind=attendance_import.ATTENDANCE)
    return attendance_import.check_sheet(sheet, activity=activity)


def test_unknown_ambiguous_and_duplicate_people_are_listed_with_their_rows(
    activity: Activity, people: Any
) -> None:
    preview = _check(activity, SHEET)
    errors = {row.line: " ".join(row.errors) for row in preview.error_rows}
    assert sorted(errors) == [6, 7, 8, 9]
    assert "2 đoàn viên cùng tên" in errors[6]
    assert "Không tìm thấy “Trần Không Có”" in errors[7]
    assert "dòng 4" in errors[8]
    assert "C-KHONG-CO" in errors[9]
    matched = {row.line: row.values["member_id"] for row in preview.valid_rows}
    assert matched == {4: people["lan"].pk, 5: people["duc"].pk}


def test_a_sheet_with_wrong_rows_writes_nothing_unless_valid_only(
    activity: Activity, people: Any, cast: Any
) -> None:
    sheet = importer.read_sheet(_xlsx(SHEET), "ds.xlsx", kind=attendance_import.ATTENDANCE)
    with pytest.raises(ValidationError, match="4 dòng lỗi"):
        attendance_import.import_attendance(actor=cast.officer_a, sheet=sheet, activity=activity)
    assert not Attendance.objects.exists()
    result = attendance_import.import_attendance(
        actor=cast.officer_a, sheet=sheet, activity=activity, valid_only=True
    )
    assert (result.created, result.skipped) == (2, 4)
    assert set(Attendance.objects.values_list("member_id", "source")) == {
        (people["lan"].pk, AttendanceSource.SHEET),
        (people["duc"].pk, AttendanceSource.SHEET),
    }
    entry = AuditEntry.objects.get(action="activities.attendance.import")
    assert entry.changes["skipped_lines"] == [6, 7, 8, 9]


def test_someone_already_present_is_a_valid_row_that_writes_nothing(
    activity: Activity, people: Any, cast: Any
) -> None:
    services.attendance_add(
        actor=None, activity=activity, member_ids=[people["lan"].pk], source="phone"
    )
    rows = [["Họ và tên"], ["Nguyễn Thị Lan"], ["Phạm Văn Đức"]]
    preview = _check(activity, rows)
    assert not preview.has_errors
    assert any("đã được điểm danh" in w for w in preview.warnings)
    sheet = importer.read_sheet(_xlsx(rows), "ds.xlsx", kind=attendance_import.ATTENDANCE)
    result = attendance_import.import_attendance(
        actor=cast.officer_a, sheet=sheet, activity=activity
    )
    assert (result.created, result.already) == (1, 1)
    assert Attendance.objects.get(member=people["lan"]).source == "phone"


def test_a_member_of_another_unit_is_not_found(activity: Activity, cast: Any) -> None:
    preview = _check(activity, [["Họ và tên"], [cast.member_b.full_name]])
    assert "Không tìm thấy" in preview.error_rows[0].errors[0]


def test_officer_of_another_unit_cannot_import(activity: Activity, cast: Any) -> None:
    sheet = importer.read_sheet(
        _xlsx([["Họ và tên"], ["Nguyễn Thị Lan"]]), "ds.xlsx", kind=attendance_import.ATTENDANCE
    )
    with pytest.raises(PermissionDenied):
        attendance_import.import_attendance(actor=cast.officer_b, sheet=sheet, activity=activity)


def test_a_sheet_without_a_name_column_gets_a_clear_message(activity: Activity) -> None:
    with pytest.raises(importer.SheetError, match="Họ và tên"):
        importer.read_sheet(
            _xlsx([["Tên cơ quan", "Ghi chú"], ["x", "y"]]),
            "ds.xlsx",
            kind=attendance_import.ATTENDANCE,
        )


def test_upload_preview_and_confirm_pages(
    client_of: Any, activity: Activity, people: Any, officer_a: Any
) -> None:
    c = client_of(officer_a)
    upload = SimpleUploadedFile("ds.xlsx", _xlsx(SHEET))
    response = c.post(f"/hoat-dong/{activity.pk}/nhap-danh-sach/", {"file": upload})
    assert response.status_code == 302
    page = c.get(f"/hoat-dong/{activity.pk}/nhap-danh-sach/xem-truoc/").content.decode()
    assert "Dòng 7" in page and "Trần Không Có" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    # without "valid rows only", nothing is written and the preview stays
    c.post(f"/hoat-dong/{activity.pk}/nhap-danh-sach/xac-nhan/", {"token": token})
    assert not Attendance.objects.exists()
    c.post(
        f"/hoat-dong/{activity.pk}/nhap-danh-sach/xac-nhan/", {"token": token, "valid_only": "1"}
    )
    assert Attendance.objects.count() == 2
    # a second confirmation of the same preview writes nothing more
    response = c.post(
        f"/hoat-dong/{activity.pk}/nhap-danh-sach/xac-nhan/",
        {"token": token, "valid_only": "1"},
        follow=True,
    )
    assert "hết hạn hoặc đã được nhập" in response.content.decode()
    assert Attendance.objects.count() == 2


def test_a_file_that_is_not_a_sheet_is_refused_on_the_upload_page(
    client_of: Any, activity: Activity, officer_a: Any
) -> None:
    upload = SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0 not a sheet")
    response = client_of(officer_a).post(
        f"/hoat-dong/{activity.pk}/nhap-danh-sach/", {"file": upload}
    )
    assert response.status_code == 200
    assert "Chỉ nhận tệp Excel" in response.content.decode()


def test_the_printed_template_reads_back_as_a_sheet(
    client_of: Any, activity: Activity, people: Any, officer_a: Any
) -> None:
    response = client_of(officer_a).get(f"/hoat-dong/{activity.pk}/nhap-danh-sach/mau.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet is not None
    sheet.append([1, "Phạm Văn Đức", "", "", "Tổ may 3", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = attendance_import.check_sheet(
        importer.read_sheet(buffer.getvalue(), "mau.xlsx", kind=attendance_import.ATTENDANCE),
        activity=activity,
    )
    assert [r.values["member_id"] for r in preview.valid_rows] == [people["duc"].pk]


def test_the_activity_page_lists_who_attended(
    client_of: Any, activity: Activity, people: Any, officer_a: Any
) -> None:
    services.attendance_add(
        actor=None, activity=activity, member_ids=[people["duc"].pk], source="manual"
    )
    page = client_of(officer_a).get(f"/hoat-dong/{activity.pk}/").content.decode()
    assert "Phạm Văn Đức" in page and "Nhập tay" in page
