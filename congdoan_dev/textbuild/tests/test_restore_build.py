from __future__ import annotations

from congdoan_dev.textbuild.corpus import _TOKEN_RE, input_like
from congdoan_dev.textbuild.noisy_dev import noisy_pairs


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


def test_the_noisy_development_set_injects_one_to_three_errors_per_sentence() -> None:

    sentences = [
        "Công đoàn cơ sở tổ chức hội nghị người lao động vào tháng ba",
        "Người lao động được trả lương đúng hạn theo hợp đồng đã ký",
    ] * 20
    pairs = noisy_pairs(sentences)
    assert pairs == noisy_pairs(sentences)  # seeded
    assert [b for _, b in pairs] == sentences
    changed = [(a, b) for a, b in pairs if a != b]
    assert 0 < len(changed) < len(pairs)  # some sentences stay clean
    for noisy, clean in changed:
        wrong = sum(x != y for x, y in zip(noisy.split(" "), clean.split(" "), strict=True))
        assert 1 <= wrong <= 3
