"""Teen-code and chat shorthand written out (congdoan.text.teencode), and the union toxicity
test set that ships beside the toolkit (its shape only: it is a test set, see data/README.md)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from congdoan.text.evaluate import union_toxicity
from congdoan.text.teencode import TEENCODE, _expand_slow, expand, expand_lines, expand_token
from congdoan.text.vietnamese import fold, has_marks


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("cđ ko giúp dc j", "công đoàn không giúp được gì"),
        ("Lương mà CĐCS k lên tiếng", "Lương mà công đoàn cơ sở không lên tiếng"),
        ("NLĐ bị nợ BHXH wá trời", "người lao động bị nợ bảo hiểm xã hội quá trời"),
        ("hok bít đóng kpcđ làm j", "không biết đóng kinh phí công đoàn làm gì"),
        ("ldld phu xuyen", "liên đoàn lao động phu xuyen"),
        ("fải đi làm OT", "phải đi làm tăng ca"),
        ("đâuuuu có đc", "đâu có được"),
        ("kooo", "không"),
        ("cty nợ lương vs ae", "công ty nợ lương với anh em"),
    ],
)
def test_shorthand_is_written_out(typed: str, meant: str) -> None:
    assert expand(typed) == meant


@pytest.mark.parametrize(
    "kept",
    [
        "50k một tháng",  # a k glued to a number is a thousand
        "dùng zalo, wifi và facebook",  # English and brand words that are no syllable
        "Công đoàn cơ sở họp ban chấp hành",  # ordinary text
        "5 kg gạo",
        "http://example.com/k/dc",  # a path is no word
        "",
    ],
)
def test_ordinary_text_is_left_alone(kept: str) -> None:
    assert expand(kept) == kept


def test_keys_are_lower_case_and_expansions_have_marks_or_are_words() -> None:
    for key, value in TEENCODE.items():
        assert key == key.lower()
        assert value == value.lower() and value.strip() == value
    assert expand_token("KO") == "không"
    assert expand_lines(["ko", "dc"]) == ["không", "được"]


def test_accent_free_and_accented_shorthand_fold_alike() -> None:
    assert fold(expand("cđcs")) == fold(expand("cdcs")) == "cong doan co so"
    assert fold(expand("lđlđ")) == fold(expand("ldld"))


def test_union_toxicity_set_is_balanced_enough_and_mixed() -> None:
    texts, labels = union_toxicity()
    counts = Counter(labels)
    assert set(counts) == {"clean", "offensive", "hate"}
    assert len(texts) >= 300
    assert min(counts.values()) >= 0.2 * len(texts)
    assert len(set(texts)) == len(texts)  # no line twice
    assert sum(not has_marks(t) for t in texts) >= 15  # typed without diacritics too


@pytest.mark.parametrize(
    "typed",
    [
        "cđ  ko\tgiúp dc j,ko/ /ko đc_ k0 K0 KO",
        "Bây H mới cÁm Ơn ae, a/C nhé",  # keys holding a space or a slash
        "vſ ae İu ıu",  # characters IGNORECASE matches to another's lower case
        "đâuuuu kooo wá fải zalo 50k\nko",
        " ko ",
        "kooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo ko",
    ],
)
def test_the_fast_path_gives_what_the_one_regex_pass_gives(typed: str) -> None:
    assert expand(typed) == _expand_slow(typed)
    assert expand(typed) == _expand_slow(typed)  # remembered pieces too


def test_the_fast_path_matches_the_definition_on_random_shorthand() -> None:
    rng = random.Random(18)
    words = [*TEENCODE, "đâuuu", "wá", "Kooo", "ZALO", "50k", "/k/", "Công", "!!!", "ſ", "x"]
    for _ in range(2000):
        text = "".join(
            rng.choice(words) + rng.choice(["", " ", " ", ",", "/", "\n", "  "])
            for _ in range(rng.randint(1, 12))
        )
        assert expand(text) == _expand_slow(text), text
