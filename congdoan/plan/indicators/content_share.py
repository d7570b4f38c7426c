"""Digital products as a share of all communication products (50 % by 2028).

content.selectors.digital_share answers for a viewer's units and a whole year; the plan needs
every unit, per half-year too, so this counts `content.models.Product` with the same rule
(published in the period, archived ones included: they were published). To move into a
`content.selectors` function taking unit ids when content next changes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.content.models import Product
from congdoan.plan.indicators.base import PERCENT, Evidence, Indicator, Result, UnitRef, register
from congdoan.plan.periods import Period
from congdoan.plan.timing import day_end, day_start


def _published(unit_ids: Collection[int], period: Period) -> Q:
    return Q(
        unit_id__in=list(unit_ids),
        published_at__gte=day_start(period.start),
        published_at__lt=day_end(period.end),
    )


def compute(period: Period, units: Sequence[UnitRef]) -> Result:
    rows = (
        Product.objects.filter(_published([u.id for u in units], period))
        .values("unit_id")
        .annotate(total=Count("pk"), digital=Count("pk", filter=Q(is_digital=True)))
        .order_by()
    )
    return Result(figures={r["unit_id"]: (r["digital"], r["total"]) for r in rows})


def evidence(period: Period, unit_ids: Collection[int]) -> Evidence:
    rows = (
        Product.objects.filter(_published(unit_ids, period))
        .order_by("-published_at", "-pk")
        .values_list("title", "is_digital", "published_at", "unit__name")
    )
    return Evidence([_("Sản phẩm"), _("Sản phẩm số"), _("Đăng lúc"), _("Đơn vị")], rows)


register(
    Indicator(
        code="digital_share",
        name=gettext_lazy("Tỷ lệ sản phẩm truyền thông trên nền tảng số"),
        kind=PERCENT,
        unit_label="%",
        compute=compute,
        order=30,
        description=gettext_lazy("Sản phẩm số đăng trong kỳ ÷ tất cả sản phẩm đăng trong kỳ."),
        evidence=evidence,
    )
)
