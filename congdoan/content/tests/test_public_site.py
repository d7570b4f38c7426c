"""The public site of products: pages, feeds, sitemap, Open Graph tags, what stays hidden,
and the weight of the product page."""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from congdoan.content import bulletin, selectors, services
from congdoan.content.models import (
    MediaKind,
    Product,
    ProductMedia,
    ProductStatus,
    Sharing,
    Theme,
)
from congdoan.content.tests.factories import published
from congdoan.orgs import services as org_services

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def make_product(unit: Any, title: str, **fields: Any) -> Product:
    defaults: dict[str, Any] = {
        "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "tin",
        "summary": f"Tóm tắt: {title}",
        "body": f"<p>Nội dung đầy đủ của {title}.</p>",
        "status": ProductStatus.PUBLISHED,
        "sharing": Sharing.PUBLIC,
        "published_at": timezone.now(),
    }
    defaults.update(fields)
    return Product.objects.create(unit=unit, title=title, **defaults)


def product_url(product: Product) -> str:
    return f"/tin/{product.unit.code}/{product.slug}/"


@pytest.fixture
def news(cast: Any) -> dict[str, Product]:
    theme = Theme.objects.get(code="cham-lo-bao-ve")
    public_a = make_product(cast.unit_a, "Hoi nghi nguoi lao dong 2026")
    public_a.themes.add(theme)
    public_district = make_product(cast.district, "Quan ra quan thang cong nhan")
    return {
        "public_a": public_a,
        "public_district": public_district,
        "draft": make_product(
            cast.unit_a, "Ban nhap chua duyet", status=ProductStatus.DRAFT, published_at=None
        ),
        "unit_only": make_product(cast.unit_a, "Tin noi bo don vi", sharing=Sharing.UNIT),
        "union_only": make_product(cast.unit_b, "Tin trong he thong", sharing=Sharing.UNION),
        "subtree": make_product(cast.district, "Tin cap duoi", sharing=Sharing.SUBTREE),
    }


def test_the_news_list_shows_public_news_of_every_unit_and_nothing_else(client, news):
    text = client.get("/tin/").content.decode()
    assert news["public_a"].title in text
    assert news["public_district"].title in text
    for hidden in ("draft", "unit_only", "union_only", "subtree"):
        assert news[hidden].title not in text
    assert text.count('href="/chu-de/') == 7  # the plan's seven themes, each a page


def test_the_home_page_shows_the_latest_public_news(client, news):
    text = client.get("/").content.decode()
    assert news["public_a"].title in text
    assert product_url(news["public_a"]) in text
    assert news["draft"].title not in text
    assert news["unit_only"].title not in text


def test_the_product_page_shows_title_unit_date_themes_and_full_version(client, news):
    product = news["public_a"]
    response = client.get(product_url(product))
    assert response.status_code == 200
    text = response.content.decode()
    assert f"<h1>{product.title}</h1>" in text
    assert product.unit.name in text
    assert "ngày " in text and "tháng" in text  # |vn_date
    assert "Chăm lo" in text or "/chu-de/cham-lo-bao-ve/" in text
    assert "<p>Nội dung đầy đủ của" in text  # sanitised HTML rendered as HTML
    assert "đã cập nhật" not in text
    assert "<script" not in text  # no script on the public page


def test_a_product_taken_through_the_workflow_reaches_the_site_sanitised_then_updated(
    client, cast, staff_a
):
    product = services.product_create(
        actor=staff_a,
        unit=cast.unit_a,
        title="Tin qua quy trình duyệt",
        summary="Bản ngắn của tin.",
        body='<p>Bản đầy đủ.</p><script>alert(1)</script><img src="x" onerror="alert(2)">',
        sharing=Sharing.PUBLIC,
    )
    assert client.get(product_url(product)).status_code == 404  # a draft
    published(product, approver=cast.officer_a, actor=staff_a)
    text = client.get(product_url(product)).content.decode()
    assert "<p>Bản đầy đủ.</p>" in text
    assert "alert(" not in text and "onerror" not in text
    assert product.title in client.get("/rss.xml").content.decode()
    services.product_correct(
        actor=staff_a,
        product=product,
        title=product.title,
        summary=product.summary,
        body="<p>Bản đầy đủ, đã sửa.</p>",
    )
    text = client.get(product_url(product)).content.decode()
    assert "đã cập nhật" in text and "đã sửa" in text


@pytest.mark.parametrize("which", ["draft", "unit_only", "union_only", "subtree"])
def test_a_product_not_public_is_404_on_the_public_site(client, news, which):
    assert client.get(product_url(news[which])).status_code == 404


def test_a_corrected_product_says_it_was_updated(client, news):
    product = news["public_a"]
    product.corrected_at = timezone.now()
    product.save(update_fields=["corrected_at"])
    text = client.get(product_url(product)).content.decode()
    assert "đã cập nhật" in text
    assert 'property="article:modified_time"' in text


def test_an_archived_product_leaves_the_public_site(client, news):
    """Archiving is how a unit takes a product off the public site: 404, and gone from the
    lists, the feeds and the sitemap."""
    product = news["public_a"]
    Product.objects.filter(pk=product.pk).update(
        status=ProductStatus.ARCHIVED, archived_at=timezone.now()
    )
    assert client.get(product_url(product)).status_code == 404
    for url in ("/", "/tin/", "/rss.xml", "/atom.xml", "/sitemap.xml"):
        text = client.get(url).content.decode()
        assert product.title not in text and product.slug not in text, url


def test_the_product_page_has_open_graph_and_twitter_tags(client, news, settings):
    settings.SITE_URL = "https://congdoan.example.vn"
    product = news["public_a"]
    text = client.get(product_url(product)).content.decode()
    canonical = f"https://congdoan.example.vn{product_url(product)}"
    assert '<meta property="og:type" content="article">' in text
    assert f'<meta property="og:title" content="{product.title}">' in text
    assert f'<meta property="og:description" content="{product.summary}">' in text
    assert f'<meta property="og:url" content="{canonical}">' in text
    assert f'<link rel="canonical" href="{canonical}">' in text
    assert '<meta name="twitter:card" content="summary">' in text


def _jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def test_the_cover_photo_has_its_size_an_absolute_og_image_and_is_served(
    client, news, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.SITE_URL = "https://congdoan.example.vn"
    product = news["public_a"]
    cover = ProductMedia.objects.create(
        product=product,
        kind=MediaKind.PHOTO,
        file=ContentFile(_jpeg(64, 48), name="anh.jpg"),
        content_type="image/jpeg",
        width=64,
        height=48,
        caption="Ảnh hội nghị",
    )
    product.cover = cover
    product.save(update_fields=["cover"])
    text = client.get(product_url(product)).content.decode()
    photo = f"{product_url(product)}anh/{cover.pk}/"
    assert f'src="{photo}"' in text
    assert 'width="64" height="48"' in text
    assert f'<meta property="og:image" content="https://congdoan.example.vn{photo}">' in text
    assert '<meta name="twitter:card" content="summary_large_image">' in text
    response = client.get(photo)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_a_photo_of_a_product_not_public_is_404(client, news, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    product = news["unit_only"]
    photo = ProductMedia.objects.create(
        product=product,
        kind=MediaKind.PHOTO,
        file=ContentFile(_jpeg(8, 8), name="anh.jpg"),
        content_type="image/jpeg",
    )
    assert client.get(f"{product_url(product)}anh/{photo.pk}/").status_code == 404
    # Nor is a public product's page a way to reach another product's photo.
    public = news["public_a"]
    assert client.get(f"{product_url(public)}anh/{photo.pk}/").status_code == 404


def test_a_title_with_html_and_script_is_escaped_everywhere(client, cast):
    evil = make_product(
        cast.unit_a,
        '<script>alert("x")</script><img src=x onerror=alert(1)>',
        slug="doc-hai",
        summary='"><script>alert(2)</script>',
        body="<p>Nội dung bình thường.</p>",  # the full version is sanitised by the services
    )
    for url in ("/", "/tin/", product_url(evil), f"/tin/{cast.unit_a.code}/"):
        text = client.get(url).content.decode()
        assert "<script>alert" not in text, url
        assert "<img src=x" not in text, url
        assert "&lt;script&gt;alert(" in text, url
    rss = client.get("/rss.xml").content.decode()
    ElementTree.fromstring(rss)  # still well-formed XML
    assert "<script>alert" not in rss


def test_a_theme_page_lists_its_public_news_and_paginates(client, cast, news):
    theme = Theme.objects.get(code="cham-lo-bao-ve")
    for n in range(25):
        make_product(cast.unit_a, f"Tin cham lo so {n}").themes.add(theme)
    first = client.get("/chu-de/cham-lo-bao-ve/").content.decode()
    assert theme.name in first
    assert "?page=2" in first
    second = client.get("/chu-de/cham-lo-bao-ve/?page=2").content.decode()
    assert "Tin cham lo so" in second
    assert news["public_district"].title not in first + second  # not of this theme
    assert client.get("/chu-de/khong-co/").status_code == 404


def test_a_units_news_page_lists_only_its_public_news(client, cast, news):
    text = client.get(f"/tin/{cast.unit_a.code}/").content.decode()
    assert news["public_a"].title in text
    assert news["public_district"].title not in text
    assert news["unit_only"].title not in text
    district = client.get(f"/tin/{cast.district.code}/").content.decode()
    assert news["public_district"].title in district and news["public_a"].title in district
    assert news["subtree"].title not in district
    assert client.get("/tin/KHONG-CO/").status_code == 404


def test_the_unions_public_page_shows_its_news(client, cast, news):
    text = client.get(f"/don-vi/cong-khai/{cast.unit_a.code}/").content.decode()
    assert "Tin của công đoàn" in text
    assert news["public_a"].title in text
    assert news["unit_only"].title not in text
    assert f"/tin/{cast.unit_a.code}/" in text


def _rss_items(response: Any) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return [item.findtext("title") or "" for item in root.iter("item")]


def test_the_site_feeds_list_only_public_published_news(client, news):
    titles = _rss_items(client.get("/rss.xml"))
    assert set(titles) == {news["public_a"].title, news["public_district"].title}
    atom = client.get("/atom.xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(atom.content)
    assert root.tag == f"{ATOM}feed"
    entries = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert set(entries) == set(titles)
    link = next(root.iter(f"{ATOM}entry")).find(f"{ATOM}link")
    assert link is not None and "/tin/" in (link.get("href") or "")


def test_the_unit_and_theme_feeds_list_their_own_news(client, cast, news):
    assert _rss_items(client.get(f"/don-vi/{cast.unit_a.code}/rss.xml")) == [news["public_a"].title]
    # A district's feed holds its grassroots unions' news too (its subtree).
    assert set(_rss_items(client.get(f"/don-vi/{cast.district.code}/rss.xml"))) == {
        news["public_district"].title,
        news["public_a"].title,
    }
    assert _rss_items(client.get("/chu-de/cham-lo-bao-ve/rss.xml")) == [news["public_a"].title]
    assert _rss_items(client.get("/chu-de/guong-tot/rss.xml")) == []
    assert client.get("/chu-de/khong-co/rss.xml").status_code == 404
    assert client.get("/don-vi/KHONG-CO/rss.xml").status_code == 404


def test_the_sitemap_lists_public_products_themes_and_units(client, cast, news):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [loc.text or "" for loc in root.iter(f"{ns}loc")]
    assert any(loc.endswith(product_url(news["public_a"])) for loc in locations)
    assert any(loc.endswith(product_url(news["public_district"])) for loc in locations)
    assert not any(loc.endswith(product_url(news["unit_only"])) for loc in locations)
    assert not any(loc.endswith(product_url(news["draft"])) for loc in locations)
    assert any(loc.endswith("/chu-de/tu-tuong/") for loc in locations)
    assert any(loc.endswith(f"/tin/{cast.unit_a.code}/") for loc in locations)
    assert not any(loc.endswith(f"/tin/{cast.unit_b.code}/") for loc in locations)


def _stylesheets(html: str) -> list[bytes]:
    sheets = []
    for href in re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html):
        path = finders.find(href)
        assert path, href
        sheets.append(Path(str(path)).read_bytes())
    return sheets


def test_the_product_page_weighs_under_60_kb_compressed(client, cast):
    """A size check, not a timing: HTML + CSS (no script on this page) gzipped, for a long
    article (about 6,000 words)."""
    body = "".join(
        f"<p>Đoạn {n}: người lao động được công đoàn chăm lo, bảo vệ quyền lợi hợp pháp.</p>"
        for n in range(600)
    )
    product = make_product(cast.unit_a, "Bai dai", body=body)
    html = client.get(product_url(product)).content
    assert b"<script" not in html
    total = len(gzip.compress(html)) + sum(
        len(gzip.compress(s)) for s in _stylesheets(html.decode())
    )
    assert total < 60 * 1024, total


def test_a_product_knows_its_public_address(cast: Any) -> None:
    product = make_product(cast.unit_a, "Dia chi cong khai")
    assert product.get_absolute_url() == product_url(product)
    assert product_url(product) == f"/tin/{cast.unit_a.code}/{product.slug}/"


def test_products_of_a_merged_unit_leave_the_public_site(
    cast: Any, client: Any, news: dict[str, Product]
) -> None:
    product = news["public_a"]
    assert product.title in client.get("/tin/").content.decode()
    org_services.unit_merge(actor=cast.district_officer, source=cast.unit_a, target=cast.unit_b)

    assert product.title not in client.get("/tin/").content.decode()
    assert product.title not in client.get("/rss.xml").content.decode()
    assert product.get_absolute_url() not in client.get("/sitemap.xml").content.decode()
    assert client.get(product.get_absolute_url()).status_code == 404
    assert news["public_district"].title in client.get("/tin/").content.decode()
    # the e-bulletin's digest (bulletin.public_products) hides the same products
    assert set(bulletin.public_products()) == set(Product.objects.filter(selectors.public_site_q()))


def test_the_plans_themes_read_in_english_on_the_english_site(client: Any) -> None:
    from django.conf import settings as django_settings

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/chu-de/cham-lo-bao-ve/").content.decode()
    assert "Caring for and protecting members" in html
    assert "Chăm lo, bảo vệ đoàn viên" not in html
