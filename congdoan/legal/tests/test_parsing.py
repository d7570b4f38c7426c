"""The parsers: the Pháp điển markdown, plain text, DOCX, and what they refuse (no database)."""

from __future__ import annotations

import io
import time
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from congdoan.legal.parsing import (
    LawFormatError,
    ParsedArticle,
    ParsedLaw,
    parse_bytes,
    parse_file,
    parse_phap_dien,
    parse_plain,
    split_clauses,
)
from congdoan.text import datasets

FIXTURES = Path(__file__).parent / "fixtures"
PHAP_DIEN = datasets.datasets_dir() / "labour_code_2019" / "phap_dien_20.2_lao_dong.md"

CODE_TEXT = """QUỐC HỘI\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
-------\tĐộc lập - Tự do - Hạnh phúc
Luật số: 45/2019/QH14

BỘ LUẬT
LAO ĐỘNG

Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;
Quốc hội ban hành Bộ luật Lao động.

Chương I
NHỮNG QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Bộ luật Lao động quy định tiêu chuẩn lao động.

Điều 2. Đối tượng áp dụng
1. Người lao động.
2. Người sử dụng lao động.

Chương VII
THỜI GIỜ LÀM VIỆC, THỜI GIỜ NGHỈ NGƠI

Mục 2. THỜI GIỜ NGHỈ NGƠI

Điều 3. Nghỉ hằng năm
1. Người lao động làm việc đủ 12 tháng thì được nghỉ hằng năm như sau:
a) 12 ngày làm việc;
b) 14 ngày làm việc;
c) 16 ngày làm việc.
2. Người lao động làm việc chưa đủ 12 tháng thì nghỉ theo tỷ lệ.

Điều 4. Hiệu lực thi hành
Bộ luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2021.

Bộ luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XIV, kỳ họp thứ 8 thông qua ngày 20 tháng 11 năm 2019.

CHỦ TỊCH QUỐC HỘI
Nguyễn Thị Kim Ngân

PHỤ LỤC
Điều 1. Mẫu hợp đồng (a form's heading, not an article of the code)
"""


def _articles(law: ParsedLaw) -> dict[str, ParsedArticle]:
    return {article.number: article for article in law.articles}


def _numbered(*numbers: int) -> str:
    lines = ["Số: 1/2024/NĐ-CP", "NGHỊ ĐỊNH", "THỬ NGHIỆM", ""]
    for number in numbers:
        lines += [f"Điều {number}. Tiêu đề {number}", f"Nội dung điều {number}.", ""]
    return "\n".join(lines)


# --- clauses and points ---------------------------------------------------------------


def test_split_clauses_reads_clauses_points_and_keeps_other_lines_in_place():
    body = "\n".join(
        [
            "Lời dẫn của điều, không phải khoản.",
            "1. Khoản một như sau:",
            "a) điểm a;",
            "- gạch đầu dòng thuộc điểm a;",
            "đ) điểm đ.",
            "2. Khoản hai có bảng:",
            "Năm | Mức",
            "2021 | 1.000.000",
            "1.1. Không phải khoản mới",
        ]
    )
    clauses = split_clauses(body)
    assert [c.number for c in clauses] == ["1", "2"]
    assert clauses[0].text == "Khoản một như sau:"
    assert [(p.letter, p.text) for p in clauses[0].points] == [
        ("a", "điểm a;\n- gạch đầu dòng thuộc điểm a;"),
        ("đ", "điểm đ."),
    ]
    assert (
        clauses[1].text
        == "Khoản hai có bảng:\nNăm | Mức\n2021 | 1.000.000\n1.1. Không phải khoản mới"
    )
    assert clauses[1].points == []


def test_split_clauses_finds_nothing_in_an_article_without_clauses():
    assert split_clauses("Bộ luật Lao động quy định tiêu chuẩn lao động.\na) không có khoản") == []


def test_clause_numbering_that_goes_back_is_a_warning_not_an_error():
    text = _numbered(1) + "\nĐiều 2. Có khoản lặp\n1. Một.\n2. Hai.\n2. Hai nữa.\n1. Lại một.\n"
    law = parse_plain(text)
    assert "Điều 2: khoản 2 lặp lại" in law.warnings
    assert "Điều 2: khoản 1 đứng sau khoản 2" in law.warnings
    assert len(law.articles) == 2


# --- plain text -----------------------------------------------------------------------


def test_plain_code_reads_header_chapters_sections_clauses_and_effective_date():
    law = parse_plain(CODE_TEXT)
    assert law.law_id == "45/2019/QH14"
    assert law.title == "Bộ luật Lao động"
    assert law.kind == "bo_luat"
    assert law.issuer == "Quốc hội"
    assert law.issued_on == date(
        2019, 11, 20
    )  # from "thông qua ngày …" (a law's header has no date)
    assert law.effective_from == date(2021, 1, 1)
    assert [a.number for a in law.articles] == [
        "1",
        "2",
        "3",
        "4",
    ]  # the appendix's "Điều 1." is not read
    assert law.warnings == []
    articles = _articles(law)
    first, annual = articles["1"], articles["3"]
    assert first.chapter == "Chương I. NHỮNG QUY ĐỊNH CHUNG" and first.section == ""
    assert first.clauses == [] and first.text == "Bộ luật Lao động quy định tiêu chuẩn lao động."
    assert annual.title == "Nghỉ hằng năm"
    assert annual.chapter == "Chương VII. THỜI GIỜ LÀM VIỆC, THỜI GIỜ NGHỈ NGƠI"
    assert annual.section == "Mục 2. THỜI GIỜ NGHỈ NGƠI"
    assert [c.number for c in annual.clauses] == ["1", "2"]
    assert [p.letter for p in annual.clauses[0].points] == ["a", "b", "c"]
    assert "Nguyễn Thị Kim Ngân" not in articles["4"].text


def test_plain_decree_fixture_reads_title_issuer_dates_and_warns_of_gaps():
    (law,) = parse_file(FIXTURES / "nghi_dinh_mau.txt")
    assert law.law_id == "145/2020/NĐ-CP"
    assert law.kind == "nghi_dinh"
    assert law.issuer == "Chính phủ"
    assert law.title == (
        "Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Bộ luật Lao động "
        "về điều kiện lao động và quan hệ lao động"
    )
    assert law.issued_on == date(2020, 12, 14)
    assert law.effective_from == date(2021, 2, 1)
    assert [a.number for a in law.articles] == ["1", "2", "8", "124"]
    assert any("thiếu Điều 3–7" in w for w in law.warnings)
    assert any("thiếu Điều 9–123" in w for w in law.warnings)
    severance = _articles(law)["8"]
    assert severance.section == "Mục 1. TRỢ CẤP THÔI VIỆC"
    assert [p.letter for p in severance.clauses[0].points] == ["a", "b", "đ"]
    assert "Năm làm việc | Mức trợ cấp" in severance.clauses[0].points[-1].text
    assert "Ban Bí thư" not in _articles(law)["124"].text


def test_plain_arguments_override_the_header():
    law = parse_plain(CODE_TEXT, law_id=" 45/2019/QH14 ", title="  Bộ luật Lao động  (trích) ")
    assert (law.law_id, law.title) == ("45/2019/QH14", "Bộ luật Lao động (trích)")
    law = parse_plain(CODE_TEXT, law_id="QH-THỬ", title="Bộ luật mới")
    assert (law.law_id, law.title) == ("QH-THỬ", "Bộ luật mới")


def test_plain_without_a_number_asks_for_one():
    text = CODE_TEXT.replace("Luật số: 45/2019/QH14", "")
    with pytest.raises(LawFormatError, match="số hiệu"):
        parse_plain(text)
    assert parse_plain(text, law_id="45/2019/QH14").law_id == "45/2019/QH14"


def test_article_going_backwards_is_refused_naming_the_line():
    with pytest.raises(LawFormatError, match=r"^dòng 11: Điều 15 đứng sau Điều 17$"):
        parse_plain(_numbered(16, 17, 15))


def test_article_repeated_is_refused_naming_both_lines():
    with pytest.raises(LawFormatError, match=r"dòng 11: Điều 12 lặp lại \(đã có ở dòng 8\)"):
        parse_plain(_numbered(11, 12, 12))


def test_a_gap_in_article_numbers_is_a_warning():
    law = parse_plain(_numbered(12, 14))
    assert [a.number for a in law.articles] == ["12", "14"]
    assert law.warnings == ["dòng 8: thiếu Điều 13 (sau Điều 12)"]


# --- DOCX -----------------------------------------------------------------------------


def _docx_bytes() -> bytes:
    document = Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = "CHÍNH PHỦ\n-------\nSố: 145/2020/NĐ-CP"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 14 tháng 12 năm 2020"
    for text in [
        "NGHỊ ĐỊNH",
        "QUY ĐỊNH CHI TIẾT VỀ ĐIỀU KIỆN LAO ĐỘNG",
        "Căn cứ Bộ luật Lao động ngày 20 tháng 11 năm 2019;",
        "Chương I",
        "QUY ĐỊNH CHUNG",
        "Điều 1. Phạm vi điều chỉnh",
        "Nghị định này quy định chi tiết Bộ luật Lao động.",
        "Điều 2. Mức trợ cấp",
        "1. Mức trợ cấp theo bảng sau:",
    ]:
        document.add_paragraph(text)
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate([("Năm", "Mức"), ("2021", "1.000.000")]):
        for col, value in enumerate(cells):
            table.cell(row, col).text = value
    document.add_paragraph("2. Nghị định này có hiệu lực thi hành kể từ ngày 01 tháng 02 năm 2021.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_is_read_like_its_text(tmp_path):
    path = tmp_path / "nghi-dinh.docx"
    path.write_bytes(_docx_bytes())
    (law,) = parse_file(path)
    assert law.law_id == "145/2020/NĐ-CP"
    assert law.title == "Nghị định quy định chi tiết về điều kiện lao động"
    assert law.issuer == "Chính phủ"
    assert law.issued_on == date(2020, 12, 14)
    assert law.effective_from == date(2021, 2, 1)
    assert [a.number for a in law.articles] == ["1", "2"]
    assert law.articles[0].chapter == "Chương I. QUY ĐỊNH CHUNG"
    clauses = law.articles[1].clauses
    assert [c.number for c in clauses] == ["1", "2"]
    assert clauses[0].text == "Mức trợ cấp theo bảng sau:\nNăm | Mức\n2021 | 1.000.000"


def test_docx_title_argument_wins():
    (law,) = parse_bytes(_docx_bytes(), title="Nghị định 145")
    assert law.title == "Nghị định 145"


# --- files refused --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Tệp rỗng"),
        (b"  \n\n ", "Tệp rỗng"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Tệp nhị phân"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", r"\.doc"),
        (b"PK\x03\x04 not really a zip", "DOCX"),
        ("Điều 1. Phạm vi điều chỉnh".encode("cp1258", errors="replace") + b"\xd2\xec", "UTF-8"),
        (b"The Labour Code governs labour standards.\nArticle 1. Scope", "Không tìm thấy điều nào"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "van-ban.txt"
    path.write_bytes(content)
    with pytest.raises(LawFormatError, match=message):
        parse_file(path)


def test_a_file_over_20_mb_is_refused_before_reading(tmp_path):
    path = tmp_path / "lon.txt"
    with path.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    with pytest.raises(LawFormatError, match="quá lớn"):
        parse_file(path)


def test_utf16_and_utf8_with_bom_and_windows_line_ends_are_read(tmp_path):
    for encoding, name in (("utf-16", "a.txt"), ("utf-8-sig", "b.md")):
        path = tmp_path / name
        path.write_bytes(CODE_TEXT.replace("\n", "\r\n").encode(encoding))
        (law,) = parse_file(path)
        assert law.law_id == "45/2019/QH14" and len(law.articles) == 4


# --- Pháp điển ------------------------------------------------------------------------


def test_phap_dien_fixture_gives_one_law_per_document():
    laws = {law.law_id: law for law in parse_file(FIXTURES / "phap_dien_mau.md")}
    assert list(laws) == ["45/2019/QH14", "145/2020/NĐ-CP", "152/2020/NĐ-CP"]
    code, decree, amended = laws["45/2019/QH14"], laws["145/2020/NĐ-CP"], laws["152/2020/NĐ-CP"]
    assert (code.title, code.kind, code.issuer) == ("Bộ luật Lao động", "bo_luat", "Quốc hội")
    assert (code.issued_on, code.effective_from) == (date(2019, 11, 20), date(2021, 1, 1))
    assert decree.kind == "nghi_dinh" and decree.effective_from == date(2021, 2, 1)
    assert decree.title.startswith("Nghị định quy định chi tiết và hướng dẫn thi hành")

    articles = _articles(code)
    assert list(articles) == ["1", "2", "113", "170"]
    scope = articles["1"]
    assert scope.text == (
        "Bộ luật Lao động quy định tiêu chuẩn lao động; quyền, nghĩa vụ của người lao động "
        "theo Chỉ thị số 20/1998/CT-TTg và các văn bản khác."
    )
    assert scope.related == ["45/2019/QH14:2", "145/2020/NĐ-CP:1"]  # 6.3.LQ.33 is another file's
    assert scope.source_note.startswith("(Điều 1 Bộ luật số 45/2019/QH14")
    assert scope.chapter == "Chương I. NHỮNG QUY ĐỊNH CHUNG"
    assert (
        articles["2"].clauses[1].text == "Người sử dụng lao động."
    )  # glued cross reference cut off
    assert articles["2"].related == ["145/2020/NĐ-CP:2"]
    annual = articles["113"]
    assert annual.section == "Mục 2. THỜI GIỜ NGHỈ NGƠI"
    assert [p.letter for p in annual.clauses[0].points] == ["a", "b", "c"]
    unions = articles["170"]
    assert not unions.has_text and unions.chapter.startswith("Chương XIII. TỔ CHỨC ĐẠI DIỆN")

    # A heading glued to the line before it starts its own article, and the decree's
    # listed-only article 3 joins it.
    assert [a.number for a in decree.articles] == ["1", "2", "3"]
    assert _articles(decree)["2"].text == "1. Người lao động.\n2. Người sử dụng lao động."
    assert _articles(decree)["1"].chapter == ""  # the chapters are the code's
    (experts,) = amended.articles
    assert experts.effective_from == date(2023, 9, 18)  # the amended text's date
    assert amended.effective_from == date(2021, 2, 15)


def test_phap_dien_refuses_a_document_holding_an_article_twice():
    text = (FIXTURES / "phap_dien_mau.md").read_text(encoding="utf-8")
    text = text.replace(
        "Điều 20.2.NĐ.3.2. Đối tượng áp dụng\n\n(Điều 2 ",
        "Điều 20.2.NĐ.3.2. Đối tượng áp dụng\n\n(Điều 1 ",
    )
    with pytest.raises(
        LawFormatError, match=r"dòng \d+: Điều 1 của văn bản 145/2020/NĐ-CP lặp lại"
    ):
        parse_phap_dien(text)


@pytest.mark.datasets
def test_the_real_phap_dien_file_parses_fast_and_complete():
    started = time.perf_counter()
    laws = {law.law_id: law for law in parse_file(PHAP_DIEN)}
    assert time.perf_counter() - started < 2

    code = laws["45/2019/QH14"]
    assert (code.kind, code.title, code.effective_from) == (
        "bo_luat",
        "Bộ luật Lao động",
        date(2021, 1, 1),
    )
    assert len(code.articles) == 220
    assert sum(a.has_text for a in code.articles) == 169
    assert [a.number for a in code.articles] == [str(n) for n in range(1, 221)]
    annual = _articles(code)["113"]
    assert annual.title == "Nghỉ hằng năm"
    assert len(annual.clauses) == 7  # the code's article 113 has seven clauses
    assert [p.letter for p in annual.clauses[0].points] == ["a", "b", "c"]
    assert annual.section == "Mục 2. THỜI GIỜ NGHỈ NGƠI"
    assert _articles(code)["200"].chapter == "Chương XIV. GIẢI QUYẾT TRANH CHẤP LAO ĐỘNG"

    decree = laws["145/2020/NĐ-CP"]
    assert decree.kind == "nghi_dinh" and decree.effective_from == date(2021, 2, 1)
    assert decree.issuer == "Chính phủ" and decree.issued_on == date(2020, 12, 14)
    assert decree.title == (
        "Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Bộ luật Lao động "
        "về điều kiện lao động và quan hệ lao động"
    )
    assert laws["10/2020/TT-BLĐTBXH"].kind == "thong_tu"
    assert len(laws) == 14
    for law in laws.values():
        assert law.warnings == []
        for article in law.articles:
            assert "(Điều này có nội dung liên quan" not in article.text
            assert "Điều 20.2." not in article.text
            assert "](http" not in article.text


def test_plain_effective_date_is_the_documents_own_not_a_contracts():
    text = (
        "Số: 2/2024/NĐ-CP\nHà Nội, ngày 05 tháng 3 năm 2024\nNGHỊ ĐỊNH\nVỀ THỎA ƯỚC\n"
        "Điều 1. Thỏa ước\nThỏa ước lao động tập thể có hiệu lực từ ngày ký.\n"
        "Mục 3 Chương III của Nghị định số 1/2024/NĐ-CP được bãi bỏ.\n"
        "Điều 2. Hiệu lực thi hành\nNghị định này có hiệu lực thi hành kể từ ngày ký ban hành.\n"
    )
    law = parse_plain(text)
    assert law.issued_on == law.effective_from == date(2024, 3, 5)
    assert law.title == "Nghị định về thỏa ước"
    assert law.articles[0].text.endswith(
        "Mục 3 Chương III của Nghị định số 1/2024/NĐ-CP được bãi bỏ."
    )
    assert law.articles[0].section == ""


@pytest.mark.datasets
def test_the_code_written_out_as_plain_text_reads_back_the_same():
    """The two readers agree: the code's 169 articles from the Pháp điển, printed the way
    vbpl.vn prints a law, come back from parse_plain with the same text, clauses, chapters."""
    (code,) = [law for law in parse_file(PHAP_DIEN) if law.law_id == "45/2019/QH14"]
    lines = ["QUỐC HỘI", "Luật số: 45/2019/QH14", "BỘ LUẬT", "LAO ĐỘNG", "Căn cứ Hiến pháp;"]
    chapter = section = ""
    written = [article for article in code.articles if article.has_text]
    for article in written:
        if article.chapter != chapter:
            chapter, section = article.chapter, ""
            lines += chapter.split(". ", 1)
        if article.section != section:
            section = article.section
            lines.append(section)
        lines += [f"Điều {article.number}. {article.title}", *article.text.split("\n")]
    law = parse_plain("\n".join(lines))
    assert law.title == "Bộ luật Lao động" and law.warnings == []
    assert [(a.number, a.title, a.text, a.chapter, a.section, a.clauses) for a in law.articles] == [
        (a.number, a.title, a.text, a.chapter, a.section, a.clauses) for a in written
    ]
