"""Writes of the plan: stored figures (recomputed from live data, or imported from the paper
years), plans and their targets.

`refresh_figures(period=…)` recomputes each unit's own row of every indicator, a batch of
units at a time (each indicator answers a batch in a few grouped queries), and upserts them.
A row imported for a period that is already closed is kept: live data (which may be thin for
the years before the platform) never overwrites it, unless an officer asks for it
(`replace_imported=True`). Roll-ups are not stored: they are sums over these rows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from congdoan.audit.services import audit_record
from congdoan.orgs.models import Level, Unit, UnitKind, UnitPeriod
from congdoan.plan import indicators
from congdoan.plan.indicators import UnitRef
from congdoan.plan.models import IndicatorFigure, Plan, Source, Target
from congdoan.plan.periods import Period, current_period, is_closed, year_to_month

BATCH = 2000


def units_of_period(period: Period) -> list[int]:
    """Ids of the units that existed at some time in the period (as the tree records it)."""
    return sorted(
        set(
            UnitPeriod.objects.filter(valid_from__lte=period.end)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=period.start))
            .values_list("unit_id", flat=True)
        )
    )


def upper_level_id() -> int | None:
    """The level directly above grassroots: the non-grassroots level with the highest rank."""
    return (
        Level.objects.filter(is_grassroots=False)
        .order_by("-rank")
        .values_list("pk", flat=True)
        .first()
    )


def unit_refs(unit_ids: Collection[int]) -> list[UnitRef]:
    upper = upper_level_id()
    rows = Unit.objects.filter(pk__in=list(unit_ids)).values_list(
        "pk", "kind", "level__is_grassroots", "level_id"
    )
    return [
        UnitRef(id=pk, kind=kind, is_grassroots=grassroots, is_upper=level_id == upper)
        for pk, kind, grassroots, level_id in rows
    ]


def _batches(ids: Sequence[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), BATCH):
        yield list(ids[i : i + BATCH])


@dataclass(frozen=True)
class RefreshResult:
    written: int
    kept_imported: int
    missing: dict[str, str]  # indicator code → why it has no data source


def _store(
    *,
    code: str,
    period: Period,
    figures: dict[int, tuple[int, int | None]],
    batch: list[int],
    protect_imported: bool,
) -> tuple[int, int]:
    existing = dict(
        IndicatorFigure.objects.filter(
            indicator=code, period=period.code, unit_id__in=batch
        ).values_list("unit_id", "source")
    )
    kept = {
        uid for uid, source in existing.items() if protect_imported and source == Source.IMPORTED
    }
    now = timezone.now()
    rows = [
        IndicatorFigure(
            indicator=code,
            unit_id=uid,
            period=period.code,
            numerator=num,
            denominator=den,
            source=Source.LIVE,
            computed_at=now,
        )
        for uid, (num, den) in figures.items()
        if uid not in kept
    ]
    IndicatorFigure.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["indicator", "unit", "period"],
        update_fields=["numerator", "denominator", "source", "computed_at"],
        batch_size=1000,
    )
    gone = [uid for uid, source in existing.items() if uid not in figures and uid not in kept]
    if gone:
        IndicatorFigure.objects.filter(
            indicator=code, period=period.code, unit_id__in=gone, source=Source.LIVE
        ).delete()
    return len(rows), len(kept & set(figures))


def refresh_figures(
    *,
    period: Period,
    unit_ids: Collection[int] | None = None,
    replace_imported: bool = False,
    today: date | None = None,
) -> int:
    """Recompute the stored per-unit rows of every indicator for `period`; the rows written."""
    return refresh(
        period=period, unit_ids=unit_ids, replace_imported=replace_imported, today=today
    ).written


def refresh(
    *,
    period: Period,
    unit_ids: Collection[int] | None = None,
    replace_imported: bool = False,
    today: date | None = None,
    codes: Collection[str] | None = None,
) -> RefreshResult:
    today = today or timezone.localdate()
    ids = sorted(set(unit_ids)) if unit_ids is not None else units_of_period(period)
    protect = is_closed(period, today) and not replace_imported
    written = kept = 0
    missing: dict[str, str] = {}
    for batch in _batches(ids):
        refs = unit_refs(batch)
        for indicator in indicators.all_indicators():
            if codes is not None and indicator.code not in codes:
                continue
            result = indicator.compute(period, refs)
            if result.missing:
                missing[indicator.code] = result.missing
                continue
            with transaction.atomic():
                w, k = _store(
                    code=indicator.code,
                    period=period,
                    figures=result.figures,
                    batch=batch,
                    protect_imported=protect,
                )
            written += w
            kept += k
    return RefreshResult(written=written, kept_imported=kept, missing=missing)


def refresh_trend(
    *, year: int, unit_ids: Collection[int] | None = None, today: date | None = None
) -> int:
    """The year-to-date points of `year`'s trend, one per month up to today's (past months of a
    past year all twelve); the rows written."""
    today = today or timezone.localdate()
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    return sum(
        refresh_figures(period=year_to_month(year, m), unit_ids=unit_ids, today=today)
        for m in range(1, last + 1)
    )


def refresh_current() -> str:
    """The periodic job: the current half-year and year, and this month's point of the trend."""
    today = timezone.localdate()
    written = 0
    for kind in ("half", "year"):
        written += refresh_figures(period=current_period(kind, today), today=today)
    written += refresh_figures(period=year_to_month(today.year, today.month), today=today)
    return f"{written} figures"


# -- figures imported from the paper years ----------------------------------------------------


def figure_import(
    *,
    indicator: str,
    unit: Unit,
    period: Period,
    numerator: int,
    denominator: int | None,
    actor: Any,
) -> IndicatorFigure | None:
    """Store one imported figure (it replaces an earlier one); None when the same value is
    already stored as imported (the same file imported twice)."""
    existing = IndicatorFigure.objects.filter(
        indicator=indicator, unit=unit, period=period.code
    ).first()
    if (
        existing is not None
        and existing.source == Source.IMPORTED
        and (existing.numerator, existing.denominator) == (numerator, denominator)
    ):
        return None
    figure, _created = IndicatorFigure.objects.update_or_create(
        indicator=indicator,
        unit=unit,
        period=period.code,
        defaults={
            "numerator": numerator,
            "denominator": denominator,
            "source": Source.IMPORTED,
            "computed_at": timezone.now(),
            "imported_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    return figure


@transaction.atomic
def figures_replace_imported(
    *, actor: Any, unit: Unit, period: Period, unit_ids: Collection[int]
) -> int:
    """An officer chooses live data over the imported figures of a closed period for these
    units (their subtree): the imported rows are recomputed from live data."""
    written = refresh(period=period, unit_ids=unit_ids, replace_imported=True).written
    audit_record(
        actor=actor,
        action="plan.figures.replace_imported",
        target=unit,
        changes={"period": period.code, "units": len(unit_ids), "written": written},
    )
    return written


# -- plans and targets ------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    year_from: int,
    year_to: int,
    number: str = "",
    document_id: int | None = None,
) -> Plan:
    plan = Plan.objects.create(
        unit=unit,
        title=title,
        number=number,
        year_from=year_from,
        year_to=year_to,
        document_id=document_id,
    )
    audit_record(
        actor=actor,
        action="plan.plan.create",
        target=plan,
        changes={"title": title, "years": f"{year_from}–{year_to}"},
    )
    return plan


@transaction.atomic
def target_set(
    *,
    actor: Any,
    plan: Plan,
    indicator: str,
    value: Decimal | int | str,
    year: int | None = None,
    level: Level | None = None,
    unit_kinds: Sequence[str] = (),
    is_priority: bool = False,
    note: str = "",
) -> Target:
    if indicators.get(indicator) is None:
        raise ValueError(f"unknown indicator {indicator}")
    unknown = [k for k in unit_kinds if k not in UnitKind.values]
    if unknown:
        raise ValueError(f"unknown unit kinds {unknown}")
    target, _created = Target.objects.update_or_create(
        plan=plan,
        indicator=indicator,
        year=year,
        level=level,
        defaults={
            "value": Decimal(str(value)),
            "unit_kinds": list(unit_kinds),
            "is_priority": is_priority,
            "note": note,
        },
    )
    audit_record(
        actor=actor,
        action="plan.target.set",
        target=plan,
        unit=plan.unit,
        changes={"indicator": indicator, "value": str(target.value), "year": year},
    )
    return target
