"""The home page loads only what it shows: the news as links (no text, no DISTINCT), the unions'
names and codes; a province with more unions than the page lists gets a search instead."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congdoan.content.models import Product, ProductStatus, Sharing
from congdoan.web import views

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(cast: Any) -> Product:
    return Product.objects.create(
        unit=cast.unit_a,
        title="Tin tren trang chu",
        slug="tin-trang-chu",
        body="<p>" + "Nội dung dài. " * 500 + "</p>",
        search_text="noi dung dai " * 500,
        status=ProductStatus.PUBLISHED,
        sharing=Sharing.PUBLIC,
        published_at=timezone.now(),
    )


def test_the_news_list_loads_only_what_it_shows(client, cast, news):
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert f'href="/tin/{cast.unit_a.code}/tin-trang-chu/"' in page
    assert cast.unit_a.name in page
    sql = [q["sql"] for q in queries.captured_queries if '"content_product"' in q["sql"]]
    assert len(sql) == 1
    assert "DISTINCT" not in sql[0]
    assert '"body"' not in sql[0] and '"search_text"' not in sql[0]
    assert "content_product_themes" not in " ".join(q["sql"] for q in queries.captured_queries)


def test_the_unions_are_listed_with_their_pages(client, cast):
    page = client.get("/").content.decode()
    assert f'href="/don-vi/cong-khai/{cast.unit_a.code}/"' in page and cast.unit_a.name in page


def test_beyond_the_limit_a_search_replaces_the_list(client, cast, monkeypatch):
    monkeypatch.setattr(views, "HOME_UNIONS", 1)
    page = client.get("/").content.decode()
    assert cast.unit_a.name not in page
    assert 'action="/y-kien/gui/"' in page and 'name="q"' in page
    assert "công đoàn cơ sở đang hoạt động" in page  # the count stays
