from __future__ import annotations

from datetime import date, datetime

import pytest

from congdoan.orgs import services as orgs_services
from congdoan.orgs.tests import factories
from congdoan.plan.periods import parse_period
from congdoan.reports import services
from congdoan.reports.consolidation import consolidate
from congdoan.reports.models import Report
from congdoan.reports.tests.conftest import concern_on

pytestmark = pytest.mark.django_db

Y2025 = parse_period("2025")
H1 = parse_period("2026H1")


def _figure(result, key):
    return result.totals[key]["value"] if key in result.totals else 0


def test_the_district_sums_its_units_submitted_reports_and_names_the_missing(cast):
    concern_on(cast.unit_a, datetime(2025, 5, 1, 9))
    concern_on(cast.unit_a, datetime(2025, 9, 1, 9))
    concern_on(cast.unit_b, datetime(2025, 10, 1, 9))
    services.report_submit(actor=cast.officer_a, unit=cast.unit_a, period=Y2025)
    result = consolidate(unit=cast.district, period=Y2025)
    assert [c.unit.code for c in result.children] == ["PX-B", "PX-A"]  # Điện tử before May
    assert [c.unit.code for c in result.missing] == ["PX-B"]
    assert _figure(result, "feedback.received") == 2  # B has not submitted: not counted
    services.report_submit(actor=cast.officer_b, unit=cast.unit_b, period=Y2025)
    result = consolidate(unit=cast.district, period=Y2025)
    assert result.missing == []
    assert _figure(result, "feedback.received") == 3


def test_the_city_sums_its_districts_reports(cast):
    concern_on(cast.unit_a, datetime(2025, 5, 1, 9))
    services.report_submit(actor=cast.district_officer, unit=cast.district, period=Y2025)
    result = consolidate(unit=cast.city, period=Y2025)
    assert {c.unit.code for c in result.children} == {"PX", "TT"}
    assert [c.unit.code for c in result.missing] == ["TT"]
    assert _figure(result, "feedback.received") == 1


def test_a_unit_moved_later_stays_in_its_old_districts_report(cast):
    concern_on(cast.unit_b, datetime(2025, 11, 1, 9))
    services.report_submit(actor=cast.officer_b, unit=cast.unit_b, period=Y2025)
    orgs_services.unit_move(
        actor=None, unit=cast.unit_b, new_parent=cast.other_district, on_date=date(2026, 3, 1)
    )
    old = consolidate(unit=cast.district, period=Y2025)
    assert "PX-B" in [c.unit.code for c in old.counted]
    assert _figure(old, "feedback.received") == 1
    assert "PX-B" not in [
        c.unit.code for c in consolidate(unit=cast.other_district, period=Y2025).children
    ]
    # in 2026H1 it belongs to the other district
    assert "PX-B" in [
        c.unit.code for c in consolidate(unit=cast.other_district, period=H1).children
    ]
    assert "PX-B" not in [c.unit.code for c in consolidate(unit=cast.district, period=H1).children]


def test_a_merged_units_figures_stay_in_the_periods_before_the_merger(cast):
    old = factories.unit(cast.district, code="PX-C", name="Công đoàn Công ty Gạch C")
    officer_c = factories.officer(old, name="Chủ tịch CĐ C")
    concern_on(old, datetime(2025, 6, 1, 9))
    services.report_submit(actor=officer_c, unit=old, period=Y2025)
    snapshot_before = Report.objects.get(unit=old).snapshot
    orgs_services.unit_merge(actor=None, source=old, target=cast.unit_a, on_date=date(2026, 2, 1))
    result = consolidate(unit=cast.district, period=Y2025)
    assert "PX-C" in [c.unit.code for c in result.counted]
    assert _figure(result, "feedback.received") == 1
    assert Report.objects.get(unit=old).snapshot == snapshot_before  # frozen through the merger
    assert "PX-C" not in [c.unit.code for c in consolidate(unit=cast.district, period=H1).children]
