"""Reads of the plan: the figures of a unit for a period (rolled up over its subtree as the
tree was then), the plan's targets, the trend, the units that pull a figure down, and the
evidence behind a figure.

Every figure here is a sum of stored per-unit rows (`IndicatorFigure`): a page never counts
members. The reports app reads `figures_for` and `indicator_codes`; the dashboard reads the
viewer-scoped functions at the end.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer, scope_for, units_in_scope
from congdoan.orgs.selectors import subtree_ids_at
from congdoan.plan import indicators
from congdoan.plan.indicators import COUNT, PERCENT, Evidence, Indicator
from congdoan.plan.models import IndicatorFigure, Plan, Source, Target
from congdoan.plan.periods import Period, parse_period, year_to_month
from congdoan.plan.tree import Trees

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class FigureRow:
    code: str
    name: str
    unit_label: str  # "%", "văn bản" …
    numerator: int | None  # None = no data (never shown as 0 %)
    denominator: int | None
    value: Decimal | None  # percent or count
    target: Decimal | None
    met: bool | None
    source: str  # "live" | "imported" | "mixed" ("" when no data)
    kind: str = PERCENT
    note: str = ""  # why there is no data, when there is none
    is_priority: bool = False

    @property
    def has_data(self) -> bool:
        return self.value is not None


def indicator_codes() -> list[str]:
    return indicators.indicator_codes()


def value_of(kind: str, numerator: int | None, denominator: int | None) -> Decimal | None:
    if numerator is None:
        return None
    if kind == COUNT:
        return Decimal(numerator)
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(TENTH, rounding=ROUND_HALF_UP)


def _met(value: Decimal | None, target: Decimal | None) -> bool | None:
    if value is None or target is None:
        return None
    return value >= target


# -- targets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetInfo:
    value: Decimal
    is_priority: bool
    year: int | None
    for_upper: bool = False  # set for a level above grassroots (a district's duty, say)


def targets_for(*, unit: Unit, year: int) -> dict[str, TargetInfo]:
    """Indicator code → the target in force for `unit` in `year`: from the plans of the unit or
    the units above it (the nearest first) covering the year; a target of that very year before
    one for every year, before the nearest later year ("50 % by 2028")."""
    ancestors = unit.ancestor_ids() or [unit.pk]
    nearness = {uid: -i for i, uid in enumerate(ancestors)}
    rows = Target.objects.filter(
        plan__unit_id__in=ancestors, plan__year_from__lte=year, plan__year_to__gte=year
    ).values_list(
        "indicator", "value", "year", "is_priority", "plan__unit_id", "level__is_grassroots"
    )
    best: dict[str, tuple[tuple[int, int, int], TargetInfo]] = {}
    for code, value, t_year, priority, plan_unit, level_grassroots in rows:
        if t_year is not None and t_year < year:
            continue
        closeness = 0 if t_year == year else (1 if t_year is None else 2 + t_year - year)
        rank = (nearness[plan_unit], closeness, 0)
        if code not in best or rank < best[code][0]:
            best[code] = (rank, TargetInfo(value, priority, t_year, level_grassroots is False))
    return {code: info for code, (_rank, info) in best.items()}


def plans_for(*, unit: Unit) -> list[Plan]:
    """The plans issued by the unit or the units above it."""
    return list(
        Plan.objects.filter(unit_id__in=unit.ancestor_ids() or [unit.pk])
        .select_related("unit")
        .prefetch_related("targets")
    )


# -- roll-ups ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sums:
    numerator: int | None
    denominator: int | None
    source: str


def _sums(period_code: str, unit_ids: Collection[int]) -> dict[str, Sums]:
    """Indicator → the sums of the stored rows of these units, in one aggregate query."""
    if not unit_ids:
        return {}
    rows = (
        IndicatorFigure.objects.filter(period=period_code, unit_id__in=list(unit_ids))
        .values("indicator")
        .annotate(
            n=Sum("numerator"),
            d=Sum("denominator"),
            rows=Count("pk"),
            imported=Count("pk", filter=Q(source=Source.IMPORTED)),
        )
        .order_by()
    )
    out: dict[str, Sums] = {}
    for r in rows:
        source = (
            Source.IMPORTED.value
            if r["imported"] == r["rows"]
            else (Source.LIVE.value if r["imported"] == 0 else "mixed")
        )
        out[r["indicator"]] = Sums(r["n"], r["d"], source)
    return out


def _row(
    indicator: Indicator, sums: Sums | None, target: TargetInfo | None, *, with_note: bool
) -> FigureRow:
    numerator = sums.numerator if sums else None
    denominator = sums.denominator if sums else None
    value = value_of(indicator.kind, numerator, denominator)
    note = ""
    if value is None and with_note:
        note = indicator.missing_reason() or ""
    return FigureRow(
        code=indicator.code,
        name=str(indicator.name),
        unit_label=str(indicator.unit_label),
        numerator=numerator,
        denominator=denominator,
        value=value,
        target=target.value if target else None,
        met=_met(value, target.value if target else None),
        source=sums.source if sums and value is not None else "",
        kind=indicator.kind,
        note=note,
        is_priority=bool(target and target.is_priority),
    )


def figures_for(*, unit: Unit, period: Period, trees: Trees | None = None) -> list[FigureRow]:
    """Every indicator for `unit`'s subtree as it was on the period's last day: the sums of the
    stored per-unit rows (one aggregate query), with the target in force and whether it is met.
    An indicator with no stored row has no data (value None, and the reason when its source is
    missing), never 0 %. A grassroots union is not shown the indicators whose target is set for
    a level above it (the district's own trained leaders and orientation documents): it has no
    figure for them, ever."""
    ids = (trees or Trees()).subtree(unit.pk, period.end)
    sums = _sums(period.code, ids)
    targets = targets_for(unit=unit, year=period.year)
    grassroots = unit.level.is_grassroots
    return [
        _row(ind, sums.get(ind.code), targets.get(ind.code), with_note=True)
        for ind in indicators.all_indicators()
        if not (grassroots and ind.code in targets and targets[ind.code].for_upper)
    ]


def figure_for(*, unit: Unit, period: Period, code: str) -> FigureRow | None:
    return next((r for r in figures_for(unit=unit, period=period) if r.code == code), None)


# -- trend ------------------------------------------------------------------------------------


def trend(
    *,
    unit: Unit,
    year: int,
    today: date | None = None,
    codes: Collection[str] | None = None,
) -> dict[str, list[Decimal | None]]:
    """Indicator (those in `codes`, or all) → its value for the year to the end of each month,
    January up to the current month (all twelve for a past year), over the subtree as it was
    at the year's end (one aggregate query for every indicator and month)."""
    today = today or timezone.localdate()
    chosen = [i for i in indicators.all_indicators() if codes is None or i.code in codes]
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    months = [year_to_month(year, m) for m in range(1, last + 1)]
    if not months:
        return {ind.code: [] for ind in chosen}
    ids = Trees().subtree(unit.pk, months[-1].end)
    rows = (
        IndicatorFigure.objects.filter(
            period__in=[m.code for m in months],
            unit_id__in=list(ids),
            indicator__in=[i.code for i in chosen],
        )
        .values("indicator", "period")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by()
    )
    got = {(r["indicator"], r["period"]): (r["n"], r["d"]) for r in rows}
    return {
        ind.code: [value_of(ind.kind, *got.get((ind.code, m.code), (None, None))) for m in months]
        for ind in chosen
    }


def history(
    *, unit: Unit, years: Iterable[int], trees: Trees | None = None
) -> dict[str, dict[int, Decimal | None]]:
    """Indicator → year → its value for the whole year (imported or live), the subtree as it
    was at each year's end. Two aggregate queries whatever the number of years: one over the
    units under `unit` every one of those years, one per unit over the few that came or went."""
    trees = trees or Trees()
    members = {year: trees.subtree(unit.pk, date(year, 12, 31)) for year in years}
    out: dict[str, dict[int, Decimal | None]] = {
        ind.code: dict.fromkeys(members) for ind in indicators.all_indicators()
    }
    if not any(members.values()):
        return out
    every = set.intersection(*members.values())
    some = set.union(*members.values()) - every
    acc: dict[tuple[str, str], list[int | None]] = {}

    def add(period: str, code: str, n: int | None, d: int | None) -> None:
        slot = acc.setdefault((period, code), [None, None])
        if n is not None:
            slot[0] = (slot[0] or 0) + n
        if d is not None:
            slot[1] = (slot[1] or 0) + d

    codes = [str(y) for y in members]
    base = IndicatorFigure.objects.filter(period__in=codes)
    if every:
        for r in (
            base.filter(unit_id__in=list(every))
            .values("period", "indicator")
            .annotate(n=Sum("numerator"), d=Sum("denominator"))
            .order_by()
        ):
            add(r["period"], r["indicator"], r["n"], r["d"])
    if some:
        for period, uid, code, n, d in base.filter(unit_id__in=list(some)).values_list(
            "period", "unit_id", "indicator", "numerator", "denominator"
        ):
            if uid in members[int(period)]:
                add(period, code, n, d)
    for ind in indicators.all_indicators():
        for year in members:
            got = acc.get((str(year), ind.code))
            out[ind.code][year] = value_of(ind.kind, got[0], got[1]) if got else None
    return out


# -- the units that pull a figure down --------------------------------------------------------


@dataclass(frozen=True)
class Laggard:
    unit: Unit
    row: FigureRow
    shortfall: Decimal  # members (units, documents…) missing to reach the target


def laggards(
    *,
    unit: Unit,
    period: Period,
    viewer: Viewer = None,
    scoped: bool = False,
    trees: Trees | None = None,
) -> dict[str, list[Laggard]]:
    """Indicator → the units directly under `unit` (as the tree was) that miss its target,
    the largest shortfall first (with `scoped`, only those in the viewer's scope today). One
    query for every stored row of the subtree."""
    groups = (trees or Trees()).child_groups(unit.pk, period.end)
    if scoped:
        visible = visible_unit_ids(viewer=viewer, unit_ids=list(groups))
        groups = {c: ids for c, ids in groups.items() if c in visible}
    owner = {uid: child for child, ids in groups.items() for uid in ids}
    if not owner:
        return {}
    sums: dict[tuple[int, str], list[int | None]] = {}
    rows = IndicatorFigure.objects.filter(period=period.code, unit_id__in=list(owner)).values_list(
        "unit_id", "indicator", "numerator", "denominator"
    )
    for uid, code, num, den in rows:
        key = (owner[uid], code)
        acc = sums.setdefault(key, [None, None])
        if num is not None:
            acc[0] = (acc[0] or 0) + num
        if den is not None:
            acc[1] = (acc[1] or 0) + den
    targets = targets_for(unit=unit, year=period.year)
    units = Unit.objects.in_bulk(list(groups))
    out: dict[str, list[Laggard]] = {}
    for ind in indicators.all_indicators():
        target = targets.get(ind.code)
        if target is None:
            continue
        found: list[Laggard] = []
        for child in groups:
            n, d = sums.get((child, ind.code), [None, None])
            if n is None:
                continue
            row = _row(ind, Sums(n, d, ""), target, with_note=False)
            if row.met is not False:
                continue
            missing = (
                target.value * Decimal(d or 0) / 100 - n
                if ind.kind == PERCENT
                else target.value - n
            )
            found.append(Laggard(units[child], row, missing.quantize(Decimal(1))))
        found.sort(key=lambda lag: (-lag.shortfall, lag.unit.sort_key))
        out[ind.code] = found
    return out


# -- for the viewer ---------------------------------------------------------------------------


def dashboard_units(*, viewer: Viewer) -> list[Unit]:
    """The units an officer may pick on the dashboard: their scope's top units first, then
    the units above grassroots under them."""
    scope = scope_for(viewer)
    if not scope.is_officer:
        return []
    return list(
        units_in_scope(viewer)
        .filter(Q(level__is_grassroots=False) | Q(pk__in=scope.unit_ids))
        .order_by("depth", "sort_key")[:200]
    )


def visible_unit_ids(*, viewer: Viewer, unit_ids: Collection[int]) -> set[int]:
    """Of these units, those in the viewer's scope today (a unit moved away since keeps its
    place in the old figures, but its people are no longer the viewer's to list)."""
    return set(units_in_scope(viewer).filter(pk__in=list(unit_ids)).values_list("pk", flat=True))


def subtree_at(*, unit: Unit, period: Period) -> set[int]:
    return subtree_ids_at(unit=unit, on_date=period.end)


def evidence_for(*, viewer: Viewer, unit: Unit, period: Period, code: str) -> Evidence | None:
    """What was counted for `code` in `unit`'s subtree (as it was), kept to the units in the
    viewer's scope; None for an indicator without a drill-down."""
    indicator = indicators.get(code)
    if indicator is None or indicator.evidence is None:
        return None
    ids = visible_unit_ids(viewer=viewer, unit_ids=subtree_ids_at(unit=unit, on_date=period.end))
    return indicator.evidence(period, ids)


@dataclass(frozen=True)
class HomeSummary:
    unit: Unit
    period: Period
    met: int
    with_target: int
    behind: list[FigureRow]  # targets not met, the farthest first


def home_summary(*, viewer: Viewer, today: date | None = None) -> HomeSummary | None:
    """The plan's figures of this year for the officer's home page: for an officer of a
    district (the level directly above grassroots) or of a grassroots union; None above that
    (a city's roll-up belongs on the dashboard, not on every visit of the home page)."""
    scope = scope_for(viewer)
    if not scope.is_officer or scope.is_admin or not scope.unit_ids:
        return None
    unit = (
        Unit.objects.filter(pk__in=scope.unit_ids, is_active=True)
        .select_related("level")
        .order_by("depth", "sort_key")
        .first()
    )
    if unit is None:
        return None
    upper_rank = (
        Unit.objects.filter(level__is_grassroots=False)
        .order_by("-level__rank")
        .values_list("level__rank", flat=True)
        .first()
    )
    if not unit.level.is_grassroots and unit.level.rank != upper_rank:
        return None
    period = parse_period(str((today or timezone.localdate()).year))
    rows = figures_for(unit=unit, period=period)
    judged = [r for r in rows if r.met is not None]
    behind = sorted(
        (r for r in judged if r.met is False and r.kind == PERCENT),
        key=lambda r: (r.value or 0) - (r.target or 0),
    )
    return HomeSummary(
        unit=unit,
        period=period,
        met=sum(1 for r in judged if r.met),
        with_target=len(judged),
        behind=behind[:3],
    )
