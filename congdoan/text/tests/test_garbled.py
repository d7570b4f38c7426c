from __future__ import annotations

import pytest

from congdoan.text.garbled import GarbleRepairer, Repair, default_repairer, repair, score

# The first lines of the union's plan, as a scanner's built-in OCR read them (issue 19).
PLAN = (
    "Pay manh cong tic truyén thong Cong doan huyén Phi Xuyén",
    "Thyc hién Chuong trinh s6 01/CTr-BCH ngay 29/12/2023 cia Téng Lién doan",
)
CLEAN = "Đẩy mạnh công tác truyền thông Công đoàn huyện Phú Xuyên"


def test_score_tells_garbled_text_from_clean_and_plain_text() -> None:
    for line in PLAN:
        judged = score(line)
        assert judged.garbled
        assert judged.odd_marks > 0
    assert score("Ban chấp hành x4y dung kế hoạch s6 12").digits > 0
    assert not score(CLEAN).garbled
    assert score(CLEAN).clean
    assert not score("cong ty tra luong cham").garbled  # typed without marks: restored
    assert not score("The Board will meet on Monday to discuss the budget.").garbled
    assert not score("").garbled


def test_repair_reads_the_plan_back() -> None:
    first = repair(PLAN[0], extra_words=["Liên đoàn Lao động huyện Phú Xuyên"])
    assert first.text.startswith("Đẩy mạnh công tác truyền")
    assert first.text.endswith("Công đoàn huyện Phú Xuyên")
    second = repair(PLAN[1]).text
    assert second == "Thực hiện Chương trình số 01/CTr-BCH ngày 29/12/2023 của Tổng Liên đoàn"
    assert repair("x4y dung").text == "xây dựng"
    assert "LĐLĐ" in repair("Ban Thudng vu LPLD huyén Phi Xuyén").text


def test_changes_are_offsets_in_the_input() -> None:
    text = "Tiêu đề sạch\n" + PLAN[1]
    result = repair(text)
    assert result.changed
    for start, end, original, replacement in result.changes:
        assert text[start:end] == original
        assert original != replacement
    # Applying the changes to the input gives the output.
    rebuilt, last = [], 0
    for start, end, _original, replacement in result.changes:
        rebuilt += [text[last:start], replacement]
        last = end
    assert "".join(rebuilt) + text[last:] == result.text
    assert result.text.split("\n")[0] == "Tiêu đề sạch"


@pytest.mark.parametrize(
    "line",
    [
        CLEAN,
        "Thực hiện Chương trình số 01/CTr-BCH ngày 29/12/2023 của Tổng Liên đoàn",
        "Căn cứ Luật Công đoàn số 50/2024/QH15 và Bộ luật Lao động 45/2019/QH14;",
        "Liên hệ: bch@congdoan.vn, https://congdoan.vn/van-ban?id=12 hoặc 0912 345 678.",
        "Công ty TNHH May Phú Minh trả lương ngày 5 hằng tháng.",
    ],
)
def test_clean_accented_text_is_unchanged(line: str) -> None:
    assert repair(line) == Repair(line, [])


def test_codes_numbers_urls_and_emails_pass_through_a_garbled_line() -> None:
    line = "Thyc hién Kë hoach s6 12/KH-LPLD, Luat 45/2019/QH14, xem https://ld.vn/a_b hay ab@cd.vn"
    out = repair(line).text
    for kept in ("12/KH-LPLD", "45/2019/QH14", "https://ld.vn/a_b", "ab@cd.vn"):
        assert kept in out
    assert out.startswith("Thực hiện")


def test_english_paragraphs_and_tables_of_numbers_are_unchanged() -> None:
    english = (
        "The trade union will meet on Monday to discuss the budget and the new plan.\n"
        "Please send your comments to the secretary before Friday."
    )
    assert repair(english).text == english
    table = "STT | Đơn vị | 2023 | 2024\n1 | 120 | 1.250.000 | 16\n2 | 14 | 6 | 10,5 %"
    assert repair(table).text == table
    garbled_table = "STT | Don vi | S6 lwong\n1 | 120 | 1.250.000 | 16\n2 | 14 | 6 | 10,5 %"
    assert repair(garbled_table).text.split("\n")[1:] == garbled_table.split("\n")[1:]


def test_mixed_clean_and_garbled_text() -> None:
    text = "\n".join(
        [
            "Công đoàn cơ sở tổ chức hội nghị người lao động năm 2024.",
            PLAN[1],
            "The meeting was held in English.",
            "Ban chấp hành đã thống nhất nội dung.",
        ]
    )
    lines = repair(text).text.split("\n")
    assert lines[0] == "Công đoàn cơ sở tổ chức hội nghị người lao động năm 2024."
    assert lines[1].startswith("Thực hiện Chương trình số 01/CTr-BCH")
    assert lines[2] == "The meeting was held in English."
    assert lines[3] == "Ban chấp hành đã thống nhất nội dung."


def test_plain_text_is_restored_as_before() -> None:
    from congdoan.text.restore import restore_lines

    plain = ["cong ty tra luong cham", "nguoi lao dong duoc nghi phep nam"]
    assert [r.text for r in default_repairer().repair_lines(plain)] == restore_lines(plain)


def test_repairer_without_a_learnt_model_still_works() -> None:
    from congdoan.text.garbled import ConfusionModel

    repairer = GarbleRepairer(model=ConfusionModel.load(MISSING))
    assert repairer.repair_lines([CLEAN])[0].text == CLEAN
    assert repairer.repair_lines([""])[0].text == ""


MISSING = __import__("pathlib").Path("/nonexistent/confusions.json.gz")


def test_english_words_are_no_vietnamese_syllables() -> None:
    from congdoan.text.garbled import _ENGLISH
    from congdoan.text.lm import SyllableLM

    lm = SyllableLM.default()
    assert lm is not None
    assert not [w for w in _ENGLISH if w in lm.candidates]


def test_typed_text_with_typos_is_left_to_the_restorer() -> None:
    from congdoan.text.restore import restore_lines

    typed = [
        "Họ lafm việc vì dân hay vif ai?",
        "Công đoàn cơ sở t5ạo điều kiện cho người lao động nghỉ phép.",
        "Ban chấp hành đã họp vào ngày 5/3 đc mọi người đồng ý.",
    ]
    assert not score("\n".join(typed)).garbled
    assert [r.text for r in default_repairer().repair_lines(typed)] == restore_lines(typed)


def test_a_short_garbled_line_with_capitals() -> None:
    assert repair("LPLD huyén Phi Xuyén").text.startswith("LĐLĐ huyện")
