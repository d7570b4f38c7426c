from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from congdoan.audit.models import AuditEntry
from congdoan.orgs import selectors, services
from congdoan.orgs.models import Member, Unit
from congdoan.orgs.tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_keeps_materialised_paths_when_a_subtree_moves(cast):
    child = f.unit(cast.unit_a, code="PX-A-1")
    grandchild = f.unit(child, code="PX-A-1-1")
    services.unit_move(
        actor=cast.admin, unit=child, new_parent=cast.unit_b, on_date=date(2025, 7, 1)
    )
    grandchild.refresh_from_db()
    child.refresh_from_db()
    assert child.parent_id == cast.unit_b.pk
    assert grandchild.path == f"{cast.unit_b.path}{child.pk}/{grandchild.pk}/"
    assert grandchild.depth == cast.unit_b.depth + 2
    assert AuditEntry.objects.filter(action="unit.move", object_id=str(child.pk)).exists()


def test_it_refuses_to_move_a_unit_under_its_own_descendant(cast):
    with pytest.raises(ValidationError):
        services.unit_move(actor=cast.admin, unit=cast.district, new_parent=cast.unit_a)


def test_subtree_as_it_was_uses_the_tree_of_that_date(cast):
    moved = f.unit(cast.other_district, code="TT-X", on_date=date(2020, 1, 1))
    services.unit_move(
        actor=cast.admin, unit=moved, new_parent=cast.district, on_date=date(2025, 7, 1)
    )
    assert moved.pk not in selectors.subtree_ids_at(unit=cast.district, on_date=date(2025, 6, 30))
    assert moved.pk in selectors.subtree_ids_at(unit=cast.district, on_date=date(2025, 7, 1))
    assert moved.pk in selectors.subtree_ids_at(unit=cast.other_district, on_date=date(2025, 6, 30))


def test_merge_moves_members_and_keeps_the_old_unit_for_history(cast):
    old = f.unit(cast.district, code="PX-OLD", on_date=date(2020, 1, 1))
    f.member(old)
    services.unit_merge(actor=cast.admin, source=old, target=cast.unit_a, on_date=date(2025, 7, 1))
    old.refresh_from_db()
    assert not old.is_active and old.merged_into_id == cast.unit_a.pk
    assert Member.objects.filter(unit=old).count() == 0
    assert old.pk in selectors.subtree_ids_at(unit=cast.district, on_date=date(2025, 1, 1))
    assert old.pk not in selectors.subtree_ids_at(unit=cast.district, on_date=date(2025, 8, 1))


def test_a_period_ended_by_a_merger_says_so_in_the_readers_language(cast):
    old = f.unit(cast.district, code="PX-OLD", on_date=date(2020, 1, 1))
    member = f.member(old)
    services.unit_merge(actor=cast.admin, source=old, target=cast.unit_a, on_date=date(2025, 7, 1))
    [ended] = [p for p in selectors.member_history(member=member) if p.unit_id == old.pk]
    # Nothing language-bound is stored; the sentence is made when it is read, through gettext.
    assert ended.end_reason == ""
    assert ended.end_reason_display == f"Sáp nhập vào {cast.unit_a.name}"
    with translation.override("en"):
        told = translation.gettext("Sáp nhập vào %(unit)s") % {"unit": cast.unit_a.name}
        assert ended.end_reason_display == told
        # A period closed before, its reason stored in Vietnamese, is told the same way.
        ended.end_reason = f"Sáp nhập vào {cast.unit_a.name}"
        assert ended.end_reason_display == told


def test_rename_keeps_the_old_name_in_the_period_history(cast):
    services.unit_rename(
        actor=cast.admin,
        unit=cast.unit_a,
        name="Công đoàn Công ty May A mới",
        on_date=date(2025, 1, 1),
    )
    names = list(cast.unit_a.periods.order_by("valid_from").values_list("name", flat=True))
    assert names == ["Công đoàn Công ty May A", "Công đoàn Công ty May A mới"]


def test_subtree_member_count_counts_every_level(cast):
    f.member(f.unit(cast.unit_a, code="PX-A-2"))
    assert selectors.subtree_member_count(unit=cast.district) == 3
    assert selectors.subtree_member_count(unit=cast.city) == 3
    assert Unit.objects.get(code="PX").code == "PX"
