"""A unit reuses another's shared product as its own draft, with attribution; reuse is counted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from congdoan.content import services
from congdoan.content.models import Product, ProductStatus, Sharing
from congdoan.content.tests.factories import published

pytestmark = pytest.mark.django_db


def test_reuse_copies_into_the_viewers_unit_and_counts(
    cast: Any, make_product: Callable[..., Product], themes: Any
) -> None:
    source = make_product(
        title="Hỏi đáp về Bộ luật Lao động: làm thêm giờ",
        summary="Người lao động làm thêm không quá 40 giờ/tháng.",
        body="<p>Điều 107 Bộ luật Lao động 2019…</p>",
        sharing=Sharing.UNION,
        themes=[themes["chinh-sach-phap-luat"]],
        tags=["làm thêm giờ"],
    )
    published(source, approver=cast.district_officer, actor=cast.officer_a)
    copy = services.product_reuse(actor=cast.officer_b, source=source, unit=cast.unit_b)
    again = services.product_reuse(actor=cast.officer_b, source=source, unit=cast.unit_b)
    source.refresh_from_db()
    assert source.reuse_count == 2
    assert copy.unit == cast.unit_b and copy.status == ProductStatus.DRAFT
    assert copy.sharing == Sharing.UNIT and copy.author == cast.officer_b
    assert copy.source == source and copy.attribution == "Nguồn: Công đoàn Công ty May A"
    assert copy.body == source.body and copy.tags == ["làm thêm giờ"]
    assert list(copy.themes.values_list("code", flat=True)) == ["chinh-sach-phap-luat"]
    assert again.slug == f"{copy.slug}-2"


def test_what_is_not_shared_or_not_published_cannot_be_reused(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    own = make_product(title="Tin nội bộ", sharing=Sharing.UNIT)
    published(own, approver=cast.district_officer, actor=cast.officer_a)
    draft = make_product(title="Nháp chia sẻ", sharing=Sharing.UNION)
    for source in (own, draft):
        with pytest.raises(PermissionDenied):
            services.product_reuse(actor=cast.officer_b, source=source, unit=cast.unit_b)
    shared = make_product(title="Tin chia sẻ", sharing=Sharing.UNION)
    published(shared, approver=cast.district_officer, actor=cast.officer_a)
    with pytest.raises(PermissionDenied):  # into a unit B's officer does not manage
        services.product_reuse(actor=cast.officer_b, source=shared, unit=cast.unit_a)
    assert Product.objects.get(pk=shared.pk).reuse_count == 0
