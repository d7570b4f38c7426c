"""Public pages kept in the cache for anonymous visitors (core/page_cache.py): a second visit
costs no query, a publication or an archive shows at once, English and Vietnamese visitors each
get their own page, views are still counted, and signed-in users are never served from it."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congdoan.content import services
from congdoan.content.models import Product, ProductStatus, Sharing
from congdoan.content.tests.factories import published
from congdoan.orgs.models import Unit

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (Linux; Android 10) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"
PAGES = ("/", "/tin/", "/tin/PX-A/", "/chu-de/cham-lo-bao-ve/")


# The themes, as their data migration makes them (a transactional test run before this one in
# the same process may have emptied the table).
_themes_migration = importlib.import_module("congdoan.content.migrations.0002_seven_themes")


@pytest.fixture(autouse=True)
def _cache_on(settings: Any) -> None:
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    _themes_migration.create_themes(apps, None)


@pytest.fixture
def product(cast: Any) -> Product:
    return Product.objects.create(
        unit=cast.unit_a,
        title="Tin giu trong bo nho dem",
        slug="tin-giu",
        summary="Tóm tắt.",
        body="<p>Nội dung.</p>",
        status=ProductStatus.PUBLISHED,
        sharing=Sharing.PUBLIC,
        published_at=timezone.now(),
    )


def _url(product: Product) -> str:
    return f"/tin/{product.unit.code}/{product.slug}/"


def _sql(client: Any, path: str, **extra: Any) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_USER_AGENT=PHONE, **extra)
    return response, [query["sql"] for query in queries.captured_queries]


def _queries(client: Any, path: str, **extra: Any) -> tuple[Any, int]:
    response, sql = _sql(client, path, **extra)
    return response, len(sql)


@pytest.mark.parametrize("path", PAGES)
def test_a_second_anonymous_visit_costs_no_query(client, product, path):
    first, spent = _queries(client, path)
    assert first.status_code == 200 and spent > 0
    again, spent = _queries(client, path)
    assert again.status_code == 200 and spent == 0
    assert again.content == first.content
    assert not again.cookies and "Cookie" in again["Vary"]


def test_the_product_page_is_kept_and_its_views_still_counted(client, product):
    first, _ = _sql(client, _url(product), REMOTE_ADDR="203.0.113.1")
    again, sql = _sql(client, _url(product), REMOTE_ADDR="203.0.113.2")
    assert again.content == first.content
    # no query for the page: only the count of another reader's view
    assert sql and not [q for q in sql if q.startswith("SELECT") and "viewday" not in q]
    product.refresh_from_db()
    assert product.view_count == 2


def test_a_publication_shows_at_once(client, cast, staff_a, product):
    assert "Tin moi vua dang" not in client.get("/").content.decode()
    client.get("/tin/")
    fresh = services.product_create(
        actor=staff_a,
        unit=cast.unit_a,
        title="Tin moi vua dang",
        summary="Tóm tắt.",
        body="<p>Mới.</p>",
        sharing=Sharing.PUBLIC,
    )
    assert "Tin moi vua dang" not in client.get("/tin/").content.decode()  # a draft
    published(fresh, approver=cast.officer_a, actor=staff_a)
    for path in ("/", "/tin/", "/tin/PX-A/"):
        assert "Tin moi vua dang" in client.get(path).content.decode(), path


def test_an_archive_takes_the_kept_page_down_at_once(client, cast, staff_a, product):
    assert client.get(_url(product)).status_code == 200
    assert product.title in client.get("/").content.decode()
    services.product_archive(actor=cast.officer_a, product=product)
    assert client.get(_url(product)).status_code == 404
    assert product.title not in client.get("/").content.decode()


def test_a_renamed_unit_shows_at_once(client, product):
    client.get("/tin/PX-A/")
    unit = Unit.objects.get(code="PX-A")
    unit.name = "Công đoàn đổi tên mới"
    unit.save()
    assert "Công đoàn đổi tên mới" in client.get("/tin/PX-A/").content.decode()


def test_an_english_visitor_never_gets_the_vietnamese_page(client, product):
    assert 'lang="vi"' in client.get("/").content.decode()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/").content.decode()
    assert 'lang="en"' in english
    del client.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert 'lang="vi"' in client.get("/").content.decode()


def test_a_signed_in_user_is_never_served_a_kept_page(cast, client, client_of, product):
    client.get("/")  # kept for anonymous visitors
    officer = client_of(cast.officer_a)
    page = officer.get("/").content.decode()
    assert "csrfmiddlewaretoken" in page and "/tai-khoan/dang-xuat/" in page
    # and the officer's page was not kept for the anonymous ones
    assert "/tai-khoan/dang-xuat/" not in client.get("/").content.decode()


def test_not_kept_a_404_a_post_or_with_a_session(client, product, settings):
    assert client.get("/tin/PX-A/khong-co/").status_code == 404
    _, spent = _queries(client, "/tin/PX-A/khong-co/")
    assert spent > 0
    client.get("/tin/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    _, spent = _queries(client, "/tin/")
    assert spent > 0


def test_only_the_page_number_makes_another_kept_page(client, product):
    client.get("/tin/?page=1")
    assert _queries(client, "/tin/?page=1")[1] == 0
    client.get("/tin/?utm_source=zalo")
    assert _queries(client, "/tin/?utm_source=zalo")[1] > 0
