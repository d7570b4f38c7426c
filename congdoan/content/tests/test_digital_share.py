"""The plan's indicator: digital products ÷ all products published in the year."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from congdoan.content import selectors
from congdoan.content.models import Product, ProductKind, ProductStatus

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _published(product: Product, year: int) -> None:
    Product.objects.filter(pk=product.pk).update(
        status=ProductStatus.PUBLISHED, published_at=datetime(year, 5, 1, 8, tzinfo=HANOI)
    )


def test_digital_share_per_unit_and_overall(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    for title in ("Tin 1", "Tin 2", "Tin 3"):
        _published(make_product(title=title), 2026)
    _published(make_product(title="Pa-nô", kind=ProductKind.POSTER), 2026)
    _published(
        make_product(
            author=cast.officer_b,
            unit=cast.unit_b,
            title="Bản tin in",
            kind=ProductKind.PRINTED_BULLETIN,
        ),
        2026,
    )
    _published(make_product(title="Năm trước"), 2025)
    make_product(title="Chưa đăng")

    share = selectors.digital_share(viewer=cast.district_officer, year=2026)
    assert (share.digital, share.total) == (3, 5)
    assert share.share == pytest.approx(0.6) and share.meets_target
    by_unit = {row.unit.code: (row.digital, row.total) for row in share.rows}
    assert by_unit == {"PX-A": (3, 4), "PX-B": (0, 1)}
    assert not next(r for r in share.rows if r.unit.code == "PX-B").meets_target

    own = selectors.digital_share(viewer=cast.officer_b, year=2026)
    assert (own.digital, own.total) == (0, 1) and own.share == 0
    empty = selectors.digital_share(viewer=cast.officer_a, year=2024)
    assert empty.total == 0 and empty.share is None and not empty.meets_target
