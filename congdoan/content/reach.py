"""Reach figures for officers beside the plan's digital share indicator (selectors.digital_share):
the products their units published month by month, digital and all, for the chart."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from congdoan.content import rules
from congdoan.content.models import Product
from congdoan.orgs.scoping import Viewer, scope_for

logger = logging.getLogger("congdoan.content.reach")


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


# --- what the channels report (filled by publishing, which content cannot import) ----------


@dataclass(frozen=True)
class ChannelFigures:
    """One post of a product on one channel account, with the figures the platform reported
    (None: that platform does not report it, or it was never read)."""

    product_id: int
    channel: str  # the channel's name in words ("Trang Facebook")
    account: str
    url: str
    fetched_at: datetime | None
    reach: int | None = None
    views: int | None = None
    reactions: int | None = None
    comments: int | None = None
    shares: int | None = None
    clicks: int | None = None
    error: str = ""
    gone: bool = False


# (viewer, product ids the viewer may see) → their channel figures.
ChannelSource = Callable[[Viewer, Sequence[int]], list[ChannelFigures]]
_CHANNEL_SOURCES: list[ChannelSource] = []


def register_channel_figures(source: ChannelSource) -> None:
    """Publishing registers here, from its AppConfig.ready(), what it read from the platforms."""
    if source not in _CHANNEL_SOURCES:
        _CHANNEL_SOURCES.append(source)


def channel_figures(viewer: Viewer, product_ids: Sequence[int]) -> list[ChannelFigures]:
    found: list[ChannelFigures] = []
    for source in _CHANNEL_SOURCES:
        try:
            found += source(viewer, product_ids)
        except Exception:  # the page is drawn without them, and the failure logged
            logger.exception("reach: channel figures source %r failed", source)
    return found
