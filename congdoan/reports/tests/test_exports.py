from __future__ import annotations

import io
import re

import docx
import pymupdf
import pytest
from openpyxl import load_workbook

from congdoan.orgs.tests import factories
from congdoan.plan.periods import parse_period
from congdoan.reports import selectors, services
from congdoan.reports.exports import render

pytestmark = pytest.mark.django_db

YEAR = parse_period("2025")


def _document(cast):
    services.report_submit(
        actor=cast.officer_a,
        unit=cast.unit_a,
        period=YEAR,
        fields={
            "number": "08",
            "results": "Tổ chức hội nghị đối thoại với 300 người lao động.",
            "limitations": "Fanpage cập nhật chưa đều.",
        },
    )
    return selectors.export_document(unit=cast.unit_a, period=YEAR)


def test_the_docx_parses_back_in_the_administrative_format(cast):
    content, content_type, name = render(_document(cast), "docx")
    assert content_type.endswith("wordprocessingml.document")
    assert name == "bao-cao-px-a-2025.docx"
    d = docx.Document(io.BytesIO(content))
    left, right = d.tables[0].rows[0].cells
    left_lines = [p.text for p in left.paragraphs]
    right_lines = [p.text for p in right.paragraphs]
    assert left_lines[0] == "LĐLĐ HUYỆN PHÚ XUYÊN"
    assert left_lines[1] == "CÔNG ĐOÀN CÔNG TY MAY A"
    assert "Số: 08/BC-CĐCS" in left_lines
    assert right_lines[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert re.fullmatch(r"Phú Xuyên, ngày \d{1,2} tháng \d{1,2} năm 20\d\d", right_lines[-1])
    body = [p.text for p in d.paragraphs]
    assert "BÁO CÁO" in body
    assert "Kết quả công tác truyền thông năm 2025" in body
    assert "I. KẾT QUẢ THỰC HIỆN" in body
    assert "Tổ chức hội nghị đối thoại với 300 người lao động." in body
    assert any(t.startswith("II. HẠN CHẾ") for t in body)
    assert not any("BẢN NHÁP" in t for t in body)  # submitted: no draft note
    foot_left, foot_right = d.tables[-1].rows[0].cells
    assert foot_left.paragraphs[0].text == "Nơi nhận:"
    assert [p.text for p in foot_left.paragraphs][-1] == "- Lưu: VP."
    assert "Chủ tịch CĐ A" in [p.text for p in foot_right.paragraphs]  # the leader signs
    section = d.sections[0]
    assert [
        round(x.mm) if x is not None else None
        for x in (section.page_width, section.left_margin, section.right_margin)
    ] == [
        210,
        30,
        15,
    ]
    assert d.styles["Normal"].font.name == "Times New Roman"
    # the figure tables are real Word tables between the header and the signature
    assert len(d.tables) > 3


def test_the_pdf_says_the_same_as_the_docx(cast):
    content, content_type, _name = render(_document(cast), "pdf")
    assert content_type == "application/pdf" and content.startswith(b"%PDF")
    with pymupdf.open(stream=content, filetype="pdf") as pdf:
        text = "\n".join(page.get_text() for page in pdf)
        width, height = pdf[0].rect.width, pdf[0].rect.height
    assert round(width) == 595 and round(height) == 842  # A4
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Số: 08/BC-CĐCS", "Nơi nhận:"):
        assert words in text


def test_the_xlsx_holds_every_table_and_the_totals(cast):
    content, _type, _name = render(_document(cast), "xlsx")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Báo cáo", "Số liệu"]
    keys = [row[0] for row in book["Số liệu"].iter_rows(min_row=2, values_only=True)]
    assert "feedback.received" in keys
    rows = list(book["Báo cáo"].iter_rows(values_only=True))
    assert "BÁO CÁO" in [row[0] for row in rows]
    received = next(row for row in rows if row[0] == "Tổng số ý kiến tiếp nhận")
    assert received[1] == 0 and isinstance(received[1], int)  # a number, not the text "0"
    assert any(row[1] == "chưa có số liệu" for row in rows)


def test_a_draft_export_says_it_is_a_draft_and_missing_data_is_not_zero(cast):
    unit = factories.unit(cast.district, code="PX-C", name="Công đoàn Trường Tiểu học C")
    doc = selectors.export_document(unit=unit, period=YEAR)
    content, _t, _n = render(doc, "docx")
    d = docx.Document(io.BytesIO(content))
    assert any("BẢN NHÁP" in p.text for p in d.paragraphs)
    cells = [c.text for t in d.tables[1:-1] for row in t.rows for c in row.cells]
    assert "chưa có số liệu" in cells
    assert "0 %" not in cells


def test_the_districts_export_lists_its_units_reports(cast):
    _document(cast)
    doc = selectors.export_document(unit=cast.district, period=YEAR)
    content, _t, _n = render(doc, "docx")
    d = docx.Document(io.BytesIO(content))
    body = [p.text for p in d.paragraphs]
    assert any(t.startswith("II. TỔNG HỢP BÁO CÁO") for t in body)
    assert any("1/2 đơn vị đã nộp" in t for t in body)
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert "Công đoàn Công ty Điện tử B" in cells and "Chưa lập báo cáo" in cells


def test_a_report_exported_from_the_english_interface_is_still_a_vietnamese_document(cast):
    from django.utils import translation

    from congdoan.plan.periods import parse_period
    from congdoan.reports.document import build_document
    from congdoan.reports.figures import build_snapshot

    period = parse_period("2026H1")
    with translation.override("en"):
        snapshot = build_snapshot(unit=cast.unit_a, period=period)
        doc = build_document(unit=cast.unit_a, period=period, report=None, snapshot=snapshot)
    assert doc.type_name == "BÁO CÁO"
    assert doc.number_line.startswith("Số:")
