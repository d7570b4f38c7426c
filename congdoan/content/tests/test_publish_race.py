"""Two officers press "Đăng" on the same product at the same moment: exactly one publishes it,
the other is told, and one version and one audit entry are written (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from congdoan.audit.models import AuditEntry
from congdoan.content import hooks, services
from congdoan.content.models import Product, ProductStatus, VersionReason
from congdoan.testing_races import race_while_held

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officers_publishing_at_once_publish_exactly_once(cast: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: no race to show")
    product = services.product_create(
        actor=cast.officer_a, unit=cast.unit_a, title="Thông báo lịch nghỉ Tết Nguyên đán"
    )
    services.product_submit(actor=cast.officer_a, product=product)
    services.product_approve(actor=cast.district_officer, product=product)
    heard: list[int] = []

    def listener(published: Product) -> None:
        heard.append(published.pk)

    hooks.register_on_published(listener)
    # A third connection holds the product's row: both officers read it as "approved" and
    # both reach their UPDATE before either can commit.

    def press(officer: Any) -> Callable[[], str]:
        def job() -> str:
            mine = Product.objects.select_related("unit").get(pk=product.pk)
            services.product_publish(actor=officer, product=mine)
            return "published"

        return job

    try:
        outcomes = race_while_held(
            "SELECT id FROM content_product WHERE id = %s FOR UPDATE",
            [product.pk],
            {"a": press(cast.officer_a), "district": press(cast.district_officer)},
        )
    finally:
        hooks.unregister(listener)
    assert list(outcomes.values()).count("published") == 1, outcomes
    refused = next(v for v in outcomes.values() if v != "published")
    assert "Đã đăng" in refused
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED
    assert product.versions.filter(reason=VersionReason.PUBLISHED).count() == 1
    assert AuditEntry.objects.filter(action="content.product.publish").count() == 1
    assert heard == [product.pk]
