from __future__ import annotations

import importlib
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.content import rules, selectors
from congdoan.content.models import Product, ProductStatus, Sharing, Theme
from congdoan.content.models_bulletin import HighlightOccurrence
from congdoan.text import fold
from congdoan_dev.demo import content as demo
from congdoan_dev.demo import orgs as orgs_demo

pytestmark = pytest.mark.django_db

# The themes, as their data migration makes them (a transactional test may have emptied them).
_themes_migration = importlib.import_module("congdoan.content.migrations.0002_seven_themes")


def test_demo_content_covers_the_workflow_and_is_idempotent() -> None:
    _themes_migration.create_themes(apps, None)
    orgs_demo.seed()
    demo.seed(stdout=StringIO())
    products = list(Product.objects.select_related("unit"))
    total = len(products)
    assert total >= 18
    statuses = Counter(p.status for p in products)
    for status in set(ProductStatus.values) - {ProductStatus.APPROVED}:
        assert statuses[status] >= 1, status
    assert len({p.kind for p in products}) >= 8
    assert len({p.unit_id for p in products}) >= 4
    now = timezone.now()
    assert all(p.published_at <= now for p in products if p.published_at)
    assert all(p.published_at.year in (2025, 2026) for p in products if p.published_at)
    assert Product.objects.filter(corrected_at__isnull=False).count() == 1
    assert Product.objects.filter(source__isnull=False).count() == 1
    assert Theme.objects.filter(products__isnull=False).distinct().count() == 7
    assert all(p.title != fold(p.title) for p in products)  # Vietnamese, with its marks
    # Each submitted product waits for a demo login who may approve it.
    chairs = list(User.objects.filter(email__in=[demo.PHUMINH, demo.HANVIET]))
    for product in Product.objects.filter(status=ProductStatus.SUBMITTED):
        assert any(rules.can_approve(chair, product) for chair in chairs), product
    # The shared library and the public site have something to show.
    officer = User.objects.get(email=demo.HANVIET)
    assert len(selectors.shared_library(viewer=officer)) >= 4
    assert len(selectors.public_products(limit=None)) >= 8
    assert selectors.shared_library(viewer=officer, q="bao hiem xa hoi").exists()
    assert Product.objects.filter(sharing=Sharing.UNIT, status=ProductStatus.PUBLISHED).exists()
    share = selectors.digital_share(
        viewer=User.objects.get(email="vanphong@ldldphuxuyen.vn"), year=2026
    )
    assert share.total >= 8 and 0.5 <= (share.share or 0) < 1
    demo.seed(stdout=StringIO())
    assert Product.objects.count() == total


def test_demo_loads_the_years_calendar_and_plans_products_against_it() -> None:
    _themes_migration.create_themes(apps, None)
    orgs_demo.seed()
    demo.seed(stdout=StringIO())
    year = timezone.localdate().year
    occurrences = HighlightOccurrence.objects.filter(year=year)
    assert occurrences.count() >= 10  # the standard highlights of the year (1/5, 28/7, 20/10…)
    planned = Product.objects.filter(highlight__isnull=False)
    assert planned.filter(status=ProductStatus.PUBLISHED).count() >= 3
    drafts = planned.filter(status=ProductStatus.DRAFT)
    codes = {p.highlight.standard.code for p in drafts}  # type: ignore[union-attr]
    assert {"thanh-lap-qdnd", "quoc-te-phu-nu", "thang-cong-nhan"} <= codes
    counts = (HighlightOccurrence.objects.count(), planned.count(), Product.objects.count())
    demo.seed(stdout=StringIO())  # a second run adds nothing
    again = (HighlightOccurrence.objects.count(), planned.count(), Product.objects.count())
    assert again == counts


def test_the_demo_district_approver_may_approve_what_the_district_submits() -> None:
    """The README's district login approves the district's products (a leader post), as the
    demo's history says he did."""
    _themes_migration.create_themes(apps, None)
    orgs_demo.seed()
    demo.seed(stdout=StringIO())
    approver = User.objects.get(email=demo.STANDING)
    submitted = Product.objects.filter(unit__code="PX", status=ProductStatus.SUBMITTED)
    product = submitted.first() or Product.objects.filter(unit__code="PX").first()
    assert product is not None
    if product.author_id == approver.pk:
        pytest.skip("the demo's district product is his own")
    product.status = ProductStatus.SUBMITTED
    assert rules.can_approve(approver, product)
