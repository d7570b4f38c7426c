from __future__ import annotations

import pytest

from congdoan.text import restore
from congdoan.text.correct import telex_decode
from congdoan.text.restore import restore_lines


def test_restore_adds_diacritics_to_text_typed_without_them() -> None:
    assert restore("cong ty tra luong cham") == "công ty trả lương chậm"


def test_restore_keeps_case_numbers_codes_urls_and_punctuation() -> None:
    text = "Theo CV 12/KH-LĐLĐ, CONG DOAN Ha Noi tra luong ngay 5/3 (xem http://abc.vn/a_b)!"
    assert restore(text) == (
        "Theo CV 12/KH-LĐLĐ, CÔNG ĐOÀN Hà Nội trả lương ngày 5/3 (xem http://abc.vn/a_b)!"
    )


def test_restore_corrects_ocr_noise_from_an_engine_without_vietnamese() -> None:
    assert restore("Hoi nghi tong két cong tic cong doan nim 2025") == (
        "Hội nghị tổng kết công tác công đoàn năm 2025"
    )


def test_restore_reads_letters_that_ocr_turned_into_digits_or_p() -> None:
    assert restore("Pieu 5. Quyen cua nguoi lao dong") == "Điều 5. Quyền của người lao động"
    assert restore("Lien doan Lao dong thanh ph6") == "Liên đoàn Lao động thành phố"
    assert restore("file mp3, H5N1, A4, COVID19") == "file mp3, H5N1, A4, COVID19"


def test_restore_corrects_telex_typed_without_an_input_method() -> None:
    assert restore("Họ lafm việc vì dân hay vif ai?") == "Họ làm việc vì dân hay vì ai?"
    assert telex_decode("khoong") == ["không"]
    assert "ngừa" in telex_decode("nguwfa")


@pytest.mark.parametrize(
    "text",
    [
        "Công đoàn cơ sở tổ chức hội nghị người lao động năm 2025.",
        "Họ tổ chức chat và lập ra các nhóm trên Facebook.",
        "UBND TP Hà Nội ban hành Quyết định số 45/QĐ-UBND.",
        "P.Văn - L.Long",
    ],
)
def test_restore_leaves_correct_text_unchanged(text: str) -> None:
    assert restore(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀🎉",
        "Hello world",
        "中文内容测试",
        "<p>&nbsp;</p>",
        "\x00\x01\ufffd",
        "1234 5678",
        "mixed 中文 and English 😀",
    ],
)
def test_restore_returns_text_it_cannot_improve_as_it_came(text: str) -> None:
    assert restore(text) == text


def test_restore_keeps_the_number_of_lines_on_bad_input() -> None:
    lines = ["", "x" * 1_000_000, "\udcff\udcfe binary", "<b>cong doan</b>", "😀 cong ty", "a" * 10]
    out = restore_lines(lines)
    assert len(out) == len(lines)
    assert out[0] == ""
    assert out[2] == lines[2]
    assert out[3] == "<b>công đoàn</b>"
    assert restore("dong 1\ndong 2\n").count("\n") == 2


def test_restore_handles_a_long_line_of_text() -> None:
    line = "cong ty tra luong cham " * 20_000
    out = restore(line)
    assert len(out) == len(line)
    assert out.startswith("công ty trả lương chậm")


def test_restore_converts_text_typed_in_a_legacy_font() -> None:
    assert restore("Coâng ty traû löông chaäm") == "Công ty trả lương chậm"


def test_restore_reads_lower_case_text_whose_numbers_were_left_out() -> None:
    # Input exported without numbers ("vào tháng 5 để có" → "vao thang de co") is a
    # context the model is trained on as well.
    assert (
        restore("vao thang de co nguon tien la ty dong.")
        == "vào tháng để có nguồn tiền là tỷ đồng."
    )
    assert restore("ong ta sinh nam tai ha noi.") == "ông ta sinh năm tại hà nội."


def test_restore_adds_the_stroke_to_frequent_abbreviations_and_names() -> None:
    assert restore("sinh vien dh quoc gia") == "sinh viên đh quốc gia"
    assert restore("tinh dak lak") == "tỉnh đắk lắk"
    assert restore("o hong kong") == "ở hồng kông"
