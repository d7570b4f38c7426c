"""What an indicator is, and the registries of indicators and of reach evidence.

An `Indicator` computes, for one `Period` and a batch of units, each unit's OWN figure
(numerator, denominator) in a few grouped queries; the caller stores the rows and rolls them up
the tree. A unit with nothing to count gets no row, and an indicator whose data source does not
exist on this installation answers `Result(missing=reason)`: both show as "chưa có dữ liệu",
never as 0 %.

Sources that live in other apps are named by dotted path (`import_string` at compute time), so
an app that comes later (contests, surveys, monitoring) plugs in by registering its function,
and an app not installed is reported as missing instead of breaking the import.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from congdoan.plan.periods import Period

PERCENT = "percent"
COUNT = "count"


@dataclass(frozen=True)
class UnitRef:
    """What an indicator needs to know of a unit: who it is, its level and kind."""

    id: int
    kind: str
    is_grassroots: bool
    is_upper: bool  # at the level directly above grassroots


@dataclass
class Result:
    figures: dict[int, tuple[int, int | None]] = field(default_factory=dict)
    missing: str | None = None  # why there is no data source at all


@dataclass(frozen=True)
class Evidence:
    """What was counted for a drill-down: column headings and rows (a sliceable sequence, a
    QuerySet of tuples as a rule, paginated by the page)."""

    columns: list[str]
    rows: Sequence[tuple[Any, ...]] | QuerySet[Any]
    note: str = ""


Compute = Callable[[Period, Sequence[UnitRef]], Result]
EvidenceFn = Callable[[Period, Collection[int]], Evidence]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str | Promise
    kind: str  # PERCENT: numerator ÷ denominator; COUNT: the numerator itself
    unit_label: str | Promise
    compute: Compute
    order: int = 50
    description: str | Promise = ""
    evidence: EvidenceFn | None = None
    # True when the figure counts what is there on the period's last day (documents held,
    # leaders in office), not what happened during it: the month snapshot is then recomputed.
    stock: bool = False
    # Why the indicator has no data source on this installation (None: it has one); asked
    # when no stored row answers, so that "no data" says why.
    missing: Callable[[], str | None] | None = None

    def missing_reason(self) -> str | None:
        return self.missing() if self.missing is not None else None


_INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    _INDICATORS[indicator.code] = indicator
    return indicator


def all_indicators() -> list[Indicator]:
    return sorted(_INDICATORS.values(), key=lambda i: (i.order, i.code))


def get(code: str) -> Indicator | None:
    return _INDICATORS.get(code)


def indicator_codes() -> list[str]:
    return [i.code for i in all_indicators()]


# -- sources named by dotted path ------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    code: str
    label: str | Promise
    path: str  # "congdoan.activities.selectors.attended_member_ids"
    # May the drill-down name the members this source counts? Attending an activity, yes;
    # reading a product or having a concern answered, no (counted, never shown per person).
    listable: bool = False


def load(path: str) -> Callable[..., Any] | None:
    """The function at `path`, or None when its app (or the function) is not there."""
    try:
        found = import_string(path)
    except ImportError:
        return None
    return found if callable(found) else None


# Evidence that a member was reached: each a function (*, start, end, unit_ids=None) returning
# the ids of members with that evidence in [start, end] (a flat values_list QuerySet).
REACH_SOURCES: dict[str, Source] = {}


def register_reach_source(
    code: str, label: str | Promise, path: str, *, listable: bool = False
) -> None:
    """Contests, surveys, bulletins… add their evidence of reach here (in their ready());
    `listable` when the evidence may be shown per person on the drill-down."""
    REACH_SOURCES[code] = Source(code, label, path, listable)


# Indicators whose whole data source is another app's: the function (*, unit_ids, start, end)
# → {unit_id: (numerator, denominator)}. Monitoring (issue 18) registers "false_info".
FIGURE_SOURCES: dict[str, Source] = {}


def register_figure_source(indicator_code: str, label: str | Promise, path: str) -> None:
    FIGURE_SOURCES[indicator_code] = Source(indicator_code, label, path)


def missing_paths(paths: Sequence[str], what: str | Promise) -> Callable[[], str | None]:
    """A `missing` check: the reason when none of `paths` loads."""

    def check() -> str | None:
        return None if any(load(p) is not None for p in paths) else missing_source(what)

    return check


def missing_source(what: str | Promise) -> str:
    return _("Chưa có nguồn dữ liệu: %(what)s.") % {"what": what}
