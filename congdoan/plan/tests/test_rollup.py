"""figures_for: stored per-unit rows summed over the subtree as it was in the period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from congdoan.orgs import services as org_services
from congdoan.orgs.models import UnitPeriod
from congdoan.orgs.selectors import subtree_ids_at
from congdoan.orgs.tests.factories import CastFactory
from congdoan.plan import selectors, services
from congdoan.plan.indicators.base import FIGURE_SOURCES
from congdoan.plan.models import IndicatorFigure, Source
from congdoan.plan.periods import parse_period
from congdoan.plan.tree import Trees


def store(
    unit_id: int, period: str, code: str, n: int | None, d: int | None, source: str = Source.LIVE
) -> None:
    IndicatorFigure.objects.create(
        indicator=code, unit_id=unit_id, period=period, numerator=n, denominator=d, source=source
    )


def row(unit: object, period: str, code: str) -> selectors.FigureRow:
    found = selectors.figure_for(unit=unit, period=parse_period(period), code=code)  # type: ignore[arg-type]
    assert found is not None
    return found


def test_the_district_sums_its_units_rows(cast: CastFactory) -> None:
    store(cast.unit_a.pk, "2025", "members_reached", 90, 100)
    store(cast.unit_b.pk, "2025", "members_reached", 30, 50)
    store(cast.other_district.pk, "2025", "members_reached", 1, 1000)
    r = row(cast.district, "2025", "members_reached")
    assert (r.numerator, r.denominator, r.value) == (120, 150, Decimal("80.0"))
    assert r.source == "live"
    assert row(cast.unit_b, "2025", "members_reached").value == Decimal("60.0")


def test_no_stored_row_is_no_data_and_zero_is_zero(cast: CastFactory) -> None:
    store(cast.unit_a.pk, "2025", "digital_share", 0, 12)
    assert row(cast.district, "2025", "digital_share").value == Decimal("0.0")
    empty = row(cast.district, "2025", "documents_digitised")
    assert empty.value is None and empty.numerator is None and empty.met is None
    # a unit with nothing to count (0 of 0) is no data too, not 0 %
    store(cast.unit_b.pk, "2025", "documents_digitised", 0, 0)
    assert row(cast.district, "2025", "documents_digitised").value is None


def test_an_indicator_without_a_source_says_why(cast: CastFactory, monkeypatch: Any) -> None:
    # Every indicator has its source now: take monitoring's away, as a site without it has.
    monkeypatch.delitem(FIGURE_SOURCES, "false_info_handled", raising=False)
    r = row(cast.district, "2026", "false_info_handled")
    assert r.value is None
    assert "Chưa có nguồn dữ liệu" in r.note


def test_imported_and_live_rows_together_are_mixed(cast: CastFactory) -> None:
    store(cast.unit_a.pk, "2024", "members_reached", 9, 10, Source.IMPORTED)
    store(cast.unit_b.pk, "2024", "members_reached", 1, 10)
    assert row(cast.district, "2024", "members_reached").source == "mixed"
    assert row(cast.unit_a, "2024", "members_reached").source == "imported"


def test_a_unit_moved_away_stays_in_the_old_periods_figures(cast: CastFactory) -> None:
    org_services.unit_move(
        actor=None, unit=cast.unit_b, new_parent=cast.other_district, on_date=date(2026, 1, 1)
    )
    for period in ("2025", "2026"):
        store(cast.unit_a.pk, period, "members_reached", 10, 10)
        store(cast.unit_b.pk, period, "members_reached", 0, 10)
    assert row(cast.district, "2025", "members_reached").value == Decimal("50.0")
    assert row(cast.district, "2026", "members_reached").value == Decimal("100.0")
    assert row(cast.other_district, "2025", "members_reached").value is None
    assert row(cast.other_district, "2026", "members_reached").value == Decimal("0.0")


def test_a_merged_unit_counts_where_it_belonged_until_it_was_dissolved(cast: CastFactory) -> None:
    UnitPeriod.objects.filter(unit=cast.unit_b, valid_to__isnull=True).update(
        valid_to=date(2025, 7, 1)
    )
    store(cast.unit_a.pk, "2025H1", "members_reached", 10, 10)
    store(cast.unit_b.pk, "2025H1", "members_reached", 0, 10)
    store(cast.unit_a.pk, "2025H2", "members_reached", 10, 10)
    store(cast.unit_b.pk, "2025H2", "members_reached", 0, 10)  # a stale row: B was gone
    assert row(cast.district, "2025H1", "members_reached").value == Decimal("50.0")
    assert row(cast.district, "2025H2", "members_reached").value == Decimal("100.0")


def test_targets_come_from_the_plan_above_and_say_whether_they_are_met(cast: CastFactory) -> None:
    plan = services.plan_create(
        actor=None, unit=cast.district, title="Kế hoạch 2023–2028", year_from=2023, year_to=2028
    )
    services.target_set(actor=None, plan=plan, indicator="members_reached", value=90)
    services.target_set(actor=None, plan=plan, indicator="digital_share", value=50, year=2028)
    services.target_set(actor=None, plan=plan, indicator="digital_share", value=30, year=2025)
    store(cast.unit_a.pk, "2025", "members_reached", 95, 100)
    store(cast.unit_a.pk, "2025", "digital_share", 4, 10)
    store(cast.unit_a.pk, "2026", "digital_share", 4, 10)
    reached = row(cast.unit_a, "2025", "members_reached")
    assert (reached.target, reached.met) == (Decimal(90), True)
    assert row(cast.unit_a, "2025", "digital_share").target == Decimal(30)
    later = row(cast.unit_a, "2026", "digital_share")
    assert (later.target, later.met) == (Decimal(50), False)
    assert row(cast.other_district, "2025", "members_reached").target is None
    assert row(cast.unit_a, "2030", "members_reached").target is None


def test_count_indicators_are_counts_against_their_target(cast: CastFactory) -> None:
    plan = services.plan_create(
        actor=None, unit=cast.district, title="KH", year_from=2023, year_to=2028
    )
    services.target_set(actor=None, plan=plan, indicator="orientation_documents", value=2)
    store(cast.district.pk, "2025", "orientation_documents", 1, None)
    r = row(cast.district, "2025", "orientation_documents")
    assert (r.value, r.met, r.unit_label) == (Decimal(1), False, "văn bản")


def test_indicator_codes_list_every_indicator_in_order() -> None:
    codes = selectors.indicator_codes()
    assert codes[0] == "members_reached"
    assert {
        "leaders_trained_upper",
        "leaders_trained_grassroots",
        "leaders_trained_non_state",
        "digital_share",
        "documents_digitised",
        "false_info_handled",
        "fanpage_active",
        "orientation_documents",
        "direct_activities",
    } <= set(codes)


def test_the_trees_read_the_tree_as_orgs_does(cast: CastFactory) -> None:
    org_services.unit_move(
        actor=None, unit=cast.unit_b, new_parent=cast.other_district, on_date=date(2026, 1, 1)
    )
    trees = Trees()
    for day in (date(2025, 12, 31), date(2026, 1, 1), date(2019, 1, 1)):
        for unit in (cast.city, cast.district, cast.other_district, cast.unit_b):
            assert trees.subtree(unit.pk, day) == subtree_ids_at(unit=unit, on_date=day)
    assert set(trees.child_groups(cast.district.pk, date(2025, 6, 1))) == {
        cast.unit_a.pk,
        cast.unit_b.pk,
    }


def test_history_follows_the_tree_of_each_year(cast: CastFactory) -> None:
    org_services.unit_move(
        actor=None, unit=cast.unit_b, new_parent=cast.other_district, on_date=date(2025, 1, 1)
    )
    for year in ("2024", "2025"):
        store(cast.unit_a.pk, year, "members_reached", 9, 10)
        store(cast.unit_b.pk, year, "members_reached", 1, 10)
    store(cast.unit_a.pk, "2023", "orientation_documents", 2, None)
    past = selectors.history(unit=cast.district, years=[2023, 2024, 2025])
    assert past["members_reached"] == {2023: None, 2024: Decimal("50.0"), 2025: Decimal("90.0")}
    assert past["orientation_documents"][2023] == Decimal(2)
    other = selectors.history(unit=cast.other_district, years=[2024, 2025])
    assert other["members_reached"] == {2024: None, 2025: Decimal("10.0")}
