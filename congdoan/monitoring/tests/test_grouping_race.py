"""Two workers grouping copies of one new story at the same moment open one narrative
(PostgreSQL: each used to look for copies while the other's were not committed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.utils import timezone

from congdoan.monitoring import grouping
from congdoan.monitoring.grouping import matching
from congdoan.monitoring.models import Item, Narrative, Source, SourceKind
from congdoan.testing_races import race_while_held
from congdoan.text import neardup

pytestmark = pytest.mark.django_db(transaction=True)

STORY = (
    "Công nhân Công ty May A phản ánh bị cắt thưởng Tết năm nay dù đã tăng ca suốt ba tháng, "
    "công đoàn cơ sở chưa lên tiếng bảo vệ quyền lợi của người lao động trong xưởng."
)
COPY = STORY + " Ai biết thêm thông tin thì chia sẻ với mọi người nhé!!!"


def _item(source: Source, text: str, n: int) -> Item:
    return Item.objects.create(
        source=source,
        external_id=f"race-{n}",
        content_hash=f"race{n}".ljust(40, "0"),
        text=text,
        published_at=timezone.now(),
        relevant=True,
    )


def _race(items: list[Item]) -> dict[int, str]:
    """Group each item in its own thread while a third connection holds the buckets' table:
    every grouping reaches its first write, then the table is let go."""

    def group(item: Item) -> Callable[[], str]:
        def job() -> str:
            grouping.assign([item])
            return "grouped"

        return job

    outcomes = race_while_held(
        "LOCK TABLE monitoring_lshbucket IN EXCLUSIVE MODE",
        [],
        {str(item.pk): group(item) for item in items},
        hold_s=2,
        join_s=60,
    )
    return {int(pk): outcome for pk, outcome in outcomes.items()}


def test_copies_grouped_at_once_by_two_workers_open_one_narrative(cast: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: the race is PostgreSQL's")
    news = Source.objects.create(unit=cast.unit_a, kind=SourceKind.RSS, name="Báo điện tử")
    page = Source.objects.create(unit=cast.unit_b, kind=SourceKind.FACEBOOK, name="Trang")
    first, second = _item(news, STORY, 1), _item(page, COPY, 2)
    outcomes = _race([first, second])
    assert outcomes == {first.pk: "grouped", second.pk: "grouped"}
    first.refresh_from_db()
    second.refresh_from_db()
    assert Narrative.objects.count() == 1
    assert first.narrative_id is not None and first.narrative_id == second.narrative_id
    assert Narrative.objects.get().item_count == 2


def test_other_stories_at_once_do_not_wait_for_each_other(cast: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's advisory locks")
    news = Source.objects.create(unit=cast.unit_a, kind=SourceKind.RSS, name="Báo điện tử")
    other = (
        "Công đoàn Công ty Điện tử B tổ chức hội thao chào mừng ngày thành lập Công đoàn Việt "
        "Nam, hơn 300 đoàn viên tham gia các môn kéo co, bóng đá và cầu lông cuối tuần."
    )
    a, b = _item(news, STORY, 3), _item(news, other, 4)
    keys = neardup.band_keys(neardup.signatures([STORY, other]))
    assert not set(matching.lock_slots(keys[:1])) & set(matching.lock_slots(keys[1:]))
    assert _race([a, b]) == {a.pk: "grouped", b.pk: "grouped"}
    assert Narrative.objects.count() == 2


def test_lock_slots_are_sorted_and_a_big_batch_takes_the_lock_of_all() -> None:
    keys = neardup.band_keys(neardup.signatures([STORY, COPY, STORY]))
    slots = matching.lock_slots(keys)
    assert slots == sorted(set(slots)) and all(0 <= s < matching.LOCK_SLOTS for s in slots)
    assert len(matching.lock_slots(keys[:1])) == neardup.BANDS
    assert matching.lock_slots(np.zeros((0, neardup.BANDS), dtype=np.int64)) == []
    many = np.arange(20 * neardup.BANDS, dtype=np.int64).reshape(20, neardup.BANDS) * 7919
    assert len(matching.lock_slots(many)) > matching.MAX_SLOT_LOCKS
