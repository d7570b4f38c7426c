"""How far the products went, for officers, scoped to the units they manage:

- the plan's digital share indicator's chart (`published_by_month`, beside
  selectors.digital_share);
- per product (`product_reach`, the studio's product page) and summed over a year
  (`reach_summary`, /noi-dung/tiep-can/): website views (view_counts.py: no cookie, no address
  kept), the e-bulletin's mails that carried it, opened, and clicked (bulletin_tracking.py), and
  each channel post's figures as Facebook, YouTube and Zalo OA report them with the time they
  were read. Those come from `congdoan.publishing` (its periodic job reads them), which content
  cannot import: publishing registers a source with `register_channel_figures` (the dependency
  turned round, as content.hooks does).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from congdoan.content import rules
from congdoan.content.bulletin_tracking import MailFigures, product_mail_stats
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


# --- a product's reach, and the reach page's table ---------------------------------------------

FIGURE_NAMES = ("reach", "views", "reactions", "comments", "shares", "clicks")


@dataclass
class ProductReach:
    """Everything known of how far one product went: website views, the e-bulletin's mails,
    and each channel post's figures (with the time they were read)."""

    product: Product
    website_views: int
    mail: MailFigures
    channels: list[ChannelFigures]

    def channel_total(self, name: str) -> int | None:
        """One figure summed over the channels that report it (None: none does)."""
        values = [getattr(c, name) for c in self.channels if getattr(c, name) is not None]
        return sum(values) if values else None

    @property
    def totals(self) -> dict[str, int | None]:
        return {name: self.channel_total(name) for name in FIGURE_NAMES}


def can_see_reach(viewer: Viewer, product: Product) -> bool:
    """The figures are for the officers of the units that made the product (and above)."""
    return Product.objects.filter(rules.managed_q(scope_for(viewer)), pk=product.pk).exists()


def _reaches(viewer: Viewer, products: Sequence[Product]) -> list[ProductReach]:
    ids = [p.pk for p in products]
    mails = product_mail_stats(ids)
    channels: dict[int, list[ChannelFigures]] = {pk: [] for pk in ids}
    for figures in channel_figures(viewer, ids):
        channels.setdefault(figures.product_id, []).append(figures)
    return [
        ProductReach(
            product=p,
            website_views=p.view_count,
            mail=mails.get(p.pk, MailFigures()),
            channels=channels.get(p.pk, []),
        )
        for p in products
    ]


def product_reach(*, viewer: Viewer, product: Product) -> ProductReach | None:
    """The product's reach for the studio's product page; None for whoever may not see it."""
    if not can_see_reach(viewer, product):
        return None
    return _reaches(viewer, [product])[0]


def product_panel(viewer: Viewer, product: Product) -> dict[str, object] | None:
    """The context of the product page's reach panel (content/_reach.html)."""
    found = product_reach(viewer=viewer, product=product)
    return None if found is None else {"reach": found}


@dataclass
class ReachSummary:
    year: int
    rows: list[ProductReach]
    shown: int  # rows listed (the most recent first)
    count: int  # products published in the year
    website_views: int
    mail: MailFigures
    totals: dict[str, int | None]


def reach_summary(*, viewer: Viewer, year: int, limit: int = 200) -> ReachSummary:
    """Per product published in `year` by the units the viewer manages: its reach, newest
    first (at most `limit` rows), and the sums over all of them."""
    products = list(
        Product.objects.filter(rules.managed_q(scope_for(viewer)), published_at__year=year)
        .select_related("unit")
        .only("pk", "title", "published_at", "view_count", "unit__name", "unit__code")
        .order_by("-published_at", "-pk")
    )
    rows = _reaches(viewer, products)
    mail = MailFigures()
    for row in rows:
        mail.sent += row.mail.sent
        mail.opened += row.mail.opened
        mail.clickers += row.mail.clickers
        mail.clicks += row.mail.clicks
    totals: dict[str, int | None] = {}
    for name in FIGURE_NAMES:
        values = [v for v in (row.channel_total(name) for row in rows) if v is not None]
        totals[name] = sum(values) if values else None
    return ReachSummary(
        year=year,
        rows=rows[:limit],
        shown=min(limit, len(rows)),
        count=len(rows),
        website_views=sum(row.website_views for row in rows),
        mail=mail,
        totals=totals,
    )
