"""The question bank from a sheet: a good sheet, missing columns, bad rows, valid rows only,
the preview page and its confirmation (once)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from congdoan.audit.models import AuditEntry
from congdoan.contests.models import Contest, Question, QuestionKind, Topic
from congdoan.contests.services import questions_import as qi
from congdoan.core import importer
from congdoan.core.importer import SheetError

pytestmark = pytest.mark.django_db

HEAD = [
    "STT",
    "Chủ đề",
    "Loại",
    "Câu hỏi",
    "Phương án A",
    "Phương án B",
    "Phương án C",
    "Phương án D",
    "Đáp án đúng",
    "Giải thích",
]


def _xlsx(rows: list[list[Any]], head: list[str] = HEAD, title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append([title])
    sheet.append(head)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    [
        1,
        "Hợp đồng lao động",
        "một",
        "Hợp đồng lao động có mấy loại?",
        "1",
        "2",
        "3",
        "4",
        "B",
        "Điều 20 BLLĐ 2019",
    ],
    [
        2,
        "Hợp đồng lao động",
        "",
        "Thử việc tối đa bao nhiêu ngày với công việc cần trình độ cao đẳng?",
        "30",
        "60",
        "90",
        "180",
        "b",
        "Điều 25",
    ],
    [
        3,
        "Công đoàn",
        "nhiều",
        "Quyền của đoàn viên gồm?",
        "Được tư vấn pháp luật",
        "Được đại diện",
        "Miễn làm việc",
        "",
        "A, C",
        "",
    ],
]


def test_good_sheet_imports_every_row_and_twice_adds_nothing(contest: Contest, cast: Any) -> None:
    sheet = importer.read_sheet(
        _xlsx(GOOD, title="NGÂN HÀNG CÂU HỎI 2026"), "cau-hoi.xlsx", kind=qi.QUESTIONS
    )
    preview = qi.check_sheet(sheet, contest=contest)
    assert not preview.has_errors, [r.errors for r in preview.rows]
    result = qi.import_questions(actor=cast.district_officer, sheet=sheet, contest=contest)
    assert result.created == 3
    multiple = Question.objects.get(text="Quyền của đoàn viên gồm?")
    assert multiple.kind == QuestionKind.MULTIPLE
    assert [o.is_correct for o in multiple.options.all()] == [True, False, True]
    probation = Question.objects.get(text__startswith="Thử việc")
    assert probation.kind == QuestionKind.SINGLE and probation.explanation == "Điều 25"
    assert set(Topic.objects.filter(contest=contest).values_list("name", flat=True)) == {
        "Hợp đồng lao động",
        "Công đoàn",
    }
    entry = AuditEntry.objects.get(action="contests.question.import")
    assert entry.changes["created"] == 3
    again = qi.import_questions(actor=cast.district_officer, sheet=sheet, contest=contest)
    assert (again.created, again.already) == (0, 3)


def test_missing_columns_are_named(contest: Contest) -> None:
    head = ["STT", "Chủ đề", "Câu hỏi", "Phương án A", "Phương án B"]
    with pytest.raises(SheetError) as caught:
        importer.read_sheet(
            _xlsx([[1, "X", "Câu?", "a", "b"]], head=head), "x.xlsx", kind=qi.QUESTIONS
        )
    message = str(caught.value)
    assert "Thiếu cột bắt buộc: Đáp án đúng." in message
    with pytest.raises(SheetError, match="Câu hỏi, Đáp án đúng"):
        importer.read_sheet(
            _xlsx([[1]], head=["STT", "Phương án A", "Phương án B"]), "x.xlsx", kind=qi.QUESTIONS
        )


def test_bad_rows_are_reported_and_valid_rows_only(contest: Contest, cast: Any) -> None:
    rows = [
        GOOD[0],
        [2, "", "một", "Hai đáp án cho câu một đáp án?", "a", "b", "c", "", "A, B", ""],
        [3, "", "một", "Đáp án trỏ vào ô trống?", "a", "b", "", "", "D", ""],
        [4, "", "một", "", "a", "b", "", "", "A", ""],
        [5, "", "kiểu lạ", "Loại lạ?", "a", "b", "", "", "A", ""],
        [6, "", "", "Đáp án không phải chữ cái?", "a", "b", "", "", "1", ""],
        [7, "", "một", "Hợp đồng lao động có mấy loại?", "1", "2", "", "", "B", ""],
        [8, "", "một", "Phương án trống ở giữa?", "a", "", "c", "", "A", ""],
        [9, "", "một", "Có công thức?", "=1+1", "b", "", "", "A", ""],
    ]
    sheet = importer.read_sheet(_xlsx(rows), "x.xlsx", kind=qi.QUESTIONS)
    preview = qi.check_sheet(sheet, contest=contest)
    errors = {r.line: " ".join(r.errors) for r in preview.rows if r.errors}
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9, 10}
    assert "đúng một phương án đúng" in errors[3]
    assert "phương án D để trống" in errors[4]
    assert "Thiếu nội dung câu hỏi" in errors[5]
    assert "Loại “kiểu lạ” không hợp lệ" in errors[6]
    assert "Đáp án đúng “1” không hợp lệ" in errors[7]
    assert "Trùng câu hỏi ở dòng 2" in errors[8]
    assert "Phương án B để trống" in errors[9]
    assert "công thức" in errors[10]
    with pytest.raises(ValidationError, match="8 dòng lỗi"):
        qi.import_questions(actor=cast.district_officer, sheet=sheet, contest=contest)
    assert not Question.objects.filter(contest=contest, text__contains="mấy loại").exists()
    result = qi.import_questions(
        actor=cast.district_officer, sheet=sheet, contest=contest, valid_only=True
    )
    assert (result.created, result.skipped) == (1, 8)


def test_csv_works_too(contest: Contest, cast: Any) -> None:
    data = (
        "Câu hỏi,Phương án A,Phương án B,Đáp án đúng\n"
        "Người lao động được nghỉ Tết Âm lịch mấy ngày?,3,5,B\n"
    ).encode()
    sheet = importer.read_sheet(data, "cau-hoi.csv", kind=qi.QUESTIONS)
    assert (
        qi.import_questions(actor=cast.district_officer, sheet=sheet, contest=contest).created == 1
    )


def test_upload_preview_confirm_pages(
    contest: Contest, cast: Any, client_of: Callable[[Any], Client]
) -> None:
    c = client_of(cast.district_officer)
    upload = reverse("contests:manage_import", args=[contest.pk])
    bad = c.post(upload, {"file": SimpleUploadedFile("x.xlsx", _xlsx([[1]], head=["Câu hỏi"]))})
    assert bad.status_code == 200 and "Thiếu cột bắt buộc" in bad.content.decode()
    response = c.post(upload, {"file": SimpleUploadedFile("cau-hoi.xlsx", _xlsx(GOOD))})
    assert response.status_code == 302
    preview = c.get(reverse("contests:manage_import_preview", args=[contest.pk]))
    body = preview.content.decode()
    assert preview.status_code == 200 and "Quyền của đoàn viên gồm?" in body
    token = preview.context["token"]
    confirm = reverse("contests:manage_import_confirm", args=[contest.pk])
    assert c.post(confirm, {"token": token}).status_code == 302
    assert Question.objects.filter(contest=contest, text="Quyền của đoàn viên gồm?").count() == 1
    # The same confirmation again (a double click): nothing more.
    c.post(confirm, {"token": token})
    assert Question.objects.filter(contest=contest, text="Quyền của đoàn viên gồm?").count() == 1
    # Another unit's officer cannot reach the import.
    assert client_of(cast.officer_b).get(upload).status_code == 404
