"""Fixtures of content's tests: the seven themes, a product factory through the services, an
officer of unit A who holds no leader's post."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.apps import apps

from congdoan.content import services
from congdoan.content.models import Product, Theme
from congdoan.core.tests.test_browser import browser, phone  # noqa: F401  (browser fixtures)
from congdoan.orgs import services as org_services
from congdoan.orgs.tests import factories

_themes_migration = importlib.import_module("congdoan.content.migrations.0002_seven_themes")


@pytest.fixture
def themes(db: Any) -> dict[str, Theme]:
    """The seven themes, as the data migration makes them (a transactional test before this one
    may have emptied the tables)."""
    _themes_migration.create_themes(apps, None)
    return {t.code: t for t in Theme.objects.all()}


@pytest.fixture
def make_product(cast: Any) -> Callable[..., Product]:
    def make(
        author: Any = None, unit: Any = None, title: str = "Tin hoạt động", **kw: Any
    ) -> Product:
        author = author or cast.officer_a
        return services.product_create(actor=author, unit=unit or cast.unit_a, title=title, **kw)

    return make


@pytest.fixture
def staff_a(cast: Any) -> Any:
    """An officer of unit A (an Ủy viên BCH): manages the unit, is not one of its leaders."""
    user = factories.user("Ủy viên CĐ A")
    org_services.appointment_create(
        actor=None,
        unit=cast.unit_a,
        position=factories.position("uy-vien", leader=False),
        full_name="Ủy viên CĐ A",
        user=user,
        started_on=date(2020, 1, 1),
    )
    return user
