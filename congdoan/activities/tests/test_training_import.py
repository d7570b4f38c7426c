"""Training attendance and certificates from a sheet: bad rows listed, nothing lost."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from congdoan.activities import services, training_import
from congdoan.activities.models import CourseTopic, TrainingAttendance, TrainingSession
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
def session(cast: Any) -> TrainingSession:
    course = services.course_create(
        actor=None, unit=cast.district, title="Xử lý sự cố truyền thông", topic=CourseTopic.INCIDENT
    )
    return services.session_create(
        actor=None, course=course, unit=cast.district, held_on=date(2026, 10, 15)
    )


def test_certificates_given_twice_or_to_someone_else_are_listed(
    cast: Any, session: TrainingSession
) -> None:
    other = services.session_create(
        actor=None, course=session.course, unit=cast.district, held_on=date(2025, 10, 1)
    )
    services.training_attendance_set(
        actor=None, session=other, member=cast.member_b, certificate_number="CN-9"
    )
    duc = f.member(cast.unit_a, full_name="Phạm Văn Đức")
    rows: list[list[Any]] = [
        ["Họ và tên", "Số chứng nhận"],
        ["Nguyễn Thị Lan", "CN-1"],  # row 2
        ["Phạm Văn Đức", "CN-1"],  # row 3: the same number as row 2
        ["Trần Văn Bình", "CN-9"],  # row 4: the certificate of B's 2025 session, not this one
        ["Người Lạ", "CN-2"],  # row 5: nobody
    ]
    sheet = importer.read_sheet(_xlsx(rows), "ds.xlsx", kind=training_import.TRAINING)
    preview = training_import.check_sheet(sheet, session=session)
    errors = {r.line: " ".join(r.errors) for r in preview.error_rows}
    assert sorted(errors) == [3, 4, 5]
    assert "trùng với dòng 2" in errors[3]
    assert "buổi tập huấn khác" in errors[4]
    result = training_import.import_training(
        actor=cast.district_officer, sheet=sheet, session=session, valid_only=True
    )
    assert (result.created, result.skipped) == (1, 3)
    assert dict(session.attendances.values_list("member_id", "certificate_number")) == {
        cast.member_a.pk: "CN-1"
    }
    assert not session.attendances.filter(member=duc).exists()


def test_a_number_another_person_holds_is_refused(cast: Any, session: TrainingSession) -> None:
    services.training_attendance_set(
        actor=None, session=session, member=cast.member_b, certificate_number="CN-7"
    )
    sheet = importer.read_sheet(
        _xlsx([["Họ và tên", "Số chứng nhận"], ["Nguyễn Thị Lan", "CN-7"]]),
        "ds.xlsx",
        kind=training_import.TRAINING,
    )
    preview = training_import.check_sheet(sheet, session=session)
    assert "đã cấp cho người khác" in preview.error_rows[0].errors[0]


def test_an_empty_cell_does_not_erase_a_certificate_already_given(
    cast: Any, session: TrainingSession
) -> None:
    services.training_attendance_set(
        actor=None, session=session, member=cast.member_a, certificate_number="CN-1"
    )
    sheet = importer.read_sheet(
        _xlsx([["Họ và tên", "Số chứng nhận"], ["Nguyễn Thị Lan", ""]]),
        "ds.xlsx",
        kind=training_import.TRAINING,
    )
    training_import.import_training(actor=cast.district_officer, sheet=sheet, session=session)
    assert TrainingAttendance.objects.get().certificate_number == "CN-1"


def test_the_session_import_pages_and_scope(
    client_of: Any, cast: Any, session: TrainingSession, officer_a: Any
) -> None:
    assert (
        client_of(officer_a)
        .get(f"/hoat-dong/tap-huan/buoi/{session.pk}/nhap-danh-sach/")
        .status_code
        == 404
    )
    c = client_of(cast.district_officer)
    upload = SimpleUploadedFile(
        "ds.xlsx", _xlsx([["Họ và tên", "Số chứng nhận"], ["Trần Văn Bình", "CN-5"]])
    )
    url = f"/hoat-dong/tap-huan/buoi/{session.pk}/nhap-danh-sach/"
    assert c.post(url, {"file": upload}).status_code == 302
    page = c.get(url + "xem-truoc/").content.decode()
    assert "CN-5" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    assert c.post(url + "xac-nhan/", {"token": token}).status_code == 302
    row = TrainingAttendance.objects.get()
    assert (row.member, row.certificate_number) == (cast.member_b, "CN-5")
