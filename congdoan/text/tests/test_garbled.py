from __future__ import annotations

from congdoan.text.garbled import Repair, repair, score

CLEAN = "Đẩy mạnh công tác truyền thông Công đoàn huyện Phú Xuyên"


def test_score_tells_garbled_text_from_clean_text() -> None:
    assert score("Pay manh cong tic truyén thong Cong doan huyén Phi Xuyén").garbled
    assert score("Thyc hién Chuong trinh s6 01/CTr-BCH ngay 29/12/2023 cia Téng Lién doan").garbled
    assert not score(CLEAN).garbled
    assert not score("cong ty tra luong cham").garbled


def test_clean_text_is_unchanged() -> None:
    assert repair(CLEAN) == Repair(CLEAN, [])


def test_repair_reads_digits_inside_words() -> None:
    assert repair("x4y dung").text == "xây dựng"
