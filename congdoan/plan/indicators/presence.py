"""Two figures from the activities app, each a share of units:

- units whose fanpage is kept up (100 %): `activities.selectors.presence_by_unit` on the
  period's last day (or today while the period runs): registered and not silent;
- units that held at least two direct communication activities in the year (one in a
  half-year): `activities.selectors.direct_activity_counts`.

Each unit's own row is 1/1 (it meets it) or 0/1, so a roll-up reads "k of n units".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.orgs.models import Unit
from congdoan.plan.indicators.base import (
    PERCENT,
    Evidence,
    Indicator,
    Result,
    UnitRef,
    load,
    missing_paths,
    missing_source,
    register,
)
from congdoan.plan.periods import Period

PRESENCE_PATH = "congdoan.activities.selectors.presence_by_unit"
COUNTS_PATH = "congdoan.activities.selectors.direct_activity_counts"
ACTIVITIES_A_YEAR = 2


def required_activities(period: Period) -> int:
    return ACTIVITIES_A_YEAR if period.kind == "year" else max(1, ACTIVITIES_A_YEAR // 2)


def fanpage(period: Period, units: Sequence[UnitRef]) -> Result:
    presence = load(PRESENCE_PATH)
    if presence is None:
        return Result(missing=missing_source(_("trang fanpage của đơn vị")))
    as_of = min(period.end, timezone.localdate())
    states = presence(unit_ids=[u.id for u in units], as_of=as_of)
    return Result(
        figures={uid: (1 if state.active_fanpage else 0, 1) for uid, state in states.items()}
    )


def fanpage_evidence(period: Period, unit_ids: Collection[int]) -> Evidence:
    presence = load(PRESENCE_PATH)
    if presence is None:
        return Evidence([], [], missing_source(_("trang fanpage của đơn vị")))
    states = presence(unit_ids=list(unit_ids), as_of=min(period.end, timezone.localdate()))
    names = dict(Unit.objects.filter(pk__in=list(unit_ids)).values_list("pk", "name"))
    rows = sorted(
        (
            names.get(uid, ""),
            _("Có") if s.has_fanpage else _("Chưa có"),
            s.last_post_on,
            s.posts_last_7_days,
            _("Đạt") if s.active_fanpage else _("Chưa đạt"),
        )
        for uid, s in states.items()
    )
    return Evidence(
        [_("Đơn vị"), _("Fanpage"), _("Bài gần nhất"), _("Bài trong 7 ngày"), _("Kết quả")], rows
    )


def activities(period: Period, units: Sequence[UnitRef]) -> Result:
    counts_fn = load(COUNTS_PATH)
    if counts_fn is None:
        return Result(missing=missing_source(_("hoạt động truyền thông trực tiếp")))
    need = required_activities(period)
    counts = counts_fn(unit_ids=[u.id for u in units], start=period.start, end=period.end)
    return Result(figures={uid: (1 if n >= need else 0, 1) for uid, n in counts.items()})


def activities_evidence(period: Period, unit_ids: Collection[int]) -> Evidence:
    counts_fn = load(COUNTS_PATH)
    if counts_fn is None:
        return Evidence([], [], missing_source(_("hoạt động truyền thông trực tiếp")))
    need = required_activities(period)
    counts = counts_fn(unit_ids=list(unit_ids), start=period.start, end=period.end)
    names = dict(Unit.objects.filter(pk__in=list(unit_ids)).values_list("pk", "name"))
    rows = sorted(
        (names.get(uid, ""), n, _("Đạt") if n >= need else _("Chưa đạt"))
        for uid, n in counts.items()
    )
    return Evidence([_("Đơn vị"), _("Số hoạt động"), _("Kết quả")], rows)


register(
    Indicator(
        code="fanpage_active",
        name=gettext_lazy("Đơn vị duy trì fanpage thường xuyên"),
        kind=PERCENT,
        unit_label="%",
        compute=fanpage,
        order=60,
        evidence=fanpage_evidence,
        missing=missing_paths([PRESENCE_PATH], gettext_lazy("trang fanpage của đơn vị")),
        stock=True,
    )
)
register(
    Indicator(
        code="direct_activities",
        name=gettext_lazy("Đơn vị tổ chức ít nhất 2 hoạt động truyền thông trực tiếp trong năm"),
        kind=PERCENT,
        unit_label="%",
        compute=activities,
        order=80,
        description=gettext_lazy("Trong 6 tháng: ít nhất 1 hoạt động."),
        evidence=activities_evidence,
        missing=missing_paths([COUNTS_PATH], gettext_lazy("hoạt động truyền thông trực tiếp")),
    )
)
