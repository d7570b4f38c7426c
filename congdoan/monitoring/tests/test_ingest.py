"""Ingestion is idempotent, refuses what cannot be an item, writes in chunks, keeps a
sanitised snapshot, and scores and groups what it wrote."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congdoan.monitoring.models import Item, Snapshot, SourceKind, Tip
from congdoan.monitoring.services.ingest import content_hash, ingest
from congdoan.monitoring.services.retention import clear_personal_data
from congdoan.monitoring.types import RawItem
from congdoan.text.normalize import normalize
from congdoan.text.vietnamese import fold

pytestmark = pytest.mark.django_db


def raw(n: int, text: str = "", **fields: Any) -> RawItem:
    return RawItem(
        external_id=fields.pop("external_id", f"id-{n}"),
        text=text or f"Tin số {n}: công nhân nhà máy số {n} phản ánh về tiền lương tháng {n}",
        **fields,
    )


def test_the_same_item_twice_is_one_item(make_source: Any) -> None:
    source = make_source(SourceKind.FILE)
    first = ingest(source, [raw(1), raw(2)], process=False)
    again = ingest(source, [raw(1), raw(2), raw(3)], process=False)
    assert (first.new, first.duplicate) == (2, 0)
    assert (again.new, again.duplicate) == (1, 2)
    assert Item.objects.count() == 3


def test_the_same_text_under_another_id_is_a_duplicate_in_the_same_source(
    make_source: Any,
) -> None:
    source = make_source(SourceKind.FILE)
    other = make_source(SourceKind.FILE)
    text = "Công ty nợ lương công nhân ba tháng liền"
    ingest(source, [raw(1, text)], process=False)
    # Case, diacritics and spacing aside, it is the same text.
    result = ingest(
        source, [raw(2, "  cong ty NO luong cong nhan   ba thang lien ")], process=False
    )
    assert (result.new, result.duplicate) == (0, 1)
    # Another source may carry the same story: that is how a narrative spreads.
    assert ingest(other, [raw(1, text)], process=False).new == 1
    assert content_hash(text) == content_hash("cong ty no luong cong nhan ba thang lien")


def test_copies_within_one_batch_are_counted_once(make_source: Any) -> None:
    source = make_source(SourceKind.FILE)
    result = ingest(
        source, [raw(1), raw(1), raw(5, external_id="x", text=raw(1).text)], process=False
    )
    assert (result.new, result.duplicate) == (1, 2)


def test_empty_and_oversized_items_are_refused_with_a_reason(
    make_source: Any, settings: Any
) -> None:
    settings.MONITORING_MAX_ITEM_CHARS = 1000
    source = make_source(SourceKind.FILE)
    result = ingest(
        source,
        [raw(1, " "), raw(2, "x" * 1001), raw(3), RawItem(external_id="t", title="Chỉ có tiêu đề")],
        process=False,
    )
    assert (result.new, result.refused) == (2, 2)
    assert any("không có nội dung" in e for e in result.errors)
    assert any("quá dài" in e for e in result.errors)
    assert Item.objects.get(external_id="t").text == "Chỉ có tiêu đề"


def test_odd_fields_are_made_safe(make_source: Any) -> None:
    source = make_source(SourceKind.FILE)
    ingest(
        source,
        [
            raw(1, url="javascript:alert(1)", reach=-5, external_id="x" * 400),
            raw(2, external_id="", url="https://" + "a" * 2000, author="A" * 400),
        ],
        process=False,
    )
    first, second = Item.objects.order_by("pk")
    assert first.url == "" and first.reach == 0 and first.external_id.startswith("s:")
    assert second.external_id == f"h:{second.content_hash}" and second.url == ""
    assert len(second.author) == 255


def test_a_snapshot_keeps_the_text_and_sanitised_html(make_source: Any) -> None:
    source = make_source(SourceKind.WEB)
    html = (
        '<p onclick="x()">Công nhân <b>đình công</b></p><script>steal()</script>'
        '<iframe src="https://evil.example"></iframe><img src="https://t.example/p.gif">'
    )
    result = ingest(source, [raw(1, "Công nhân đình công", html=html)], process=False)
    snap = Snapshot.objects.get(item_id=result.item_ids[0])
    assert snap.text == "Công nhân đình công"
    assert snap.html == "<p>Công nhân <b>đình công</b></p>"
    assert len(snap.sha256) == 64


def test_many_items_are_written_in_chunks(make_source: Any, settings: Any) -> None:
    """100,000 at once in production (`congdoan bench monitoring`); 3,000 here, chunks of 500:
    a few statements per chunk (SQLite splits a bulk insert by its parameter limit), never one
    per item."""
    settings.MONITORING_INGEST_CHUNK = 500
    source = make_source(SourceKind.FILE)
    items = [raw(n) for n in range(3000)]
    with CaptureQueriesContext(connection) as queries:
        result = ingest(source, items, process=False)
    assert result.new == 3000 and len(result.item_ids) == 3000
    assert Snapshot.objects.count() == 3000
    assert len(queries.captured_queries) < 3000 / 10
    again = ingest(source, items, process=False)
    assert (again.new, again.duplicate) == (0, 3000)


def test_ingested_items_are_scored_and_grouped(make_source: Any, cast: Any) -> None:
    source = make_source(SourceKind.FILE)
    story = (
        "Công đoàn công ty may Phú Minh ăn chặn tiền hỗ trợ của công nhân, "
        "đoàn viên bức xúc vì không nhận được đồng nào"
    )
    result = ingest(
        source,
        [raw(1, story), raw(2, story + " Chia sẻ cho mọi người biết!"), raw(3, "Trời hôm nay đẹp")],
    )
    items = {i.external_id: i for i in Item.objects.all()}
    assert all(i.scored_at is not None for i in items.values())
    assert items["id-1"].relevant
    assert items["id-1"].narrative_id is not None
    assert items["id-1"].narrative_id == items["id-2"].narrative_id
    assert result.new == 3


def test_personal_data_is_cleared_after_the_retention_period(
    make_source: Any, settings: Any
) -> None:
    settings.MONITORING_PERSONAL_DATA_DAYS = 30
    source = make_source(SourceKind.FILE)
    result = ingest(
        source,
        [
            raw(
                1,
                "Nguyễn Văn Tèo viết: công đoàn không làm gì",
                author="Nguyễn Văn Tèo",
                meta={"author_id": "123", "profile_url": "https://fb/teo", "platform": "fb"},
                html="<p>Nguyễn Văn Tèo viết: công đoàn không làm gì</p>",
            ),
            raw(2, author="Người mới"),
        ],
        process=False,
    )
    old, new = Item.objects.order_by("pk")
    Item.objects.filter(pk=old.pk).update(fetched_at=timezone.now() - timedelta(days=31))
    Tip.objects.create(unit=source.unit, item=old, channel="zalo", zalo_user_id="z1")
    assert clear_personal_data() == 1
    old.refresh_from_db()
    assert old.author == "" and old.meta == {"platform": "fb"}
    assert old.personal_data_cleared_at is not None
    assert "công đoàn không làm gì" in old.text  # the evidence stays
    snap = Snapshot.objects.get(item=old)
    assert "Tèo" not in snap.text and "Tèo" not in snap.html
    assert Tip.objects.get(item=old).zalo_user_id == ""
    new.refresh_from_db()
    assert new.author == "Người mới"
    assert clear_personal_data() == 0
    assert result.new == 2


@pytest.mark.parametrize(
    "text",
    [
        "Công đoàn hoà giải thuỷ lợi",
        "hoà thuỷ  \u00a0 hoạ\u200b\n  Khoẻ",
        "Coâng ñoaøn cô sôû",  # VNI
        "Công\u3000đoàn\tcơ sở \n\n",
        "c\u00f4ng \u0111o\u00e0n",
    ],
)
def test_the_content_hash_is_the_folded_normalised_text_s(text: str) -> None:
    full = hashlib.sha1(" ".join(fold(normalize(text)).split()).encode("utf-8")).hexdigest()
    assert content_hash(text) == full
