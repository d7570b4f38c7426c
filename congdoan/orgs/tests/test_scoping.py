from __future__ import annotations

import pytest

from congdoan.orgs.rules import can_manage_unit, can_see_anonymous_contact
from congdoan.orgs.scoping import members_in_scope, scope_for

pytestmark = pytest.mark.django_db


def test_district_officer_sees_whole_district(cast):
    assert can_manage_unit(cast.district_officer, cast.unit_a)
    assert can_manage_unit(cast.district_officer, cast.unit_b)
    assert not can_manage_unit(cast.district_officer, cast.other_district)
    assert not can_manage_unit(cast.district_officer, cast.city)


def test_officer_of_other_unit_cannot_see_members(cast):
    assert set(members_in_scope(cast.officer_a)) == {cast.member_a}
    assert cast.member_b not in set(members_in_scope(cast.officer_a))


def test_member_sees_only_own_record(cast):
    assert list(members_in_scope(cast.member_user)) == [cast.member_a]
    assert not scope_for(cast.member_user).is_officer


def test_only_the_district_office_sees_anonymous_contacts(cast):
    assert can_see_anonymous_contact(cast.district_officer, cast.unit_a)
    assert not can_see_anonymous_contact(cast.officer_a, cast.unit_a)


def test_it_gives_nothing_to_anonymous_visitors(cast):
    from django.contrib.auth.models import AnonymousUser

    assert not members_in_scope(AnonymousUser()).exists()
