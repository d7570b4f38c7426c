"""The relevance vocabulary, the classifier's combination, the missing-model fallback and the
evaluation on the project's relevance set (congdoan.text.relevance, relevance_eval)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from congdoan.text import relevance
from congdoan.text.relevance_eval import eval_relevance, relevance_set
from congdoan.text.vietnamese import fold


def test_vocabulary_reads_accents_teen_code_and_counts_a_phrase_once() -> None:
    assert relevance.vocabulary_score("Công đoàn cơ sở") == relevance.vocabulary_score("cđ co so")
    # "công đoàn" inside "kinh phí công đoàn" adds nothing of its own.
    assert relevance.vocabulary_score("kinh phí công đoàn") == 0.95
    assert relevance.vocabulary_score("trời mưa to") == 0.0
    assert relevance.vocabulary_score("công đoàn", scale=0.5) == 0.45


def test_combination_is_one_more_noisy_or_term() -> None:
    comb = relevance.Combination(weight=0.8, threshold=0.4, vocabulary=0.5)
    assert comb.score(0.0, 0.5) == pytest.approx(0.4)
    assert comb.score(0.5, 0.5) == pytest.approx(1 - 0.5 * 0.6)
    assert comb.score(0.3, None) == 0.3  # no model: the phrases alone
    assert relevance.combination_of(None) == relevance.Combination(0.0, 0.5, 1.0)


def test_a_missing_model_is_said_once_and_gives_none(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="congdoan.text.relevance"):
        assert relevance.load_model(str(tmp_path / "nowhere")) is None
        assert relevance.load_model(str(tmp_path / "nowhere")) is None
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 1 and "model.npz" in said[0] and "vocabulary" in said[0]


def test_the_shipped_model_reads_context_and_its_combination_was_tuned() -> None:
    clf = relevance.shipped_model()
    assert clf is not None, "congdoan/text/models/labour_relevance is missing"
    comb = relevance.combination_of(clf)
    assert 0 < comb.weight <= 1 and 0.3 <= comb.threshold <= 0.75
    texts = [
        "tuần nào cũng bị giữ lại sau giờ tan ca mà không được trả thêm đồng nào",
        "Cổ phiếu công ty chứng khoán tăng trần phiên sáng nay",
    ]
    probs = relevance.probabilities(clf, [fold(t) for t in texts])
    assert probs[0] > 0.5 > probs[1]


def test_relevance_set_halves_are_apart_and_balanced() -> None:
    texts, labels, splits = relevance_set()
    assert len(texts) == len(set(texts)) >= 400
    for half in ("dev", "test"):
        got = [y for y, s in zip(labels, splits, strict=True) if s == half]
        assert 0.35 < got.count("relevant") / len(got) < 0.65


def test_the_evaluation_runs_on_the_test_half() -> None:
    row = eval_relevance()
    assert row.ours is not None and 0 <= row.ours <= 100
    assert "vocabulary: P" in row.notes and "classifier: P" in row.notes
    assert "combined: P" in row.notes and "test half" in row.data
