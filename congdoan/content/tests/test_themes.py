"""The seven themes of the plan, as the data migration creates them."""

from __future__ import annotations

from typing import Any

from congdoan.content.models import Theme


def test_the_seven_themes_exist_in_the_plans_order(themes: Any) -> None:
    assert list(Theme.objects.values_list("code", flat=True)) == [
        "tu-tuong",
        "chinh-sach-phap-luat",
        "vai-tro-cong-doan",
        "cham-lo-bao-ve",
        "guong-tot",
        "quyen-loi-doan-vien",
        "su-kien-trong-tam",
    ]
