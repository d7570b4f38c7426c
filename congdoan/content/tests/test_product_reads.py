"""Members' reads of public products (the plan's "reached" evidence, issue 15): one row per
member and product, written once and cheaply, only for a signed-in member; and the selector
that gives the plan the ids of the members reached in a window."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congdoan.content import selectors
from congdoan.content.models import Product, ProductKind, ProductRead, ProductStatus, Sharing
from congdoan.orgs.tests import factories

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (Linux; Android 10) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def _public(unit: Any, slug: str, kind: str = ProductKind.NEWS) -> Product:
    return Product.objects.create(
        unit=unit,
        title=slug,
        slug=slug,
        kind=kind,
        status=ProductStatus.PUBLISHED,
        sharing=Sharing.PUBLIC,
        published_at=timezone.now(),
    )


def _open(client: Any, product: Product) -> None:
    response = client.get(product.get_absolute_url(), HTTP_USER_AGENT=PHONE)
    assert response.status_code == 200


def test_a_signed_in_member_reading_a_product_is_recorded_once(cast: Any, client_of: Any) -> None:
    product = _public(cast.unit_a, "tin-doc")
    reader = client_of(cast.member_user)
    _open(reader, product)
    cache.clear()  # even past the day's shortcut, a second read adds no row
    _open(reader, product)
    reads = list(ProductRead.objects.values_list("member_id", "product_id", "first_read_on"))
    assert reads == [(cast.member_a.pk, product.pk, timezone.localdate())]


def test_a_read_again_the_same_day_costs_no_query(cast: Any, client_of: Any) -> None:
    product = _public(cast.unit_a, "tin-doc-lai")
    reader = client_of(cast.member_user)
    _open(reader, product)
    with CaptureQueriesContext(connection) as again:
        _open(reader, product)
    assert not any("content_productread" in q["sql"] for q in again.captured_queries)
    with CaptureQueriesContext(connection) as first:
        _open(reader, _public(cast.unit_a, "tin-khac"))
    assert len(again.captured_queries) < len(first.captured_queries)


def test_anonymous_readers_and_users_who_are_not_members_are_not_recorded(
    cast: Any, client: Any, client_of: Any
) -> None:
    product = _public(cast.unit_a, "tin-an-danh")
    _open(client, product)
    _open(client_of(cast.officer_a), product)  # an officer with no Member row
    assert not ProductRead.objects.exists()


def test_a_product_that_is_not_public_records_nothing(cast: Any, client_of: Any) -> None:
    product = _public(cast.unit_a, "tin-noi-bo")
    Product.objects.filter(pk=product.pk).update(sharing=Sharing.UNIT)
    response = client_of(cast.member_user).get(product.get_absolute_url())
    assert response.status_code == 404
    assert not ProductRead.objects.exists()


def _read(member: Any, product: Product, day: date) -> None:
    ProductRead.objects.create(member=member, product=product, first_read_on=day)


def test_reader_member_ids_gives_each_member_once_within_the_window(cast: Any) -> None:
    news = _public(cast.unit_a, "tin-mot")
    policy = _public(cast.unit_a, "giai-thich", kind=ProductKind.EXPLAINER)
    poster = _public(cast.unit_a, "ap-phich", kind=ProductKind.POSTER)
    late = factories.member(cast.unit_a, full_name="Lê Thị Muộn")
    early = factories.member(cast.unit_a, full_name="Phạm Văn Sớm")
    poster_only = factories.member(cast.unit_a, full_name="Đỗ Văn Áp")
    _read(cast.member_a, news, date(2026, 5, 1))
    _read(cast.member_a, policy, date(2026, 5, 3))
    _read(cast.member_b, policy, date(2026, 5, 31))
    _read(late, news, date(2026, 6, 1))
    _read(early, news, date(2026, 4, 30))
    _read(poster_only, poster, date(2026, 5, 10))

    found = selectors.reader_member_ids(start=date(2026, 5, 1), end=date(2026, 5, 31))
    assert sorted(found) == sorted([cast.member_a.pk, cast.member_b.pk])
    assert len(list(found)) == 2  # distinct: member A read two products


def test_reader_member_ids_keeps_the_members_of_the_units_asked(cast: Any) -> None:
    news = _public(cast.unit_a, "tin-hai")
    day = date(2026, 7, 28)
    _read(cast.member_a, news, day)
    _read(cast.member_b, news, day)
    found = selectors.reader_member_ids(start=day, end=day, unit_ids=[cast.unit_b.pk])
    assert list(found) == [cast.member_b.pk]
    assert list(selectors.reader_member_ids(start=day, end=day, unit_ids=[])) == []
    assert not list(
        selectors.reader_member_ids(start=day + timedelta(days=1), end=day + timedelta(days=9))
    )


def test_no_studio_page_shows_who_read_a_product(cast: Any, client_of: Any) -> None:
    product = _public(cast.unit_a, "tin-rieng-tu")
    _open(client_of(cast.member_user), product)
    assert ProductRead.objects.count() == 1
    text = client_of(cast.officer_a).get(f"/noi-dung/{product.pk}/").content.decode()
    assert cast.member_a.full_name not in text
