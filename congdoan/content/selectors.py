"""Reads of communication products, each through the rules of congdoan.content.rules.

- officers: `product_list` (the products of the units they manage), `product_get_for_viewer`
  (404 outside what they may see), `versions`, `comments`, `shared_library` (what other units
  share, found without diacritics), `digital_share` (the plan's indicator);
- the public site: `public_products`, `public_product` (published and public only, of units
  still active: `public_site_q`, which the e-bulletin's digest uses too);
- `themes`: the seven themes, in the plan's order;
- the plan's reports (issue 15): `reader_member_ids` (members who read policy or news
  products in a window: ids only, never shown per person on a page), and
  `bulletin_ack_member_ids` (members who acknowledged an e-bulletin issue, likewise).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from congdoan.content import rules
from congdoan.content.models import (
    Product,
    ProductComment,
    ProductKind,
    ProductRead,
    ProductStatus,
    ProductVersion,
    Theme,
)
from congdoan.content.models_bulletin import BulletinAck
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer, scope_for
from congdoan.text import fold

#: The plan's target for the digital share: half of all products digital by 2028.
DIGITAL_SHARE_TARGET = 0.5
DIGITAL_SHARE_TARGET_YEAR = 2028


def _base() -> QuerySet[Product]:
    return Product.objects.select_related("unit", "author", "cover").prefetch_related("themes")


def _matching(products: QuerySet[Product], q: str) -> QuerySet[Product]:
    """Each word of `q`, folded (no diacritics, lower case), in the folded text."""
    for word in fold(q or "").split():
        products = products.filter(search_text__contains=word)
    return products


def _theme_q(theme: Theme | str | None) -> Q:
    if theme is None or theme == "":
        return Q()
    if isinstance(theme, Theme):
        return Q(themes=theme)
    return Q(themes__code=theme)


def themes() -> QuerySet[Theme]:
    return Theme.objects.all()


def product_list(
    *,
    viewer: Viewer,
    status: str | None = None,
    unit: Unit | None = None,
    kind: str | None = None,
    theme: Theme | str | None = None,
    q: str = "",
) -> QuerySet[Product]:
    """The products of the units the viewer manages (every state), newest change first."""
    products = _base().filter(rules.managed_q(scope_for(viewer)))
    if status:
        products = products.filter(status=status)
    if unit is not None:
        products = products.filter(unit__path__startswith=unit.path)
    if kind:
        products = products.filter(kind=kind)
    products = _matching(products.filter(_theme_q(theme)), q)
    return products.distinct().order_by("-updated_at", "-pk")


def awaiting_approval(*, viewer: Viewer) -> list[Product]:
    """Submitted products this viewer may approve (the approver's to-do list)."""
    submitted = _base().filter(rules.managed_q(scope_for(viewer)), status=ProductStatus.SUBMITTED)
    return [p for p in submitted.order_by("updated_at") if rules.can_approve(viewer, p)]


def product_get_for_viewer(*, viewer: Viewer, pk: int) -> Product:
    """The product if the viewer may see it; 404 otherwise (no hint that it exists)."""
    product = (
        _base().filter(rules.visible_q(scope_for(viewer)), pk=pk).select_related("source").first()
    )
    if product is None:
        raise Http404
    return product


def product_editable(*, viewer: Viewer, pk: int) -> Product | None:
    """The product when the viewer may edit it (`rules.can_edit`), else None: what another
    app asks before it writes about a product (legal's cited articles), so content's rule is
    the one that decides."""
    product = _base().filter(pk=pk).first()
    if product is None or not rules.can_edit(viewer, product):
        return None
    return product


def versions(*, viewer: Viewer, product: Product) -> QuerySet[ProductVersion]:
    """The product's versions, oldest first; only for those who manage its unit."""
    if not rules.can_see_versions(viewer, product):
        return ProductVersion.objects.none()
    return product.versions.select_related("created_by").order_by("number")


def comments(*, viewer: Viewer, product: Product) -> QuerySet[ProductComment]:
    """What the author's side and the approvers said, oldest first."""
    if not rules.can_comment(viewer, product):
        return ProductComment.objects.none()
    return product.comments.select_related("author").order_by("created_at", "pk")


def shared_library(
    *,
    viewer: Viewer,
    q: str = "",
    theme: Theme | str | None = None,
    kind: str | None = None,
    unit: Unit | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Product]:
    """Published products shared beyond their unit that the viewer may reuse, newest first.

    `q` matches without diacritics ("cham lo" finds "chăm lo"); `unit` keeps the products of
    that unit and the units below it; the dates bound the day of publication."""
    products = _base().filter(rules.library_q(scope_for(viewer)))
    if kind:
        products = products.filter(kind=kind)
    if unit is not None:
        products = products.filter(unit__path__startswith=unit.path)
    if date_from is not None:
        products = products.filter(published_at__date__gte=date_from)
    if date_to is not None:
        products = products.filter(published_at__date__lte=date_to)
    products = _matching(products.filter(_theme_q(theme)), q)
    return products.distinct().order_by("-published_at", "-pk")


def public_site_q() -> Q:
    """What the public site shows: published products shared with the public
    (`rules.public_q`) of units still active: a dissolved or merged unit's products leave the
    lists, feeds, sitemap and pages with it (its news page answers 404 already)."""
    return rules.public_q() & Q(unit__is_active=True)


def public_products(
    *, unit: Unit | None = None, theme: Theme | str | None = None, limit: int | None = 20
) -> QuerySet[Product]:
    """What the public site lists: published public products of active units, newest first;
    `unit` keeps that unit's and its subtree's."""
    products = _base().filter(public_site_q()).filter(_theme_q(theme))
    if unit is not None:
        products = products.filter(unit__path__startswith=unit.path)
    if theme:  # only the themes' join can repeat a product
        products = products.distinct()
    products = products.order_by("-published_at", "-pk")
    return products[:limit] if limit is not None else products


def public_headlines(*, limit: int) -> list[Product]:
    """The latest public news as a list of links (the home page): title, address, unit's name
    and date only; not the text, the photo, the author or the themes."""
    return list(
        Product.objects.filter(public_site_q())
        .select_related("unit")
        .only("id", "slug", "title", "published_at", "unit__id", "unit__code", "unit__name")
        .order_by("-published_at", "-pk")[:limit]
    )


def public_product(*, unit_code: str, slug: str) -> Product:
    """One public product by its address; 404 when it is not (or no longer) public."""
    product = (
        _base()
        .filter(public_site_q(), unit__code=unit_code, slug=slug)
        .defer("search_text")  # the folded copy of the text, for the studio's search only
        .first()
    )
    if product is None:
        raise Http404
    return product


@dataclass(frozen=True)
class ShareRow:
    """Digital and all products published in the year by one unit (its own, not its subtree's)."""

    unit: Unit
    digital: int
    total: int

    @property
    def share(self) -> float | None:
        return self.digital / self.total if self.total else None

    @property
    def meets_target(self) -> bool:
        return self.share is not None and self.share >= DIGITAL_SHARE_TARGET


@dataclass(frozen=True)
class DigitalShare:
    year: int
    digital: int
    total: int
    rows: list[ShareRow] = field(default_factory=list)
    target: float = DIGITAL_SHARE_TARGET
    target_year: int = DIGITAL_SHARE_TARGET_YEAR

    @property
    def share(self) -> float | None:
        return self.digital / self.total if self.total else None

    @property
    def meets_target(self) -> bool:
        return self.share is not None and self.share >= self.target


def digital_share(*, viewer: Viewer, year: int) -> DigitalShare:
    """The plan's indicator: digital products ÷ all products published in `year` (archived
    ones count: they were published), per unit the viewer manages and overall."""
    counted = Product.objects.filter(rules.managed_q(scope_for(viewer)), published_at__year=year)
    per_unit = (
        counted.values("unit")
        .annotate(total=Count("pk"), digital=Count("pk", filter=Q(is_digital=True)))
        .order_by()
    )
    figures = {row["unit"]: (row["digital"], row["total"]) for row in per_unit}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=figures).order_by("path")}
    rows = [
        ShareRow(unit=unit, digital=figures[pk][0], total=figures[pk][1])
        for pk, unit in units.items()
    ]
    return DigitalShare(
        year=year,
        digital=sum(r.digital for r in rows),
        total=sum(r.total for r in rows),
        rows=rows,
    )


#: What "a member was reached" counts: reading a news item or a policy explainer.
READ_KINDS: tuple[str, ...] = (ProductKind.NEWS, ProductKind.EXPLAINER)


def reader_member_ids(
    *,
    start: date,
    end: date,
    unit_ids: Iterable[int] | None = None,
    kinds: Iterable[str] = READ_KINDS,
) -> QuerySet[ProductRead, int]:
    """The distinct ids of the members who first read a policy or news product (READ_KINDS)
    between `start` and `end` (both included) on the public site while signed in; with
    `unit_ids`, only members of those units (the members' own units, not their subtrees).

    For the plan's aggregates (issue 15: members reached), not for a page: who read what is
    never shown per person (docs/decisions/0001-content-foundation.md). A read counts on the
    day of the member's first read of that product; reading it again later adds nothing."""
    reads = ProductRead.objects.filter(
        first_read_on__gte=start, first_read_on__lte=end, product__kind__in=list(kinds)
    )
    if unit_ids is not None:
        reads = reads.filter(member__unit_id__in=list(unit_ids))
    return reads.order_by().values_list("member_id", flat=True).distinct()


def bulletin_ack_member_ids(
    *, start: date, end: date, unit_ids: Iterable[int] | None = None
) -> QuerySet[BulletinAck, int]:
    """The distinct ids of the members who acknowledged an e-bulletin issue ("Tôi đã đọc bản
    tin này") between `start` and `end` (both included, local dates); with `unit_ids`, only
    members of those units (their own units, not subtrees). For the plan's aggregates (issue
    15: members reached), never shown per person, like `reader_member_ids`."""
    tz = timezone.get_current_timezone()
    acks = BulletinAck.objects.filter(
        acknowledged_at__gte=datetime.combine(start, time.min, tzinfo=tz),
        acknowledged_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )
    if unit_ids is not None:
        acks = acks.filter(member__unit_id__in=list(unit_ids))
    return acks.order_by().values_list("member_id", flat=True).distinct()
