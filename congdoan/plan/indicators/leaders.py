"""Leaders trained in communication skills (by 2028: 70 % at the level directly above
grassroots, 50 % at grassroots, non-state enterprises first).

The leaders of a unit are the people holding a leader position (`Position.is_leader`) there on
the period's last day; a leader counts as trained after attending any training session from
the first year of the plan in force (or the period's start when no plan covers it) to the
period's last day (`activities.selectors.trained_member_ids`). A leader recorded by name only,
with no member record, cannot show attendance and counts as not trained.

Three indicators, one per group the plan names, each computed only for the units of its group.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _lazy

from congdoan.orgs.models import Appointment, UnitKind
from congdoan.orgs.scoping import in_force_q
from congdoan.plan.indicators.base import (
    PERCENT,
    Compute,
    Evidence,
    Indicator,
    Result,
    UnitRef,
    load,
    missing_paths,
    missing_source,
    register,
)
from congdoan.plan.models import Plan
from congdoan.plan.periods import Period

TRAINED_PATH = "congdoan.activities.selectors.trained_member_ids"
NON_STATE_KINDS = (UnitKind.NON_STATE_ENTERPRISE, UnitKind.FDI_ENTERPRISE)


def training_since(period: Period) -> date:
    first = (
        Plan.objects.filter(year_from__lte=period.year, year_to__gte=period.year)
        .order_by("year_from")
        .values_list("year_from", flat=True)
        .first()
    )
    return date(first, 1, 1) if first else period.start


def leaders_of(unit_ids: Collection[int], day: date) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        in_force_q(day), unit_id__in=list(unit_ids), position__is_leader=True
    )


def _compute(period: Period, units: Sequence[UnitRef]) -> Result:
    trained_fn = load(TRAINED_PATH)
    if trained_fn is None:
        return Result(missing=missing_source(_("danh sách dự lớp tập huấn")))
    ids = [u.id for u in units]
    if not ids:
        return Result()
    trained = trained_fn(start=training_since(period), end=period.end)
    rows = (
        leaders_of(ids, period.end)
        .values("unit_id")
        .annotate(
            linked=Count("member_id", distinct=True),
            unlinked=Count("pk", filter=Q(member__isnull=True)),
            trained=Count("member_id", distinct=True, filter=Q(member_id__in=trained)),
        )
    )
    return Result(
        figures={r["unit_id"]: (r["trained"], r["linked"] + r["unlinked"]) for r in rows.order_by()}
    )


def _evidence(period: Period, unit_ids: Collection[int]) -> Evidence:
    trained_fn = load(TRAINED_PATH)
    leaders = leaders_of(unit_ids, period.end).order_by("unit__sort_key", "position__rank", "pk")
    if trained_fn is None:
        return Evidence([], [], missing_source(_("danh sách dự lớp tập huấn")))
    trained = trained_fn(start=training_since(period), end=period.end)
    rows = leaders.filter(member_id__in=trained).values_list(
        "full_name", "position__name", "unit__name"
    )
    return Evidence([_("Cán bộ"), _("Chức danh"), _("Đơn vị")], rows)


def _group(keep: str) -> Compute:
    def compute(period: Period, units: Sequence[UnitRef]) -> Result:
        if keep == "upper":
            chosen = [u for u in units if u.is_upper]
        elif keep == "grassroots":
            chosen = [u for u in units if u.is_grassroots]
        else:
            chosen = [u for u in units if u.is_grassroots and u.kind in NON_STATE_KINDS]
        return _compute(period, chosen)

    return compute


register(
    Indicator(
        code="leaders_trained_upper",
        name=gettext_lazy("Cán bộ chủ chốt công đoàn cấp trên trực tiếp cơ sở được tập huấn"),
        kind=PERCENT,
        unit_label="%",
        compute=_group("upper"),
        order=20,
        evidence=_evidence,
        stock=True,
        missing=missing_paths([TRAINED_PATH], _lazy("danh sách dự lớp tập huấn")),
    )
)
register(
    Indicator(
        code="leaders_trained_grassroots",
        name=gettext_lazy("Cán bộ chủ chốt công đoàn cơ sở được tập huấn"),
        kind=PERCENT,
        unit_label="%",
        compute=_group("grassroots"),
        order=21,
        evidence=_evidence,
        stock=True,
        missing=missing_paths([TRAINED_PATH], _lazy("danh sách dự lớp tập huấn")),
    )
)
register(
    Indicator(
        code="leaders_trained_non_state",
        name=gettext_lazy(
            "Cán bộ chủ chốt công đoàn cơ sở doanh nghiệp ngoài nhà nước được tập huấn (ưu tiên)"
        ),
        kind=PERCENT,
        unit_label="%",
        compute=_group("non_state"),
        order=22,
        evidence=_evidence,
        stock=True,
        missing=missing_paths([TRAINED_PATH], _lazy("danh sách dự lớp tập huấn")),
    )
)
