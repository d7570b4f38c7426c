"""Relevance with the classifier (congdoan.text.relevance, read in detection's fused pass):
an item relevant only by its context is relevant, an item that only says "công ty" in stock
news is not, and without the model file the vocabulary decides as before."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from congdoan.monitoring.detection import fused, prepare, score_texts, stance, toxicity
from congdoan.monitoring.detection import relevance as rel
from congdoan.text import relevance as toolkit
from congdoan.text.vietnamese import fold

CONTEXT_ONLY = "tuần nào cũng bị giữ lại sau giờ tan ca mà không được trả thêm đồng nào"
STOCK_NEWS = "Cổ phiếu công ty chứng khoán tăng trần phiên sáng nay"


def scores(texts: list[str]) -> list[Any]:
    return score_texts([prepare("", t) for t in texts])


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(rel, "model", lambda: None)
    fused.fast_models.cache_clear()
    rel.invalidate_units()
    yield
    fused.fast_models.cache_clear()
    rel.invalidate_units()


@pytest.mark.django_db
def test_context_makes_an_item_relevant_and_stock_news_stays_out() -> None:
    assert rel.model() is not None
    assert toolkit.vocabulary_score(CONTEXT_ONLY) < toolkit.THRESHOLD  # no phrase says it
    context, stock = scores([CONTEXT_ONLY, STOCK_NEWS])
    assert context.relevance.relevant and context.relevance.probability > 0.5
    assert not stock.relevance.relevant
    assert "cong ty" in stock.relevance.phrases


@pytest.mark.django_db
def test_without_the_model_file_the_vocabulary_decides(no_model: None) -> None:
    context, stock, union = scores([CONTEXT_ONLY, STOCK_NEWS, "Công đoàn thăm công nhân"])
    assert not context.relevance.relevant and context.relevance.score == 0.0
    assert stock.relevance.score == 0.1 and not stock.relevance.relevant
    assert union.relevance.relevant and union.relevance.score == pytest.approx(1 - 0.1 * 0.4)
    assert union.relevance.probability is None
    assert len(fused.fast_models().models) == 2  # toxicity and sentiment only


@pytest.mark.django_db
def test_the_fused_relevance_probabilities_are_the_model_s_own() -> None:
    clf = rel.model()
    assert clf is not None
    texts = [fold(prepare("", t))[:1000] for t in (CONTEXT_ONLY, STOCK_NEWS, "", "!!!")]
    tox, sent, relevance = fused.fast_models().predict_proba(texts)
    assert np.array_equal(tox, toxicity.fast_model().predict_proba(texts))
    assert np.array_equal(sent, stance.fast_model().predict_proba(texts))
    assert np.array_equal(relevance, clf.predict_proba(texts))
