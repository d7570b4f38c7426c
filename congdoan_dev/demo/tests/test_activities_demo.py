from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from congdoan.activities import selectors
from congdoan.activities.models import Activity, Attendance, Budget, TrainingAttendance
from congdoan.orgs.models import Member, Unit
from congdoan_dev.demo import activities as demo
from congdoan_dev.demo import orgs as orgs_demo


@pytest.mark.django_db
def test_demo_activities_look_like_a_district_and_are_idempotent(settings: Any) -> None:
    settings.ACTIVITIES_SILENT_AFTER_DAYS = 30
    orgs_demo.seed()
    demo.seed()
    today = timezone.localdate()
    px = Unit.objects.get(code="PX")
    units = list(Unit.objects.filter(parent=px, is_active=True).values_list("pk", flat=True))
    assert Activity.objects.filter(held_on__gt=today).count() == 0
    assert Activity.objects.filter(held_on__year=2023).exists()
    counts = selectors.direct_activity_counts(
        unit_ids=units, start=date(today.year, 1, 1), end=today
    )
    below = [u for u, n in counts.items() if n < 2]
    assert 1 <= len(below) <= len(units) // 3  # most meet the duty of two, a few do not
    members = Member.objects.filter(unit__parent=px).count()
    reached = selectors.attended_member_ids(start=date(today.year, 1, 1), end=today).count()
    assert 0.3 * members <= reached <= members
    assert TrainingAttendance.objects.exclude(certificate_number="").exists()
    states = selectors.presence_by_unit(unit_ids=units, as_of=today)
    with_page = [s for s in states.values() if s.has_fanpage]
    assert len(with_page) >= 0.6 * len(units)
    silent = [s for s in with_page if not s.active_fanpage]
    assert 2 <= len(silent) <= 4
    assert Budget.objects.filter(unit=px, year=today.year).exists()
    before = (Activity.objects.count(), Attendance.objects.count(), Budget.objects.count())
    demo.seed()
    assert (Activity.objects.count(), Attendance.objects.count(), Budget.objects.count()) == before
