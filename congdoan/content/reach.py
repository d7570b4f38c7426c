"""Reach figures for officers beside the plan's digital share indicator (selectors.digital_share):
the products their units published month by month, digital and all, for the chart."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from congdoan.content import rules
from congdoan.content.models import Product
from congdoan.orgs.scoping import Viewer, scope_for


def published_by_month(*, viewer: Viewer, year: int) -> tuple[list[int], list[int]]:
    """Twelve counts each: digital products and all products published per month of `year`
    by the units the viewer manages (the same rows as the indicator)."""
    rows = (
        Product.objects.filter(rules.managed_q(scope_for(viewer)), published_at__year=year)
        .annotate(month=ExtractMonth("published_at"))
        .values("month")
        .annotate(total=Count("pk"), digital=Count("pk", filter=Q(is_digital=True)))
        .order_by()
    )
    digital, total = [0] * 12, [0] * 12
    for row in rows:
        digital[row["month"] - 1] = row["digital"]
        total[row["month"] - 1] = row["total"]
    return digital, total
