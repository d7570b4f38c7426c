from __future__ import annotations

from datetime import date

import pytest

from congdoan.plan.periods import (
    Period,
    PeriodError,
    current_period,
    is_closed,
    parse_period,
    periods_of_year,
    previous_period,
    year_to_month,
)


def test_half_year_codes_parse_to_their_six_months() -> None:
    h1 = parse_period("2026H1")
    assert (h1.kind, h1.year, h1.start, h1.end) == (
        "half",
        2026,
        date(2026, 1, 1),
        date(2026, 6, 30),
    )
    h2 = parse_period("2026h2")
    assert (h2.code, h2.start, h2.end) == ("2026H2", date(2026, 7, 1), date(2026, 12, 31))


def test_a_year_code_parses_to_the_whole_year() -> None:
    year = parse_period(" 2025 ")
    assert year == Period("2025", "year", 2025, date(2025, 1, 1), date(2025, 12, 31))


def test_labels_are_vietnamese() -> None:
    assert parse_period("2026H1").label() == "6 tháng đầu năm 2026"
    assert parse_period("2026H2").label() == "6 tháng cuối năm 2026"
    assert parse_period("2026").label() == "năm 2026"


@pytest.mark.parametrize("code", ["2026H3", "2026Q1", "", "26", "abc", "2026-H1", "0226", "2026H0"])
def test_a_period_that_does_not_exist_is_refused_with_a_clear_message(code: str) -> None:
    with pytest.raises(PeriodError) as error:
        parse_period(code)
    assert "không tồn tại" in str(error.value)
    assert isinstance(error.value, ValueError)


def test_contains_includes_both_ends() -> None:
    h1 = parse_period("2026H1")
    assert h1.contains(date(2026, 1, 1)) and h1.contains(date(2026, 6, 30))
    assert not h1.contains(date(2026, 7, 1)) and not h1.contains(date(2025, 12, 31))


def test_periods_of_year_are_the_two_halves_then_the_year() -> None:
    assert [p.code for p in periods_of_year(2024)] == ["2024H1", "2024H2", "2024"]


def test_current_period_follows_the_day() -> None:
    assert current_period("half", date(2026, 6, 30)).code == "2026H1"
    assert current_period("half", date(2026, 7, 1)).code == "2026H2"
    assert current_period("year", date(2026, 7, 1)).code == "2026"
    with pytest.raises(PeriodError):
        current_period("month", date(2026, 7, 1))


def test_previous_period_steps_back_one_of_the_same_kind() -> None:
    assert previous_period(parse_period("2026H1")).code == "2025H2"
    assert previous_period(parse_period("2026H2")).code == "2026H1"
    assert previous_period(parse_period("2026")).code == "2025"


def test_a_period_is_closed_after_its_last_day() -> None:
    h1 = parse_period("2026H1")
    assert not is_closed(h1, date(2026, 6, 30))
    assert is_closed(h1, date(2026, 7, 1))


def test_year_to_month_runs_from_january_to_the_months_last_day() -> None:
    feb = year_to_month(2024, 2)
    assert (feb.code, feb.start, feb.end) == ("2024-02", date(2024, 1, 1), date(2024, 2, 29))
    assert year_to_month(2026, 12).end == date(2026, 12, 31)
    assert year_to_month(2026, 3).label() == "năm 2026, đến hết tháng 3"
    with pytest.raises(PeriodError):
        year_to_month(2026, 13)
