"""Detection: relevance (vocabulary, source keywords, unit names in their written forms),
toxicity, stance toward the union, known claims (lexical and by meaning), risk, the batch path
and the accurate re-reading."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan.monitoring.detection import score_items
from congdoan.monitoring.models import Item, Source, SourceKind


@pytest.fixture
def source(cast: Any) -> Source:
    return Source.objects.create(
        unit=cast.district, name="Nhóm Facebook công nhân", kind=SourceKind.FILE
    )


def make_items(source: Source, texts: list[str], reach: int = 0) -> list[Item]:
    return Item.objects.bulk_create(
        [
            Item(source=source, external_id=f"x{i}", content_hash=f"h{i}", text=t, reach=reach)
            for i, t in enumerate(texts)
        ]
    )


@pytest.mark.django_db
def test_score_items_fills_every_field(source: Source, cast: Any) -> None:
    items = make_items(
        source,
        [
            "Công đoàn Công ty May A tổ chức Tết sum vầy cho công nhân, cảm ơn công đoàn",
            "Hôm nay trời đẹp, đi câu cá ở hồ",
            "cđ ko giúp dc j, đóng đoàn phí làm gì, toàn lũ ăn hại",
        ],
        reach=1000,
    )
    score_items(items)
    got = {it.external_id: it for it in Item.objects.filter(source=source)}
    first, weather, angry = got["x0"], got["x1"], got["x2"]
    for it in got.values():
        assert it.scored_at is not None and it.toxicity and it.stance
        assert 0.0 <= it.risk <= 1.0
    assert first.relevant and not weather.relevant and angry.relevant
    assert list(first.matched_units.all()) == [cast.unit_a]
    assert first.stance == "positive"
    assert angry.stance == "negative"
    assert angry.risk > first.risk > weather.risk - 1e-9
