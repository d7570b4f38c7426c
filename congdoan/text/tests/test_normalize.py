from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from congdoan.text import fold, normalize, sentences, strip_marks, words
from congdoan.text.legacy import tcvn3_to_unicode, vni_to_unicode


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("Hoà Bình", "Hòa Bình"),
        ("HOÀ", "HÒA"),
        ("quý", "quý"),
        ("giữa", "giữa"),
        ("hoàng", "hoàng"),
        ("thuyền", "thuyền"),
        ("người", "người"),
        ("khuỷu", "khuỷu"),
        ("ngoài", "ngoài"),
    ],
)
def test_normalize_puts_tone_marks_in_the_new_style(old: str, new: str) -> None:
    assert normalize(old) == new


def test_normalize_composes_decomposed_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Công đoàn cơ sở")
    assert normalize(decomposed) == "Công đoàn cơ sở"


def test_normalize_converts_legacy_vni_and_tcvn3_lines() -> None:
    assert normalize("Coâng ñoaøn cô sôû") == "Công đoàn cơ sở"
    assert normalize("C«ng ®oµn c¬ së") == "Công đoàn cơ sở"
    assert vni_to_unicode("Tieáng Vieät") == "Tiếng Việt"
    assert tcvn3_to_unicode("TiÕng ViÖt") == "Tiếng Việt"


def test_normalize_leaves_english_and_correct_text_alone() -> None:
    for text in ("Hello world, café résumé", "Điều 5. Quyền của người lao động", "email: a@b.vn"):
        assert normalize(text) == text


def test_normalize_tidies_whitespace_but_keeps_lines() -> None:
    assert normalize("  Công \t đoàn\u200b  \nhọp ") == "Công đoàn\nhọp"


def test_fold_removes_marks_case_and_d_stroke() -> None:
    assert fold("Kế hoạch Đoàn") == "ke hoach doan"
    assert fold("ĐOÀN THANH NIÊN") == "doan thanh nien"
    assert strip_marks("Đồng Tâm") == "Dong Tam"


def test_sentences_split_at_ends_but_not_abbreviations_or_numbers() -> None:
    text = "TP. Hà Nội có 1.000 đoàn viên. Họ họp! Còn ai không?"
    assert sentences(text) == ["TP. Hà Nội có 1.000 đoàn viên.", "Họ họp!", "Còn ai không?"]


def test_words_joins_the_syllables_of_one_word_with_a_space() -> None:
    assert words("Công đoàn cơ sở họp bàn kế hoạch.") == [
        "Công đoàn",
        "cơ sở",
        "họp",
        "bàn",
        "kế hoạch",
        ".",
    ]


def test_text_package_has_no_django_imports() -> None:
    package = Path(__file__).resolve().parents[1]
    name = "dj" + "ango"
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert f"import {name}" not in source and f"from {name}" not in source, path


def test_a_symbol_standing_alone_is_not_a_legacy_font():
    # "©" is "â" in TCVN3, but alone it is the copyright sign of Unicode text.
    assert normalize("ban quyen © 2024") == "ban quyen © 2024"
    assert normalize("Bản quyền © 2024 ®") == "Bản quyền © 2024 ®"
    assert normalize("C«ng ®oµn c¬ së") == "Công đoàn cơ sở"
