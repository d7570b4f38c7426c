"""Grouping: copies of one story across sources are one narrative, other stories are not; the
LSH index in the database; the narrative's figures and its spread."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from congdoan.monitoring import grouping
from congdoan.monitoring.models import (
    Item,
    LshBucket,
    Narrative,
    Source,
    SourceKind,
    Stance,
    Toxicity,
)
from congdoan.text import neardup
from congdoan.text.match import jaccard_estimate, minhash

pytestmark = pytest.mark.django_db

BONUS = (
    "Công nhân Công ty May A phản ánh bị cắt thưởng Tết năm nay dù đã tăng ca suốt ba tháng, "
    "công đoàn cơ sở chưa lên tiếng bảo vệ quyền lợi của người lao động trong xưởng."
)
BONUS_UNACCENTED = (
    "Chia sẻ: cong nhan cong ty may A phan anh bi cat thuong Tet nam nay du da tang ca suot "
    "ba thang, cong doan co so chua len tieng bao ve quyen loi cua nguoi lao dong trong xuong."
)
BONUS_COMMENTED = BONUS + " Ai biết thêm thông tin thì chia sẻ với mọi người nhé!!!"
SPORTS = (
    "Công đoàn Công ty Điện tử B tổ chức hội thao chào mừng ngày thành lập Công đoàn Việt Nam, "
    "hơn 300 đoàn viên tham gia các môn kéo co, bóng đá và cầu lông trong hai ngày cuối tuần."
)
BONUS_OTHER = (
    "Công ty Điện tử B thông báo chi thưởng Tết bằng hai tháng lương cho toàn bộ người lao động, "
    "công đoàn cơ sở đã thương lượng thành công sau nhiều buổi đối thoại với ban giám đốc."
)

T0 = datetime(2026, 11, 20, 8, 0)


@pytest.fixture
def sources(cast: Any) -> list[Source]:
    return [
        Source.objects.create(unit=cast.unit_a, kind=SourceKind.RSS, name="Báo điện tử"),
        Source.objects.create(unit=cast.unit_b, kind=SourceKind.FACEBOOK, name="Trang Facebook"),
        Source.objects.create(unit=cast.district, kind=SourceKind.TIPS, name="Tin báo"),
    ]


_n = 0


def item(
    source: Source, text: str, *, hours: float = 0, relevant: bool = True, **fields: Any
) -> Item:
    global _n
    _n += 1
    fields.setdefault("reach", 100)
    return Item.objects.create(
        source=source,
        external_id=f"x{_n}",
        content_hash=f"h{_n}",
        text=text,
        published_at=timezone.make_aware(T0 + timedelta(hours=hours)),
        relevant=relevant,
        **fields,
    )


def test_signatures_estimate_the_same_similarity_as_the_toolkit():
    for a, b in [(BONUS, BONUS_UNACCENTED), (BONUS, BONUS_COMMENTED), (BONUS, SPORTS)]:
        ours = neardup.similarity(neardup.signature(a), neardup.signature(b))
        toolkit = jaccard_estimate(minhash(a), minhash(b))
        assert abs(ours - toolkit) < 0.15
    assert neardup.similarity(neardup.signature(BONUS), neardup.signature(BONUS)) == 1.0
    sigs = neardup.signatures([BONUS, "", "ab", BONUS_COMMENTED])
    assert sigs.shape == (4, 128) and (sigs[0] == neardup.signature(BONUS)).all()
    assert (sigs[1] == 0xFFFFFFFF).all() and not (sigs[2] == 0xFFFFFFFF).all()
    assert neardup.band_keys(sigs).shape == (4, neardup.BANDS)
    # Teen-code and unaccented copies are cleaned alike.
    assert neardup.clean("Cty ko trả lương đc 3 tháng") == neardup.clean(
        "Công ty không trả lương được 3 tháng"
    )


def test_copies_across_sources_join_one_narrative_and_other_stories_do_not(sources, cast):
    web, facebook, tips = sources
    first = item(web, BONUS)
    grouping.assign([first])
    first.refresh_from_db()
    narrative = first.narrative
    assert narrative is not None and narrative.unit == cast.unit_a
    assert LshBucket.objects.filter(item=first).count() == grouping.BANDS

    copies = [
        item(facebook, BONUS_UNACCENTED, hours=2),
        item(tips, BONUS_COMMENTED, hours=3),
    ]
    others = [item(facebook, SPORTS, hours=1), item(web, BONUS_OTHER, hours=4)]
    grouping.assign(copies + others)
    for c in copies:
        c.refresh_from_db()
        assert c.narrative_id == narrative.pk
    other_narratives = {Item.objects.get(pk=o.pk).narrative_id for o in others}
    assert narrative.pk not in other_narratives and None not in other_narratives
    assert len(other_narratives) == 2
    assert Narrative.objects.count() == 3
    narrative.refresh_from_db()
    assert narrative.item_count == 3 and narrative.source_count == 3


def test_only_relevant_items_open_narratives_and_irrelevant_copies_join(sources):
    web, facebook, _tips = sources
    stray = item(web, SPORTS, relevant=False)
    grouping.assign([stray])
    stray.refresh_from_db()
    assert stray.narrative_id is None and stray.signature is not None
    assert LshBucket.objects.filter(item=stray).count() == grouping.BANDS
    # A relevant copy opens the story; the earlier irrelevant copy joins it.
    relevant = item(facebook, SPORTS + " Chia sẻ ngay!", hours=1)
    grouping.assign([relevant])
    relevant.refresh_from_db()
    stray.refresh_from_db()
    assert relevant.narrative_id is not None and stray.narrative_id == relevant.narrative_id
    # A later irrelevant copy joins too.
    late = item(web, SPORTS, hours=2, relevant=False)
    grouping.assign([late])
    late.refresh_from_db()
    assert late.narrative_id == relevant.narrative_id
    assert Narrative.objects.get().item_count == 3


def test_assign_is_idempotent(sources):
    web, facebook, _tips = sources
    items = [item(web, BONUS), item(facebook, BONUS_UNACCENTED, hours=1), item(web, SPORTS)]
    grouping.assign(items)
    before = dict(Item.objects.values_list("pk", "narrative_id"))
    buckets = LshBucket.objects.count()
    grouping.assign(list(Item.objects.all()))
    grouping.assign(items)
    assert dict(Item.objects.values_list("pk", "narrative_id")) == before
    # The unaccented copy is the same text as the first: found through it, not indexed.
    assert LshBucket.objects.count() == buckets == 2 * grouping.BANDS
    assert not LshBucket.objects.filter(item=items[1]).exists()
    assert Narrative.objects.count() == 2


def test_group_all_gives_the_same_narratives_as_assign(sources):
    web, facebook, tips = sources
    texts = [BONUS, SPORTS, BONUS_UNACCENTED, BONUS_OTHER, BONUS_COMMENTED, SPORTS + " Hay quá"]
    batch = [item((web, facebook, tips)[n % 3], t, hours=n) for n, t in enumerate(texts)]
    grouping.group_all(batch)
    got = [Item.objects.get(pk=i.pk).narrative_id for i in batch]
    assert got[0] == got[2] == got[4] and got[1] == got[5]
    assert len({got[0], got[1], got[3]}) == 3
    buckets = LshBucket.objects.count()
    assert buckets % grouping.BANDS == 0 and 4 * grouping.BANDS <= buckets < 6 * grouping.BANDS
    # A later small batch joins the stories grouped in bulk.
    late = item(web, BONUS_COMMENTED + " Đúng vậy", hours=10)
    grouping.assign([late])
    assert Item.objects.get(pk=late.pk).narrative_id == got[0]


def test_refresh_computes_the_narratives_figures(sources, cast):
    web, facebook, tips = sources
    items = [
        item(facebook, BONUS_UNACCENTED, hours=5, reach=1000, risk=0.4, stance=Stance.NEGATIVE),
        item(
            web,
            BONUS,
            hours=0,
            reach=200,
            risk=0.7,
            title="Công nhân may bị cắt thưởng Tết",
            toxicity=Toxicity.OFFENSIVE,
            toxicity_score=0.8,
            stance=Stance.NEGATIVE,
        ),
        item(
            tips,
            BONUS_COMMENTED,
            hours=30,
            reach=50,
            toxicity=Toxicity.CLEAN,
            stance=Stance.NEUTRAL,
        ),
    ]
    grouping.assign(items)
    narrative = Narrative.objects.get()
    assert narrative.title == "Công nhân may bị cắt thưởng Tết"
    assert narrative.unit == cast.unit_a  # the source of its earliest item
    assert narrative.first_seen_at == timezone.make_aware(T0)
    assert narrative.last_seen_at == timezone.make_aware(T0 + timedelta(hours=30))
    assert (narrative.item_count, narrative.source_count, narrative.total_reach) == (3, 3, 1250)
    assert narrative.toxicity == Toxicity.OFFENSIVE and narrative.toxicity_score == 0.8
    assert narrative.stance == Stance.NEGATIVE
    assert 0 < narrative.risk <= 1


def test_a_title_is_cut_from_the_text_at_a_word():
    title = grouping.title_of("", "Công đoàn " * 40)
    assert title.endswith("…") and len(title) <= grouping.TITLE_CHARS + 1
    assert not title[:-1].endswith(" ")
    assert grouping.title_of("  Tiêu   đề ", "x") == "Tiêu đề"


def test_spread_counts_items_and_reach_by_day_and_hour(sources):
    web, facebook, _tips = sources
    grouping.assign(
        [
            item(web, BONUS, hours=0, reach=10),
            item(facebook, BONUS_UNACCENTED, hours=1, reach=20),
            item(web, BONUS_COMMENTED, hours=50, reach=5),
        ]
    )
    narrative = Narrative.objects.get()
    days = grouping.spread(narrative)
    assert [(d.day, n, r) for d, n, r in days] == [(20, 2, 30), (21, 0, 0), (22, 1, 5)]
    assert all(timezone.localtime(d).hour == 0 for d, _, _ in days)
    hours = grouping.spread(narrative, bucket="hour")
    assert len(hours) == 51 and hours[0][1:] == (1, 10) and hours[1][1:] == (1, 20)
    assert hours[-1][1:] == (1, 5) and sum(n for _, n, _ in hours) == 3


def test_the_same_comment_posted_again_and_again_does_not_crowd_a_bucket(sources):
    web, facebook, _tips = sources
    comments = [
        item((web, facebook)[n % 2], "Công đoàn ở đâu???", hours=n, relevant=False)
        for n in range(6)
    ]
    grouping.assign(comments[:3])
    grouping.assign(comments[3:])
    assert LshBucket.objects.count() == grouping.BANDS
    assert not Narrative.objects.exists()
    # A relevant copy opens the story and the stored one joins it.
    grouping.assign([item(web, "Công đoàn ở đâu???!", hours=9)])
    narrative = Narrative.objects.get()
    assert Item.objects.filter(narrative=narrative).count() >= 2
