"""The plan's "false_info_handled" indicator gets its figures from monitoring once the figure
source is registered: each unit's own (handled, detected), rolled up the tree by the plan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from congdoan.monitoring.models import NarrativeStatus
from congdoan.monitoring.tests import handle_helpers as h
from congdoan.plan import selectors as plan_selectors
from congdoan.plan import services as plan_services
from congdoan.plan.indicators import base
from congdoan.plan.periods import parse_period

CODE = "false_info_handled"
PATH = "congdoan.monitoring.selectors.handled_figures"
S = NarrativeStatus


@pytest.fixture
def figure_sources() -> Iterator[None]:
    saved = dict(base.FIGURE_SOURCES)
    yield
    base.FIGURE_SOURCES.clear()
    base.FIGURE_SOURCES.update(saved)


def value(unit: Any, period: str = "2025") -> Decimal | None:
    row = plan_selectors.figure_for(unit=unit, period=parse_period(period), code=CODE)
    assert row is not None
    return row.value


def test_the_app_registers_its_figure_source() -> None:
    source = base.FIGURE_SOURCES.get(CODE)
    assert source is not None and source.path == PATH
    assert base.load(source.path) is not None


def test_the_plan_counts_handled_narratives(cast: Any, figure_sources: None) -> None:
    base.FIGURE_SOURCES.pop(CODE, None)
    jan = timezone.make_aware(datetime(2025, 1, 10, 9))
    for status, handled in (
        (S.RESPONDED, True),
        (S.DISMISSED, True),
        (S.RESOLVED, True),
        (S.VERIFYING, False),
    ):
        h.narrative(
            cast.unit_a,
            detected_at=jan,
            status=status,
            handled_at=jan + timedelta(hours=5) if handled else None,
            dismiss_reason="Không liên quan" if status == S.DISMISSED else "",
        )
    h.narrative(cast.unit_b, detected_at=jan, status=S.DETECTED)
    today = date(2026, 3, 1)
    plan_services.refresh_figures(period=parse_period("2025"), today=today)
    assert value(cast.district) is None  # no source: no data, never 0 %
    base.register_figure_source(CODE, "Theo dõi thông tin", PATH)
    plan_services.refresh_figures(period=parse_period("2025"), today=today)
    assert value(cast.unit_a) == Decimal("75.0")
    assert value(cast.unit_b) == Decimal("0.0")
    assert value(cast.district) == Decimal("60.0")  # 3 of 5, each counted once
    assert value(cast.other_district) is None
    plan_services.refresh_figures(period=parse_period("2025H2"), today=today)
    assert value(cast.district, "2025H2") is None  # nothing detected then
