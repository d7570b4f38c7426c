"""The digital share page for officers: figures per unit in scope, a chart drawn on the server."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from congdoan.content import reach
from congdoan.content.models import Product, ProductStatus

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _product(unit: Any, title: str, month: int, digital: bool = True) -> Product:
    return Product.objects.create(
        unit=unit,
        title=title,
        slug=f"{title.lower().replace(' ', '-')}-{month}",
        status=ProductStatus.PUBLISHED,
        is_digital=digital,
        published_at=datetime(2026, month, 3, 9, tzinfo=HANOI),
    )


def test_officer_sees_the_share_of_their_units_and_a_chart(cast: Any, client_of: Any) -> None:
    _product(cast.unit_a, "Tin", 3)
    _product(cast.unit_a, "Pa no", 3, digital=False)
    _product(cast.unit_a, "Video", 11)
    _product(cast.unit_b, "Tin cua B", 3, digital=False)
    client = client_of(cast.officer_a)
    page = client.get("/noi-dung/ty-le-so/?year=2026").content.decode()
    assert "67 %" in page and cast.unit_a.name in page and cast.unit_b.name not in page
    chart = client.get("/noi-dung/ty-le-so/bieu-do.svg?year=2026")
    assert chart["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert chart.content.startswith(b"<svg") and b"<script" not in chart.content
    assert reach.published_by_month(viewer=cast.officer_a, year=2026) == (
        [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0],
        [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0],
    )
    district = reach.published_by_month(viewer=cast.district_officer, year=2026)
    assert district[1][2] == 3
    assert client.get("/noi-dung/ty-le-so/?year=khong").status_code == 200
    assert client_of(cast.member_user).get("/noi-dung/ty-le-so/").status_code == 403
