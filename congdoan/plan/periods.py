"""Reporting periods: a half-year ("2026H1", "2026H2") or a year ("2026").

The plan stores its figures per period code, reports are made per period, and both parse the
code an officer types or a URL carries through `parse_period`, which refuses a period that does
not exist with a sentence an officer can read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

KINDS = ("half", "year")
FIRST_YEAR = 1990  # no union figure on this platform is older; a typo like "0226" is refused
LAST_YEAR = 2100

_CODE = re.compile(r"^\s*(\d{4})\s*(?:([Hh])\s*([12]))?\s*$")


class PeriodError(ValueError):
    """A period code that does not name a period; str() is the message for the officer."""


@dataclass(frozen=True)
class Period:
    code: str  # "2026H1", "2026H2", "2026"
    kind: str  # "half" | "year" (and "ytd": a year to the end of a month, for trends)
    year: int
    start: date  # first day included
    end: date  # last day included

    def label(self) -> str:
        if self.kind == "year":
            return _("năm %(year)s") % {"year": self.year}
        if self.kind == "ytd":
            return _("năm %(year)s, đến hết tháng %(month)s") % {
                "year": self.year,
                "month": self.end.month,
            }
        if self.start.month == 1:
            return _("6 tháng đầu năm %(year)s") % {"year": self.year}
        return _("6 tháng cuối năm %(year)s") % {"year": self.year}

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def half(self) -> int | None:
        """1 or 2 for a half-year, None for a year."""
        if self.kind != "half":
            return None
        return 1 if self.start.month == 1 else 2

    def __str__(self) -> str:
        return self.code


def _year(year: int) -> Period:
    return Period(str(year), "year", year, date(year, 1, 1), date(year, 12, 31))


def _half(year: int, half: int) -> Period:
    if half == 1:
        return Period(f"{year}H1", "half", year, date(year, 1, 1), date(year, 6, 30))
    return Period(f"{year}H2", "half", year, date(year, 7, 1), date(year, 12, 31))


def parse_period(code: str) -> Period:
    """ "2026H1", "2026h2" or "2026" → the Period; anything else raises PeriodError."""
    match = _CODE.match(code or "")
    if match is None:
        raise PeriodError(
            _(
                "Kỳ “%(code)s” không tồn tại. Ghi năm (ví dụ 2026) hoặc nửa năm "
                "(2026H1 là 6 tháng đầu năm, 2026H2 là 6 tháng cuối năm)."
            )
            % {"code": code}
        )
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            _("Kỳ “%(code)s” không tồn tại: năm phải từ %(first)s đến %(last)s.")
            % {"code": code, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if match.group(3) is None:
        return _year(year)
    return _half(year, int(match.group(3)))


def periods_of_year(year: int) -> list[Period]:
    """H1, H2 and the year itself, in that order."""
    return [_half(year, 1), _half(year, 2), _year(year)]


def current_period(kind: str, today: date) -> Period:
    """The half-year or the year that contains `today`."""
    if kind == "year":
        return _year(today.year)
    if kind == "half":
        return _half(today.year, 1 if today.month <= 6 else 2)
    raise PeriodError(
        _("Loại kỳ “%(kind)s” không tồn tại (chỉ có half hoặc year).") % {"kind": kind}
    )


def year_to_month(year: int, month: int) -> Period:
    """The year from 1 January to the end of `month` (code "2026-03"): one point of a trend."""
    if not 1 <= month <= 12:
        raise PeriodError(_("Tháng %(month)s không tồn tại.") % {"month": month})
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return Period(f"{year}-{month:02d}", "ytd", year, date(year, 1, 1), last)


def previous_period(period: Period) -> Period:
    """The period of the same kind just before `period`."""
    if period.kind == "year":
        return _year(period.year - 1)
    if period.half == 2:
        return _half(period.year, 1)
    return _half(period.year - 1, 2)


def is_closed(period: Period, today: date) -> bool:
    """A period is closed once its last day is past."""
    return period.end < today
