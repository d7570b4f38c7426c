"""Who sees which product: drafts stay in their unit's scope, sharing opens published ones,
the shared library and the public site show only what they should."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from congdoan.content import selectors, services
from congdoan.content.models import Product, ProductKind, Sharing
from congdoan.content.tests.factories import published

pytestmark = pytest.mark.django_db


def test_a_unit_does_not_see_another_units_drafts(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    draft = make_product(title="Bản nháp của A", sharing=Sharing.UNION)
    assert list(selectors.product_list(viewer=cast.officer_b)) == []
    with pytest.raises(Http404):
        selectors.product_get_for_viewer(viewer=cast.officer_b, pk=draft.pk)
    with pytest.raises(Http404):
        selectors.product_get_for_viewer(viewer=cast.member_user, pk=draft.pk)
    # The unit's own officers and the district above it see it.
    assert list(selectors.product_list(viewer=cast.officer_a)) == [draft]
    assert list(selectors.product_list(viewer=cast.district_officer)) == [draft]
    assert selectors.product_get_for_viewer(viewer=cast.district_officer, pk=draft.pk) == draft


def test_the_shared_library_shows_what_is_shared_and_published(
    cast: Any, staff_a: Any, make_product: Callable[..., Product], themes: Any
) -> None:
    union = make_product(
        author=staff_a,
        title="Hướng dẫn chăm lo Tết Sum vầy",
        sharing=Sharing.UNION,
        themes=[themes["cham-lo-bao-ve"]],
    )
    public = make_product(
        author=staff_a,
        title="Áp phích An toàn lao động",
        sharing=Sharing.PUBLIC,
        kind=ProductKind.POSTER,
    )
    own = make_product(author=staff_a, title="Tin nội bộ", sharing=Sharing.UNIT)
    unpublished = make_product(author=staff_a, title="Chưa đăng", sharing=Sharing.UNION)
    for product in (union, public, own):
        published(product, approver=cast.officer_a, actor=staff_a)

    library = list(selectors.shared_library(viewer=cast.officer_b))
    assert set(library) == {union, public}
    assert unpublished not in library and own not in library
    assert list(selectors.shared_library(viewer=cast.officer_b, q="cham lo TET")) == [union]
    assert list(selectors.shared_library(viewer=cast.officer_b, theme="cham-lo-bao-ve")) == [union]
    assert list(selectors.shared_library(viewer=cast.officer_b, kind=ProductKind.POSTER)) == [
        public
    ]
    assert set(selectors.shared_library(viewer=cast.officer_b, unit=cast.district)) == {
        union,
        public,
    }
    assert list(selectors.shared_library(viewer=cast.officer_b, unit=cast.unit_b)) == []
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert list(selectors.shared_library(viewer=cast.officer_b, date_from=tomorrow)) == []
    assert len(selectors.shared_library(viewer=cast.officer_b, date_to=tomorrow)) == 2
    # Shared products open to the other unit's officer; the unit's own do not.
    assert selectors.product_get_for_viewer(viewer=cast.officer_b, pk=union.pk) == union
    with pytest.raises(Http404):
        selectors.product_get_for_viewer(viewer=cast.officer_b, pk=own.pk)
    # A member (not an officer) finds only the public one.
    assert list(selectors.shared_library(viewer=cast.member_user)) == [public]


def test_subtree_sharing_reaches_the_units_below_not_the_siblings(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    district_news = make_product(
        author=cast.district_officer,
        unit=cast.district,
        title="Kế hoạch Tháng Công nhân của huyện",
        sharing=Sharing.SUBTREE,
    )
    services.content_settings_update(
        actor=cast.admin,
        unit=cast.district,
        approval_by="unit_leader",
        allow_self_approval=True,
    )
    published(district_news, approver=cast.district_officer, actor=cast.district_officer)
    a_news = make_product(title="Tin của A cho cả cụm", sharing=Sharing.SUBTREE)
    published(a_news, approver=cast.district_officer, actor=cast.officer_a)
    assert list(selectors.shared_library(viewer=cast.officer_b)) == [district_news]
    assert set(selectors.shared_library(viewer=cast.district_officer)) == {district_news, a_news}


def test_the_public_site_shows_only_published_public_products(
    cast: Any, make_product: Callable[..., Product], themes: Any
) -> None:
    public = make_product(
        title="Ngày hội Công nhân 2026",
        sharing=Sharing.PUBLIC,
        themes=[themes["su-kien-trong-tam"]],
    )
    union = make_product(title="Chỉ trong hệ thống", sharing=Sharing.UNION)
    draft = make_product(title="Nháp công khai", sharing=Sharing.PUBLIC)
    for product in (public, union):
        published(product, approver=cast.district_officer, actor=cast.officer_a)
    assert list(selectors.public_products()) == [public]
    assert list(selectors.public_products(unit=cast.district)) == [public]
    assert list(selectors.public_products(unit=cast.unit_b)) == []
    assert list(selectors.public_products(theme="su-kien-trong-tam")) == [public]
    assert list(selectors.public_products(theme="guong-tot")) == []
    assert selectors.public_product(unit_code="PX-A", slug=public.slug) == public
    for hidden in (union, draft):
        with pytest.raises(Http404):
            selectors.public_product(unit_code="PX-A", slug=hidden.slug)
    services.product_archive(actor=cast.officer_a, product=public)
    assert list(selectors.public_products()) == []


def test_versions_and_comments_stay_with_the_units_officers(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product(sharing=Sharing.UNION)
    published(product, approver=cast.district_officer, actor=cast.officer_a)
    services.product_comment(actor=cast.officer_a, product=product, text="Đã đăng lên trang.")
    assert len(selectors.versions(viewer=cast.officer_a, product=product)) == 3
    assert len(selectors.comments(viewer=cast.officer_a, product=product)) == 1
    assert len(selectors.versions(viewer=cast.officer_b, product=product)) == 0
    assert len(selectors.comments(viewer=cast.officer_b, product=product)) == 0


def test_the_approvers_list_holds_what_they_may_approve(
    cast: Any, staff_a: Any, make_product: Callable[..., Product]
) -> None:
    mine = make_product(author=cast.officer_a, title="Của chủ tịch A")
    theirs = make_product(author=staff_a, title="Của ủy viên A")
    for product in (mine, theirs):
        services.product_submit(actor=product.author, product=product)
    assert selectors.awaiting_approval(viewer=cast.officer_a) == [theirs]
    assert set(selectors.awaiting_approval(viewer=cast.district_officer)) == {mine, theirs}
    assert selectors.awaiting_approval(viewer=cast.officer_b) == []
