"""Scoping of every list (an officer of another district or of a sibling union sees nothing
not theirs; a member sees nothing), the filters, and the monthly figures counted by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from congdoan.monitoring import rules, selectors
from congdoan.monitoring.models import KnownClaim, NarrativeStatus, Tip
from congdoan.monitoring.tests import handle_helpers as h
from congdoan.orgs.tests import factories as f

S = NarrativeStatus


def at(y: int, m: int, d: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(y, m, d, hour))


@pytest.fixture
def world(cast: Any) -> dict[str, Any]:
    """A narrative, a tip and a claim in each of: unit A, unit B, the district, the other
    district; an officer of the other district."""
    out: dict[str, Any] = {"other_officer": f.officer(cast.other_district, name="Cán bộ TT")}
    for key, unit in (
        ("a", cast.unit_a),
        ("b", cast.unit_b),
        ("px", cast.district),
        ("tt", cast.other_district),
    ):
        out[key] = h.narrative(unit, title=f"Tin đồn nợ lương ở {unit.code}")
        out[f"tip_{key}"] = Tip.objects.create(unit=unit, text=f"Báo tin {unit.code}")
        out[f"claim_{key}"] = KnownClaim.objects.create(unit=unit, claim=f"Sai: {unit.code}")
    return out


def ids(qs: Any) -> set[int]:
    return {o.pk for o in qs}


def test_each_officer_sees_their_own_subtree(cast: Any, world: dict[str, Any]) -> None:
    a, b, px, tt = (world[k] for k in ("a", "b", "px", "tt"))
    assert ids(selectors.narratives_for(cast.officer_a)) == {a.pk}
    assert ids(selectors.narratives_for(cast.officer_b)) == {b.pk}
    assert ids(selectors.narratives_for(cast.district_officer)) == {a.pk, b.pk, px.pk}
    assert ids(selectors.narratives_for(world["other_officer"])) == {tt.pk}
    assert ids(selectors.narratives_for(cast.admin)) == {a.pk, b.pk, px.pk, tt.pk}
    assert ids(selectors.sources_for(cast.officer_a)) == {a.items.get().source_id}
    assert ids(selectors.items_for(cast.officer_a)) == {a.items.get().pk}
    assert ids(selectors.items_for(world["other_officer"])) == {tt.items.get().pk}
    assert ids(selectors.tips_for(cast.officer_a)) == {world["tip_a"].pk}
    assert ids(selectors.tips_for(cast.district_officer)) == {
        world["tip_a"].pk,
        world["tip_b"].pk,
        world["tip_px"].pk,
    }
    # known claims: the unit's own and those of the levels above (refutations to reuse)
    assert ids(selectors.claims_for(cast.officer_a)) == {
        world["claim_a"].pk,
        world["claim_px"].pk,
    }
    assert ids(selectors.claims_for(world["other_officer"])) == {world["claim_tt"].pk}


def test_a_member_and_a_visitor_see_nothing(cast: Any, world: dict[str, Any]) -> None:
    for viewer in (cast.member_user, None):
        assert not selectors.narratives_for(viewer).exists()
        assert not selectors.sources_for(viewer).exists()
        assert not selectors.items_for(viewer).exists()
        assert not selectors.tips_for(viewer).exists()
        assert not selectors.claims_for(viewer).exists()
        assert selectors.monthly(viewer, timezone.localdate().year) == []
        with pytest.raises(Http404):
            selectors.narrative_detail(viewer, world["a"].pk)
    assert not rules.is_monitoring_officer(cast.member_user)
    assert rules.can_send_tip(cast.member_user) and not rules.can_send_tip(None)
    mine = Tip.objects.create(unit=cast.unit_a, reporter=cast.member_user, text="Của tôi")
    assert ids(selectors.my_tips(cast.member_user)) == {mine.pk}


def test_details_outside_the_scope_are_404(cast: Any, world: dict[str, Any]) -> None:
    a, b, tt = world["a"], world["b"], world["tt"]
    assert selectors.narrative_detail(cast.officer_a, a.pk) == a
    assert selectors.narrative_detail(cast.district_officer, b.pk) == b
    for viewer, pk in ((cast.officer_a, b.pk), (cast.district_officer, tt.pk)):
        with pytest.raises(Http404):
            selectors.narrative_detail(viewer, pk)
    with pytest.raises(Http404):
        selectors.narrative_detail(cast.officer_a, 999_999)
    with pytest.raises(Http404):
        selectors.source_for(cast.officer_b, a.items.get().source_id)
    with pytest.raises(Http404):
        selectors.item_for(world["other_officer"], a.items.get().pk)
    with pytest.raises(Http404):
        selectors.claim_for(cast.officer_a, world["claim_px"].pk)  # shown, not editable
    assert selectors.item_for(cast.district_officer, a.items.get().pk).narrative == a
    assert rules.can_handle(cast.district_officer, a) and not rules.can_handle(cast.officer_b, a)


def test_an_item_of_another_unit_in_a_narrative_in_scope_is_shown(cast: Any) -> None:
    story = h.narrative(cast.unit_a)
    copy = h.narrative(cast.unit_b).items.get()
    copy.narrative = story
    copy.save()
    assert copy.pk in ids(selectors.items_for(cast.officer_a, narrative=story))
    assert copy.pk in ids(selectors.narrative_items(story))


def test_filters_riskiest_first_and_search_without_diacritics(cast: Any) -> None:
    low = h.narrative(cast.unit_a, title="Công đoàn tổ chức hội thao", risk=0.2)
    high = h.narrative(cast.unit_a, title="Tin đồn Công ty May A cắt lương", risk=0.9)
    mid = h.narrative(cast.unit_b, title="Công nhân điện tử đình công", risk=0.6)
    mid.status = S.DISMISSED
    mid.save()
    viewer = cast.district_officer
    assert list(selectors.narratives_for(viewer)) == [high, mid, low]
    assert list(selectors.narratives_for(viewer, min_risk=0.5)) == [high, mid]
    assert list(selectors.narratives_for(viewer, status=S.DISMISSED)) == [mid]
    assert list(selectors.narratives_for(viewer, status="open")) == [high, low]
    assert list(selectors.narratives_for(viewer, q="cat luong")) == [high]
    assert list(selectors.narratives_for(viewer, q="CẮT lương may")) == [high]
    assert list(selectors.narratives_for(viewer, unit=cast.unit_b)) == [mid]
    assert list(selectors.narratives_for(cast.officer_a, unit=cast.unit_b)) == []
    counts = selectors.status_counts(viewer)
    assert counts[S.DETECTED] == 2 and counts[S.DISMISSED] == 1 and counts["open"] == 2
    assert counts[S.RESOLVED] == 0


def test_assignable_officers_are_those_of_the_unit_and_above(cast: Any) -> None:
    story = h.narrative(cast.unit_a)
    people = selectors.assignable_officers(cast.district_officer, story)
    assert set(people) == {cast.officer_a, cast.district_officer}
    assert selectors.assignable_officers(cast.officer_b, story) == []


@pytest.fixture
def year_2025(cast: Any) -> dict[str, Any]:
    """Unit A: January 3 detected (one responded in 10 h, one dismissed, one open), February 1
    responded in 30 h. Unit B: January 1 detected, responded in 20 h. The district: none.
    Another district: January 1 responded (never counted for PX)."""
    jan, feb = at(2025, 1, 10), at(2025, 2, 3)
    a1 = h.narrative(cast.unit_a, detected_at=jan, status=S.RESPONDED)
    a1.handled_at = jan + timedelta(hours=10)
    a2 = h.narrative(
        cast.unit_a, detected_at=jan, status=S.DISMISSED, dismiss_reason="Tin quảng cáo"
    )
    a2.handled_at = jan + timedelta(hours=1)
    h.narrative(cast.unit_a, detected_at=jan, status=S.VERIFYING)
    a4 = h.narrative(cast.unit_a, detected_at=feb, status=S.RESOLVED)
    a4.handled_at = feb + timedelta(hours=30)
    b1 = h.narrative(cast.unit_b, detected_at=jan, status=S.RESPONDED)
    b1.handled_at = jan + timedelta(hours=20)
    t1 = h.narrative(cast.other_district, detected_at=jan, status=S.RESPONDED)
    t1.handled_at = jan + timedelta(hours=2)
    for n in (a1, a2, a4, b1, t1):
        n.save()
    h.narrative(cast.unit_a, detected_at=at(2024, 12, 31, 23))  # another year
    return {}


def test_handled_figures_are_each_units_own(cast: Any, year_2025: Any) -> None:
    units = [cast.district.pk, cast.unit_a.pk, cast.unit_b.pk]
    figures = selectors.handled_figures(
        unit_ids=units, start=date(2025, 1, 1), end=date(2025, 12, 31)
    )
    assert figures == {cast.unit_a.pk: (3, 4), cast.unit_b.pk: (1, 1)}
    january = selectors.handled_figures(
        unit_ids=units, start=date(2025, 1, 1), end=date(2025, 1, 31)
    )
    assert january == {cast.unit_a.pk: (2, 3), cast.unit_b.pk: (1, 1)}
    assert (
        selectors.handled_figures(unit_ids=units, start=date(2026, 1, 1), end=date(2026, 1, 31))
        == {}
    )


def test_monthly_rows_by_month_and_unit(cast: Any, year_2025: Any) -> None:
    rows = selectors.monthly(cast.district_officer, 2025)
    table = [
        (r.month, r.unit.code if r.unit else "*", r.detected, r.handled, r.median_hours)
        for r in rows
    ]
    assert table == [
        (1, "*", 4, 3, 15.0),  # responses in 10 h and 20 h; the dismissal is no response
        (1, "PX-A", 3, 2, 10.0),
        (1, "PX-B", 1, 1, 20.0),
        (2, "*", 1, 1, 30.0),
        (2, "PX-A", 1, 1, 30.0),
    ]
    assert rows[0].share == 0.75 and rows[0].met is False
    assert rows[3].share == 1.0 and rows[3].met is True
    assert [(r.month, r.detected) for r in selectors.monthly(cast.officer_b, 2025)] == [
        (1, 1),
        (1, 1),
    ]
    month = selectors.month_figures(cast.district_officer, year=2025, month=1)
    assert (month.detected, month.handled, month.median_hours) == (4, 3, 15.0)
    assert selectors.month_figures(cast.officer_a, year=2025, month=3).share is None
