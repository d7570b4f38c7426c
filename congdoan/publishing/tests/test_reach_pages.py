"""What officers see of reach: the panel on a product's studio page (website views, the
e-bulletin's mails, each channel's figures with the time they were read) and the reach page
that sums them over a year, each scoped to the units the viewer manages."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from congdoan.content import reach
from congdoan.content.models import Product, Sharing
from congdoan.content.models_bulletin import (
    BulletinIssue,
    BulletinSend,
    BulletinSendClick,
    BulletinSubscriber,
    SubscriberStatus,
)
from congdoan.publishing.models import ChannelKind, Publication, PublicationStatus
from congdoan.publishing.models_metrics import PublicationMetrics

pytestmark = pytest.mark.django_db


def _post(product: Product, kind: str, name: str, **figures: Any) -> Publication:
    publication = Publication.objects.create(
        product=product,
        unit=product.unit,
        kind=kind,
        account_name=name,
        idempotency_key=f"t:{product.pk}:{kind}:{name}",
        status=PublicationStatus.PUBLISHED,
        remote_id="x1",
        remote_url="https://www.youtube.com/watch?v=x1" if kind == ChannelKind.YOUTUBE else "",
        published_at=timezone.now(),
    )
    PublicationMetrics.objects.create(publication=publication, fetched_at=timezone.now(), **figures)
    return publication


def _mailed(product: Product, opened: int, clicked: int, total: int) -> None:
    issue = BulletinIssue.objects.create(
        year=2026,
        week=40 + product.pk % 10,
        links=[{"product": product.pk, "path": product.get_absolute_url()}],
    )
    for n in range(total):
        subscriber = BulletinSubscriber.objects.create(
            email=f"r{product.pk}-{n}@example.vn", status=SubscriberStatus.CONFIRMED
        )
        send = BulletinSend.objects.create(
            issue=issue,
            subscriber=subscriber,
            token=f"tok-{product.pk}-{n}",
            opened_at=timezone.now() if n < opened else None,
            clicked_at=timezone.now() if n < clicked else None,
        )
        if n < clicked:
            BulletinSendClick.objects.create(send=send, position=1, product=product)


@pytest.fixture
def product_a(make_product: Any) -> Product:
    product = make_product(sharing=Sharing.PUBLIC)
    Product.objects.filter(pk=product.pk).update(view_count=421)
    product.refresh_from_db()
    _post(product, ChannelKind.YOUTUBE, "CĐ PX-A", views=1234, reactions=56, comments=7)
    _post(product, ChannelKind.FACEBOOK_PAGE, "Trang PX-A", reach=1500, reactions=40, shares=3)
    _mailed(product, opened=3, clicked=1, total=5)
    return product


def test_the_product_page_shows_its_reach_to_the_unit_s_officer(
    cast: Any, client_of: Any, product_a: Product
) -> None:
    page = client_of(cast.officer_a).get(f"/noi-dung/{product_a.pk}/").content.decode()
    assert "Trang web: 421 lượt xem" in page
    assert "Bản tin điện tử: 5 thư, 3 người mở, 1 người bấm" in page
    assert "1.234" in page and "1.500" in page  # YouTube views, Facebook reach
    assert "đọc lúc" in page and "https://www.youtube.com/watch?v=x1" in page


def test_an_officer_of_another_unit_sees_the_shared_product_but_not_its_reach(
    cast: Any, client_of: Any, product_a: Product
) -> None:
    answer = client_of(cast.officer_b).get(f"/noi-dung/{product_a.pk}/")
    assert answer.status_code == 200  # shared with the public: B sees the product…
    assert product_a.title in answer.content.decode()
    assert "Trang web: 421 lượt xem" not in answer.content.decode()  # …not its reach
    assert reach.product_reach(viewer=cast.officer_b, product=product_a) is None


def test_the_reach_page_sums_the_year_for_the_viewer_s_units(
    cast: Any, client_of: Any, product_a: Product, make_product: Any
) -> None:
    other = make_product()
    _post(other, ChannelKind.YOUTUBE, "CĐ PX-A", views=66)
    b_product = make_product(unit=cast.unit_b)
    _post(b_product, ChannelKind.YOUTUBE, "CĐ PX-B", views=99999)

    summary = reach.reach_summary(viewer=cast.officer_a, year=timezone.localdate().year)
    assert summary.count == 2
    assert summary.totals["views"] == 1300 and summary.totals["reach"] == 1500
    assert summary.totals["clicks"] is None  # no channel reported clicks
    assert (summary.mail.sent, summary.mail.opened, summary.mail.clickers) == (5, 3, 1)
    assert summary.website_views == 421

    page = client_of(cast.officer_a).get("/noi-dung/tiep-can/").content.decode()
    assert product_a.title in page and other.title in page
    assert b_product.title not in page and "99.999" not in page
    district = reach.reach_summary(viewer=cast.district_officer, year=timezone.localdate().year)
    assert district.count == 3 and district.totals["views"] == 1300 + 99999


def test_a_year_without_products_says_so_and_a_bad_year_falls_back(
    cast: Any, client_of: Any
) -> None:
    officer = client_of(cast.officer_a)
    assert "Chưa có sản phẩm nào" in officer.get("/noi-dung/tiep-can/?year=2001").content.decode()
    assert officer.get("/noi-dung/tiep-can/?year=abc").status_code == 200


def test_members_and_visitors_do_not_reach_the_reach_page(
    cast: Any, client: Any, client_of: Any
) -> None:
    assert client.get("/noi-dung/tiep-can/").status_code == 302
    assert client_of(cast.member_user).get("/noi-dung/tiep-can/").status_code in (302, 403)


def test_figures_the_channels_never_read_show_when_and_why(
    cast: Any, client_of: Any, make_product: Any
) -> None:
    product = make_product()
    publication = _post(product, ChannelKind.ZALO_OA, "OA PX-A")
    PublicationMetrics.objects.filter(publication=publication).update(
        fetched_at=None, error="Zalo OA: đang giới hạn số lần gọi (mã -32); lần sau đọc lại."
    )
    page = client_of(cast.officer_a).get(f"/noi-dung/{product.pk}/").content.decode()
    assert "chưa đọc được" in page and "đang giới hạn số lần gọi" in page


def test_officers_find_the_reach_page_on_their_dashboard_and_from_the_digital_share(
    cast: Any, client_of: Any
) -> None:
    officer = client_of(cast.officer_a)
    assert "/noi-dung/tiep-can/" in officer.get("/bang-dieu-khien/").content.decode()
    assert "/noi-dung/tiep-can/" in officer.get("/noi-dung/ty-le-so/").content.decode()


def test_a_figure_no_channel_reported_is_a_dash_on_the_reach_page_not_a_zero(
    cast: Any, client_of: Any, make_product: Any
) -> None:
    product = make_product()
    _post(product, ChannelKind.ZALO_OA, "OA PX-A", views=640, shares=12)  # no reactions

    page = client_of(cast.officer_a).get("/noi-dung/tiep-can/").content.decode()
    assert "— · — · 12" in page and "0 · 0 · 12" not in page
