from __future__ import annotations

from congdoan.text.build.corpus import _TOKEN_RE, input_like


def test_input_like_lowers_and_drops_numbers_commas_brackets_and_quotes() -> None:
    sentence = 'Ngày 5/6/2019, UBND TP. Hà Nội (cơ quan) chi 1.000 tỷ đồng cho "dự án" QH14.'
    assert input_like(sentence) == "ngày ubnd tp. hà nội cơ quan chi tỷ đồng cho dự án ."


def test_corpus_tokens_keep_numbers_and_codes_whole_as_the_restorer_reads_them() -> None:
    assert _TOKEN_RE.findall("chi 1.000 tỷ, theo 45/2019/QH14.") == [
        "chi",
        "1.000",
        "tỷ",
        ",",
        "theo",
        "45/2019/QH14",
        ".",
    ]
