"""Website views of public products: once per visitor per day, no cookie, no address stored,
robots not counted, and a counting failure never breaks the page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from congdoan.content import view_counts
from congdoan.content.models import Product, ProductStatus, ProductViewDay, Sharing

pytestmark = pytest.mark.django_db

PHONE = (
    "Mozilla/5.0 (Linux; Android 10; SM-A105F) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"
)
ZALO_APP = "Mozilla/5.0 (Linux; Android 11) AppleWebKit/537.36 Chrome/96 Mobile Zalo/22.05.01"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.fixture
def product(cast: Any) -> Product:
    return Product.objects.create(
        unit=cast.unit_a,
        title="Tin được đếm",
        slug="tin-duoc-dem",
        status=ProductStatus.PUBLISHED,
        sharing=Sharing.PUBLIC,
        published_at=timezone.now(),
    )


def _open(client: Any, product: Product, agent: str = PHONE, ip: str = "203.0.113.7") -> Any:
    response = client.get(
        f"/tin/{product.unit.code}/{product.slug}/", HTTP_USER_AGENT=agent, REMOTE_ADDR=ip
    )
    assert response.status_code == 200
    return response


def _views(product: Product) -> tuple[int, list[int]]:
    product.refresh_from_db()
    return product.view_count, list(
        ProductViewDay.objects.filter(product=product).values_list("views", flat=True)
    )


def test_a_visitor_is_counted_once_a_day(client, product):
    for _ in range(3):
        _open(client, product)
    assert _views(product) == (1, [1])


def test_two_visitors_are_two_views_on_the_same_day_row(client, product):
    _open(client, product, ip="203.0.113.7")
    _open(client, product, ip="198.51.100.9")
    _open(client, product, agent=ZALO_APP, ip="203.0.113.7")  # Zalo's in-app browser: a reader
    assert _views(product) == (3, [3])
    assert ProductViewDay.objects.get(product=product).day == timezone.localdate()


def test_the_same_visitor_is_counted_again_the_next_day(client, product, monkeypatch):
    _open(client, product)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(view_counts.timezone, "localdate", lambda *a, **k: tomorrow)
    _open(client, product)
    assert _views(product) == (2, [1, 1])


@pytest.mark.parametrize(
    "agent",
    [
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "Zalo-Preview/1.0",
        "curl/8.5.0",
        "python-httpx/0.27",
        "",
    ],
)
def test_robots_and_link_previews_are_not_counted(client, product, agent):
    _open(client, product, agent=agent)
    assert _views(product) == (0, [])


def test_a_head_request_is_not_a_view(client, product):
    response = client.head(
        f"/tin/{product.unit.code}/{product.slug}/", HTTP_USER_AGENT=PHONE, REMOTE_ADDR="1.2.3.4"
    )
    assert response.status_code == 200
    assert _views(product) == (0, [])


def test_no_cookie_is_set_and_no_address_is_stored(client, product):
    response = _open(client, product)
    # The only cookie is the language switch's CSRF token (base.html), the same on every page:
    # no session, nothing that follows the reader.
    assert set(response.cookies) <= {"csrftoken"}
    row = ProductViewDay.objects.filter(product=product).values().get()
    stored = " ".join(str(value) for value in row.values())
    assert "203.0.113.7" not in stored
    assert set(row) == {"id", "product_id", "day", "views"}  # no column for a visitor


def test_a_counting_failure_never_breaks_the_page(client, product, monkeypatch, caplog):
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("database away")

    monkeypatch.setattr(view_counts, "product_view_add", broken)
    _open(client, product)
    assert "could not count a view" in caplog.text


def test_the_day_row_is_upserted_with_f_when_it_exists(product):
    day = timezone.localdate()
    view_counts.product_view_add(product_id=product.pk, day=day)
    view_counts.product_view_add(product_id=product.pk, day=day)
    assert _views(product) == (2, [2])
