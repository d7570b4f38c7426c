from __future__ import annotations

from datetime import date

import pytest
from django.db.models import F
from django.utils import timezone

from congdoan.orgs.models import Member, Membership, Unit, UnitEvent, UnitEventKind, UnitPeriod
from congdoan_dev.demo import orgs as demo

pytestmark = pytest.mark.django_db


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_demo_tree_has_working_age_members_and_a_past_history() -> None:
    demo.seed()
    today = timezone.localdate()
    members = list(Member.objects.exclude(date_of_birth=None).select_related("unit"))
    assert len(members) > 9000
    ages = [_age(m.date_of_birth, today) for m in members if m.date_of_birth]
    assert min(ages) >= 18 and max(ages) <= 60
    assert sum(20 <= a <= 45 for a in ages) / len(ages) >= 0.75
    for m in members:
        assert m.joined_on is not None and m.joined_on < today and m.date_of_birth is not None
        assert _age(m.date_of_birth, m.joined_on) >= 18
        if m.unit.founded_on:
            assert m.joined_on >= m.unit.founded_on
    # Every unit was founded, and its history starts, on a past date; not all on the same day.
    grassroots = Unit.objects.filter(level__is_grassroots=True)
    assert grassroots.values("founded_on").distinct().count() >= 20
    assert not UnitEvent.objects.filter(on_date__gte=today).exists()
    assert not UnitPeriod.objects.filter(valid_from__gte=today).exists()
    created = UnitEvent.objects.filter(kind=UnitEventKind.CREATED).select_related("unit")
    assert all(e.on_date == e.unit.founded_on for e in created if e.unit.founded_on)
    count = Member.objects.count()
    demo.seed()
    assert Member.objects.count() == count


def test_demo_members_have_their_period_in_the_union_and_the_merged_school_its_history() -> None:
    demo.seed()
    members = Member.objects.count()
    # One open period per member, at the member's union, from the day they joined.
    open_periods = Membership.objects.filter(left_on__isnull=True)
    assert open_periods.count() == members
    assert not open_periods.exclude(unit_id=F("member__unit_id")).exists()
    assert (
        not open_periods.exclude(joined_on=F("member__joined_on"))
        .exclude(unit__code="PX-TH-HONGMINH")
        .exists()
    )
    # The school merged in 2025: its teachers' history reads Tri Thủy until the merger, then Hồng Minh.
    merged = Membership.objects.filter(unit__code="PX-TH-TRITHUY")
    assert merged.count() == 18
    assert set(merged.values_list("left_on", flat=True)) == {date(2025, 7, 1)}
    demo.seed()
    assert Membership.objects.count() == members + 18
