"""The items and narratives searches find words typed with or without diacritics, in any
case, in the database (the folded `search_text` columns filled by ingestion, grouping and the
migration), never by reading titles in Python."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congdoan.monitoring import grouping, selectors
from congdoan.monitoring.models import Item, Narrative, SourceKind, folded, item_search_text
from congdoan.monitoring.services.ingest import content_hash, ingest
from congdoan.monitoring.tests import handle_helpers as h
from congdoan.monitoring.types import RawItem

pytestmark = pytest.mark.django_db

WAGES = "Công đoàn giữ tiền đoàn phí của công nhân Công ty May A, không trả lại"
SPORTS = "Hội thao chào mừng ngày thành lập Công đoàn Việt Nam ở Khu công nghiệp B"


def ids(qs: Any) -> set[int]:
    return {o.pk for o in qs}


def test_folding_is_the_content_hash_s(make_source: Any) -> None:
    assert folded("  Cắt  LƯƠNG\n công nhân ") == "cat luong cong nhan"
    assert item_search_text("Tin nóng", "cong ty") == "tin nong cong ty"
    assert item_search_text("Công ty", "cong ty no luong") == "cong ty no luong"
    source = make_source(SourceKind.FILE)
    ingest(source, [RawItem(external_id="1", title="Tin NÓNG", text=WAGES)], process=False)
    item = Item.objects.get()
    assert item.search_text == "tin nong " + folded(WAGES)
    assert content_hash(WAGES) == item.content_hash


def test_items_are_found_typed_without_diacritics_and_in_any_case(
    make_source: Any, cast: Any
) -> None:
    source = make_source(SourceKind.FILE)
    ingest(
        source,
        [
            RawItem(external_id="w", text=WAGES, author="Nguyễn Văn An"),
            RawItem(external_id="s", title="HỘI THAO", text=SPORTS),
        ],
        process=False,
    )
    wages, sports = Item.objects.get(external_id="w"), Item.objects.get(external_id="s")
    officer = cast.officer_a
    assert ids(selectors.items_for(officer, q="cong doan giu tien")) == {wages.pk}
    assert ids(selectors.items_for(officer, q="CÔNG ĐOÀN giữ TIỀN")) == {wages.pk}
    assert ids(selectors.items_for(officer, q="hoi thao")) == {sports.pk}
    assert ids(selectors.items_for(officer, q="cong doan")) == {wages.pk, sports.pk}
    assert ids(selectors.items_for(officer, q="cong doan dinh cong")) == set()
    # The author's name as typed (personal data: not folded into the search column).
    assert ids(selectors.items_for(officer, q="Nguyễn")) == {wages.pk}
    # Another unit's officer finds nothing of unit A's source.
    assert ids(selectors.items_for(cast.officer_b, q="cong doan")) == set()


def test_narratives_are_found_in_the_database(cast: Any) -> None:
    wages = h.narrative(cast.unit_a, title="Công đoàn GIỮ tiền đoàn phí")
    h.narrative(cast.unit_a, title="Hội thao công nhân")
    assert wages.search_text == "cong doan giu tien doan phi"
    with CaptureQueriesContext(connection) as queries:
        found = list(selectors.narratives_for(cast.officer_a, q="cong doan giu tien"))
    assert found == [wages]
    # One query (with the scope's), filtering on the folded column: no titles read first.
    narrative_queries = [q["sql"] for q in queries if "monitoring_narrative" in q["sql"]]
    assert len(narrative_queries) == 1 and "search_text" in narrative_queries[0]
    assert list(selectors.narratives_for(cast.officer_a, q="GIU tiền")) == [wages]
    assert list(selectors.narratives_for(cast.officer_b, q="cong doan")) == []


def test_grouping_fills_and_refreshes_the_narrative_s_folded_title(
    make_source: Any, cast: Any
) -> None:
    source = make_source(SourceKind.FILE)
    ingest(source, [RawItem(external_id="w", text=WAGES)], process=False)
    item = Item.objects.get()
    Item.objects.filter(pk=item.pk).update(relevant=True)
    item.refresh_from_db()
    grouping.assign([item])
    narrative = Narrative.objects.get()
    assert narrative.search_text == folded(narrative.title) and "giu tien" in narrative.search_text
    # A refresh that changes the title (an earlier item joined) changes the folded title too.
    Narrative.objects.filter(pk=narrative.pk).update(title="x", search_text="x")
    grouping.refresh([narrative.pk])
    narrative.refresh_from_db()
    assert narrative.search_text == folded(narrative.title) != "x"
    assert list(selectors.narratives_for(cast.officer_a, q="tien doan phi")) == [narrative]


def test_the_migration_fills_rows_stored_before_the_columns(cast: Any) -> None:
    story = h.narrative(cast.unit_a, title="Tin đồn CẮT lương", items=2)
    Item.objects.update(search_text="")
    Narrative.objects.update(search_text="")
    migration = importlib.import_module(
        "congdoan.monitoring.migrations.0002_search_text_and_error_params"
    )
    migration.fill_search_text(apps, None)
    story.refresh_from_db()
    assert story.search_text == "tin don cat luong"
    for item in Item.objects.all():
        assert item.search_text == item_search_text(item.title, folded(item.text)) != ""
    assert list(selectors.narratives_for(cast.officer_a, q="cat luong")) == [story]
