"""Confidence of restored words and the lexicon of known names (issue 11.4)."""

from __future__ import annotations

from congdoan.text.restore import Lexicon, default_restorer, restore


def test_scored_restoration_reads_exactly_as_the_plain_one() -> None:
    lines = ["cong ty tra luong cham", "xe dua don hay den muon, di lam tre bi tru luong", ""]
    restorer = default_restorer()
    scored = restorer.restore_scored(lines)
    assert [r.text for r in scored] == restorer.restore_lines(lines)


def test_each_changed_word_has_its_offsets_and_a_probability() -> None:
    result = default_restorer().restore_text("Cong ty tra luong cham\nxuong SMT nong qua")
    assert result.text == restore("Cong ty tra luong cham\nxuong SMT nong qua")
    changed = [w for w in result.words if w.changed]
    assert changed
    for word in changed:
        assert result.text[word.start : word.end] == word.restored
        assert 0.0 < word.confidence <= 1.0
    assert result.confidence == min(w.confidence for w in changed)


def test_an_ambiguous_word_is_less_sure_than_a_clear_one() -> None:
    # "xuong" alone before a foreign code: xuống (go down) or xưởng (workshop)?
    unsure = default_restorer().restore_text("xuong SMT nong qua")
    sure = default_restorer().restore_text("nguoi lao dong khong duoc tra tien lam them gio")
    assert unsure.confidence < 0.9 <= sure.confidence
    assert unsure.doubtful(0.9)[0].original == "xuong"


def test_a_text_with_nothing_to_restore_is_fully_sure() -> None:
    result = default_restorer().restore_text("Công ty trả lương chậm.")
    assert result.text == "Công ty trả lương chậm."
    assert result.confidence == 1.0


def test_names_of_the_lexicon_win_over_the_language_model() -> None:
    text = "cong ty may phu minh cham luong"
    assert "Phú Minh" not in restore(text).title()  # the model alone reads "phú mình"/"phụ mình"
    lexicon = Lexicon(["Công đoàn Công ty TNHH May Phú Minh"])
    result = default_restorer().restore_text(text, lexicon=lexicon)
    assert "may phú minh" in result.text


def test_the_field_test_misreadings_are_flagged_unsure() -> None:
    # Issue 11.4: "chạm … chưa có lượng" for "chậm … chưa có lương" was shown as fact.
    result = default_restorer().restore_text(
        "cong ty may phu minh cham luong thang 10 hai tuan roi, chua co luong"
    )
    flagged = {w.original for w in result.doubtful(0.9)}
    assert {"cham", "luong"} <= flagged
