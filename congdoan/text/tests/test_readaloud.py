"""Read-aloud Vietnamese: each rule of congdoan.text.readaloud, case by case."""

from __future__ import annotations

from datetime import timedelta

import pytest

from congdoan.text.readaloud import (
    ABBREVIATIONS,
    digits_to_words,
    number_to_words,
    read_aloud,
    reading_time,
    syllable_count,
)

NUMBERS = [
    (0, "không"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (31, "ba mươi mốt"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (1001, "một nghìn không trăm linh một"),
    (1995, "một nghìn chín trăm chín mươi lăm"),
    (2026, "hai nghìn không trăm hai mươi sáu"),
    (10_000, "mười nghìn"),
    (250_000, "hai trăm năm mươi nghìn"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (1_250_000, "một triệu hai trăm năm mươi nghìn"),
    (1_000_000_000, "một tỷ"),
    (2_000_000_000_000, "hai nghìn tỷ"),
    (-3, "âm ba"),
]


@pytest.mark.parametrize(("number", "words"), NUMBERS)
def test_numbers_are_read_the_northern_way(number, words):
    assert number_to_words(number) == words


CASES = [
    # money, thousands grouped by full stops
    ("1.250.000 đồng", "một triệu hai trăm năm mươi nghìn đồng"),
    ("500.000đ", "năm trăm nghìn đồng"),
    ("2.000.000 VNĐ", "hai triệu đồng"),
    # plain numbers and a year
    ("21 người", "hai mươi mốt người"),
    ("105 người", "một trăm linh năm người"),
    ("năm 1995", "năm một nghìn chín trăm chín mươi lăm"),
    # dates
    (
        "27/11/2026",
        "ngày hai mươi bảy tháng mười một năm hai nghìn không trăm hai mươi sáu",
    ),
    (
        "ngày 27/11/2026",
        "ngày hai mươi bảy tháng mười một năm hai nghìn không trăm hai mươi sáu",
    ),
    ("05/4/2025", "ngày năm tháng tư năm hai nghìn không trăm hai mươi lăm"),
    ("từ 1/5", "từ ngày một tháng năm"),
    ("tháng 11/2026", "tháng mười một năm hai nghìn không trăm hai mươi sáu"),
    ("tháng 4", "tháng tư"),
    ("32/13", "ba mươi hai/mười ba"),  # no date: left as numbers
    # times
    ("7h30", "bảy giờ ba mươi phút"),
    ("lúc 14h", "lúc mười bốn giờ"),
    ("08:05", "tám giờ năm phút"),
    ("7h00", "bảy giờ"),
    # percentages and decimals
    ("90%", "chín mươi phần trăm"),
    ("12,5 %", "mười hai phẩy năm phần trăm"),
    ("3,5 triệu", "ba phẩy năm triệu"),
    ("3,25", "ba phẩy hai mươi lăm"),
    ("0,05", "không phẩy không năm"),
    # phone numbers digit by digit, groups as written
    ("0912345678", "không chín một hai, ba bốn năm, sáu bảy tám"),
    ("0912 345 678", "không chín một hai, ba bốn năm, sáu bảy tám"),
    ("024.3826.1234", "không hai bốn, ba tám hai sáu, một hai ba bốn"),
    ("+84 912 345 678", "cộng tám tư, chín một hai, ba bốn năm, sáu bảy tám"),
    ("1900 1234", "một chín không không, một hai ba bốn"),
    ("mã 00123", "mã không không một hai ba"),
    # abbreviations
    ("CĐCS", "Công đoàn cơ sở"),
    ("Chủ tịch CĐCS", "Chủ tịch công đoàn cơ sở"),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh"),
    ("đóng BHXH", "đóng bảo hiểm xã hội"),
    ("quyền của NLĐ", "quyền của người lao động"),
    ("Tháng hành động về ATVSLĐ", "Tháng hành động về an toàn, vệ sinh lao động"),
    ("đội ngũ CNVCLĐ", "đội ngũ công nhân, viên chức, lao động"),
    ("TP. Hà Nội", "Thành phố Hà Nội"),
    ("ở TP.HCM", "ở Thành phố Hồ Chí Minh"),
    ("Q.1", "Quận một"),
    ("nhà ở Q. 3", "nhà ở quận ba"),
    ("lương, thưởng, v.v.", "lương, thưởng, vân vân."),
    ("lương, v.v. Sau đó", "lương, vân vân. Sau đó"),
    ("chờ… rồi", "chờ, rồi"),
    ("CĐCSX", "CĐCSX"),  # not a whole token: left alone
    # legal references
    ("Điều 113", "Điều một trăm mười ba"),
    ("khoản 2 Điều 35", "khoản hai Điều ba mươi lăm"),
    (
        "Nghị định 145/2020/NĐ-CP",
        "Nghị định số một trăm bốn mươi lăm năm hai nghìn không trăm hai mươi của Chính phủ",
    ),
    (
        "Bộ luật 45/2019/QH14",
        "Bộ luật số bốn mươi lăm năm hai nghìn không trăm mười chín của Quốc hội khóa mười bốn",
    ),
    ("Chương IV", "Chương bốn"),
    ("Đại hội XIII", "Đại hội mười ba"),
    ("lần thứ 4", "lần thứ tư"),
    ("thứ 1", "thứ nhất"),
    # ranges
    ("2024–2026", "hai nghìn không trăm hai mươi tư đến hai nghìn không trăm hai mươi sáu"),
    ("7-9 người", "bảy đến chín người"),
]


@pytest.mark.parametrize(("text", "spoken"), CASES)
def test_read_aloud_writes_out_what_a_reader_says(text, spoken):
    # Each case is a sentence: one that starts with a number or an abbreviation starts with
    # a capital once written out; one the writer began in lower case stays so.
    if not text[0].islower():
        spoken = spoken[0].upper() + spoken[1:]
    assert read_aloud(text) == spoken


def test_a_whole_bulletin_reads_smoothly():
    text = (
        "CĐCS Công ty May 10 tổ chức hội nghị NLĐ ngày 27/11/2026 lúc 7h30. "
        "Theo Điều 113 BLLĐ, 90% NLĐ được hỗ trợ 1.250.000 đồng.\nLiên hệ: 0912345678."
    )
    assert read_aloud(text) == (
        "Công đoàn cơ sở Công ty May mười tổ chức hội nghị người lao động ngày hai mươi bảy "
        "tháng mười một năm hai nghìn không trăm hai mươi sáu lúc bảy giờ ba mươi phút. "
        "Theo Điều một trăm mười ba Bộ luật Lao động, chín mươi phần trăm người lao động "
        "được hỗ trợ một triệu hai trăm năm mươi nghìn đồng.\n"
        "Liên hệ: không chín một hai, ba bốn năm, sáu bảy tám."
    )


def test_read_aloud_leaves_no_digit_behind():
    text = "Ngày 1/5/2026, 1.234 người, 7h, 45%, 3,5, 0912 345 678, 12/2019/ND-CP, số 7."
    assert not any(ch.isdigit() for ch in read_aloud(text))


def test_every_abbreviation_is_written_out_in_letters():
    for key, words in ABBREVIATIONS.items():
        assert read_aloud(f"x {key} y") == f"x {words} y".replace("  ", " "), key


def test_digits_to_words_reads_each_digit():
    assert digits_to_words("0 9-1") == "không chín một"


def test_syllables_are_counted_on_the_spoken_form():
    assert syllable_count("1.250.000 đồng") == 8
    assert syllable_count("CĐCS") == 4
    assert syllable_count("") == 0


def test_reading_time_counts_syllables_at_the_given_rate():
    text = " ".join(["lao"] * 160)  # 160 syllables, no pause
    assert reading_time(text) == timedelta(minutes=1)
    assert reading_time(text, words_per_minute=80) == timedelta(minutes=2)


def test_reading_time_adds_a_breath_at_each_sentence_and_comma():
    plain = " ".join(["lao"] * 160)
    broken = ". ".join(["lao " * 39 + "lao"] * 4) + "."
    assert syllable_count(broken) == 160
    assert reading_time(broken) > reading_time(plain)


def test_reading_time_of_numbers_counts_their_words():
    assert reading_time("1.250.000") > reading_time("một")
    assert reading_time("") == timedelta(0)


def test_reading_time_refuses_a_rate_of_zero():
    with pytest.raises(ValueError, match="positive"):
        reading_time("lao", words_per_minute=0)
