"""A member who acknowledged an e-bulletin issue ("Tôi đã đọc bản tin này") counts as reached
in that year, through the content app's registered source, counted but never named."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from congdoan.content.models_bulletin import BulletinAck, BulletinIssue
from congdoan.content.selectors import bulletin_ack_member_ids
from congdoan.orgs.tests import factories as f
from congdoan.plan import selectors, services
from congdoan.plan.indicators import base
from congdoan.plan.models import IndicatorFigure
from congdoan.plan.periods import parse_period

pytestmark = pytest.mark.django_db

Y2025 = parse_period("2025")
TODAY = date(2026, 3, 1)


def _ack(member: Any, year: int, week: int, on: datetime) -> None:
    issue, _new = BulletinIssue.objects.get_or_create(year=year, week=week)
    BulletinAck.objects.create(member=member, issue=issue, acknowledged_at=on)


def test_the_content_bulletin_source_is_registered() -> None:
    source = base.REACH_SOURCES["bulletin"]
    assert base.load(source.path) is bulletin_ack_member_ids
    assert source.listable is False


def test_an_acknowledging_member_with_no_other_evidence_is_reached(
    cast: Any, only_sources: Any
) -> None:
    """Only the bulletin source. Unit A: member_a acknowledged in 2024 only (not reached in
    2025), a1 acknowledged in 2025, a2 nothing → 1/3. Unit B: member_b acknowledged two issues
    in 2025 (counted once) → 1/1. The district: 2/4 = 50 %."""
    only_sources("bulletin")
    tz = timezone.get_current_timezone()
    a1 = f.member(cast.unit_a, full_name="Vũ Văn Đọc")
    f.member(cast.unit_a, full_name="Hà Thị Chưa")
    _ack(cast.member_a, 2024, 50, datetime(2024, 12, 10, 9, tzinfo=tz))
    _ack(a1, 2025, 10, datetime(2025, 3, 4, 9, tzinfo=tz))
    _ack(cast.member_b, 2025, 10, datetime(2025, 3, 5, 9, tzinfo=tz))
    _ack(cast.member_b, 2025, 11, datetime(2025, 3, 12, 9, tzinfo=tz))

    services.refresh_figures(period=Y2025, today=TODAY)
    a = IndicatorFigure.objects.get(unit=cast.unit_a, indicator="members_reached", period="2025")
    b = IndicatorFigure.objects.get(unit=cast.unit_b, indicator="members_reached", period="2025")
    assert (a.numerator, a.denominator) == (1, 3)
    assert (b.numerator, b.denominator) == (1, 1)
    row = selectors.figure_for(unit=cast.district, period=Y2025, code="members_reached")
    assert row is not None and row.value == Decimal("50.0")

    ev = selectors.evidence_for(
        viewer=cast.district_officer, unit=cast.district, period=Y2025, code="members_reached"
    )
    assert ev is not None
    assert not list(ev.rows)  # counted, never named
    assert "2 đoàn viên được tính qua nguồn không hiển thị" in ev.note
