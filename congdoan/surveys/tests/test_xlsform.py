"""XLSForm import: the supported types become questions, a table-list group a matrix, an
integer constrained to 1..n a scale; anything we cannot ask, a file that is not an XLSX,
missing sheets and oversized files are refused with a Vietnamese message, importing nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from congdoan.surveys.models import Kind, Question, Role, Source, Survey
from congdoan.surveys.services.xlsform import XLSFORM_MAX_BYTES, XLSFormError, parse_xlsform
from congdoan.surveys.tests.conftest import xlsform

CHOICES = [
    ["kenh", "web", "Website"],
    ["kenh", "zalo", "Zalo"],
    ["kenh", "fb", "Facebook"],
    ["muc", "1", "Ít"],
    ["muc", "2", "Vừa"],
    ["muc", "3", "Nhiều"],
]

SUPPORTED = [
    ["start", "start", "", "", "", ""],
    ["begin_group", "kenh_nhom", "Kênh thông tin", "", "", ""],
    ["select_one kenh", "kenh_chinh", "Kênh chính của bạn?", "yes", "", ""],
    ["select_multiple kenh", "kenh_phu", "Các kênh khác", "", "", ""],
    ["end_group", "", "", "", "", ""],
    ["note", "ghi_chu", "Phần sau hỏi mức quan tâm", "", "", ""],
    ["begin_group", "quan_tam", "Mức quan tâm", "", "table-list", ""],
    ["select_one muc", "luong", "Tiền lương", "yes", "", ""],
    ["select_one muc", "bao_hiem", "Bảo hiểm", "", "", ""],
    ["end_group", "", "", "", "", ""],
    ["integer", "hai_long", "Mức hài lòng (1–5)", "", "", ". >= 1 and . <= 5"],
    ["integer", "tuoi", "Tuổi của bạn", "", "", ""],
    ["decimal", "gio", "Số giờ xem tin mỗi ngày", "", "", ""],
    ["text", "gop_y", "Góp ý", "", "", ""],
]


def test_a_supported_form_becomes_questions():
    parsed = parse_xlsform(xlsform(SUPPORTED, CHOICES), "khao-sat.xlsx")
    assert parsed.title == "Biểu mẫu thử"
    kinds = [(q.kind, q.text) for q in parsed.questions]
    assert kinds == [
        (Kind.SINGLE, "Kênh chính của bạn?"),
        (Kind.MULTIPLE, "Các kênh khác"),
        (Kind.MATRIX, "Mức quan tâm"),
        (Kind.SCALE, "Mức hài lòng (1–5)"),
        (Kind.NUMBER, "Tuổi của bạn"),
        (Kind.NUMBER, "Số giờ xem tin mỗi ngày"),
        (Kind.TEXT, "Góp ý"),
    ]
    single, _multiple, matrix, scale, age, hours, _text = parsed.questions
    assert single.required and single.section == "Kênh thông tin"
    assert single.options == [("web", "Website"), ("zalo", "Zalo"), ("fb", "Facebook")]
    assert matrix.rows == [("luong", "Tiền lương"), ("bao_hiem", "Bảo hiểm")]
    assert [label for _v, label in matrix.columns] == ["Ít", "Vừa", "Nhiều"]
    assert matrix.required
    assert scale.scale_points == 5
    assert age.integer_only and not hours.integer_only


@pytest.mark.parametrize(
    "row_type", ["geopoint", "image", "audio", "calculate", "begin_repeat", "barcode", "date"]
)
def test_an_unsupported_type_is_named_with_its_row_and_nothing_is_imported(row_type):
    rows = [*SUPPORTED[:3], [row_type, "x", "Câu lạ", "", "", ""], SUPPORTED[4]]
    with pytest.raises(XLSFormError) as exc:
        parse_xlsform(xlsform(rows, CHOICES))
    message = str(exc.value)
    assert f"Dòng 5: kiểu câu hỏi “{row_type}” chưa được hỗ trợ." in message
    assert "chưa nhập gì" in message


def test_every_unsupported_row_is_listed():
    rows = [
        ["text", "a", "A", "", "", ""],
        ["geopoint", "vi_tri", "Vị trí", "", "", ""],
        ["image", "anh", "Ảnh", "", "", ""],
    ]
    with pytest.raises(XLSFormError) as exc:
        parse_xlsform(xlsform(rows))
    assert "Dòng 3" in str(exc.value) and "Dòng 4" in str(exc.value)


def test_a_file_that_is_not_an_xlsx_is_refused():
    with pytest.raises(XLSFormError, match="không phải bảng tính XLSX"):
        parse_xlsform(b"type,name,label\ntext,a,A\n", "form.csv")
    with pytest.raises(XLSFormError):
        parse_xlsform(b"PK\x03\x04 not really a zip", "form.xlsx")


def test_a_workbook_without_a_survey_sheet_is_refused():
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "cau_hoi"
    sheet.append(["type", "name", "label"])
    sheet.append(["text", "a", "A"])
    book.create_sheet("choices").append(["list_name", "name", "label"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(XLSFormError, match="survey"):
        parse_xlsform(out.getvalue())


def test_select_questions_without_a_choices_sheet_are_refused():
    with pytest.raises(XLSFormError, match="choices"):
        parse_xlsform(xlsform([["select_one kenh", "k", "Kênh?", "", "", ""]], None))


def test_an_oversized_file_is_refused_with_the_limit():
    with pytest.raises(XLSFormError, match="2 MB"):
        parse_xlsform(b"PK\x03\x04" + b"\0" * XLSFORM_MAX_BYTES)


def test_a_form_with_nothing_to_ask_is_refused():
    with pytest.raises(XLSFormError, match="không có câu hỏi"):
        parse_xlsform(xlsform([["note", "n", "Chỉ là ghi chú", "", "", ""]]))


def test_the_import_page_creates_a_draft_and_refuses_a_bad_file(client_of, cast):
    client = client_of(cast.officer_a)
    upload = SimpleUploadedFile("mau.xlsx", xlsform(SUPPORTED, CHOICES))
    response = client.post(
        "/khao-sat/quan-ly/nhap-xlsform/",
        {"unit": cast.unit_a.pk, "audience": "members", "is_anonymous": "on", "file": upload},
    )
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.source == Source.XLSFORM and survey.status == "draft"
    assert survey.questions.count() == 7
    matrix = Question.objects.get(kind=Kind.MATRIX)
    assert matrix.choices.filter(role=Role.ROW).count() == 2
    bad = SimpleUploadedFile("mau.xlsx", xlsform([["geopoint", "vi_tri", "Vị trí", "", "", ""]]))
    response = client.post(
        "/khao-sat/quan-ly/nhap-xlsform/",
        {"unit": cast.unit_a.pk, "audience": "members", "file": bad},
    )
    assert response.status_code == 200
    assert "kiểu câu hỏi “geopoint” chưa được hỗ trợ" in response.content.decode()
    assert Survey.objects.count() == 1


def test_an_officer_cannot_import_for_a_unit_outside_their_scope(client_of, cast):
    client = client_of(cast.officer_a)
    upload = SimpleUploadedFile("mau.xlsx", xlsform(SUPPORTED, CHOICES))
    response = client.post(
        "/khao-sat/quan-ly/nhap-xlsform/",
        {"unit": cast.unit_b.pk, "audience": "members", "file": upload},
    )
    assert response.status_code == 200  # the unit is not a choice: the form says so
    assert not Survey.objects.exists()


def test_a_form_in_two_languages_is_read_in_vietnamese():
    data = xlsform(
        [["select_one kenh", "k", "Which channel?", "Kênh nào?", "", ""]],
        [["kenh", "web", "Website", "Trang web"], ["kenh", "zalo", "Zalo", "Zalo"]],
        headers=("type", "name", "label::English (en)", "label::Tiếng Việt (vi)", "hint", "x"),
    )
    parsed = parse_xlsform(data)
    assert parsed.questions[0].text == "Kênh nào?"


def test_the_import_page_refuses_an_oversized_file_with_the_limit(client_of, cast):
    upload = SimpleUploadedFile("lon.xlsx", b"PK\x03\x04" + b"\0" * XLSFORM_MAX_BYTES)
    response = client_of(cast.officer_a).post(
        "/khao-sat/quan-ly/nhap-xlsform/",
        {"unit": cast.unit_a.pk, "audience": "members", "file": upload},
    )
    assert response.status_code == 200
    assert "Tệp lớn hơn giới hạn 2 MB" in response.content.decode()
    assert not Survey.objects.exists()
