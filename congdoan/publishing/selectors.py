"""Reads of publishing, each scoped to the viewer (`congdoan.orgs.scoping`)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from congdoan.content.models import Product
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer, scope_for, unit_q, units_in_scope
from congdoan.publishing.models import (
    USABLE_STATUSES,
    ChannelAccount,
    ChannelChoice,
    Publication,
    PublicationStatus,
)
from congdoan.publishing.publications import OUTBOX_CHANNEL


def accounts(*, viewer: Viewer, unit: Unit | None = None) -> QuerySet[ChannelAccount]:
    rows = ChannelAccount.objects.filter(unit_q(scope_for(viewer))).select_related("unit")
    if unit is not None:
        rows = rows.filter(unit=unit)
    return rows.order_by("unit__path", "kind", "display_name", "pk")


def account_get(*, viewer: Viewer, account_id: int) -> ChannelAccount:
    return get_object_or_404(accounts(viewer=viewer), pk=account_id)


def units_for_channels(*, viewer: Viewer) -> QuerySet[Unit]:
    return units_in_scope(viewer).filter(is_active=True).order_by("path")


def product_get(*, viewer: Viewer, product_id: int) -> Product:
    rows = Product.objects.filter(unit_q(scope_for(viewer))).select_related("unit")
    return get_object_or_404(rows, pk=product_id)


def publishable_accounts(*, product: Product) -> QuerySet[ChannelAccount]:
    """The product's unit's accounts that can take a post (connected or about to expire)."""
    return ChannelAccount.objects.filter(
        unit_id=product.unit_id,
        kind__in=list(OUTBOX_CHANNEL),
        status__in=USABLE_STATUSES,
    ).order_by("kind", "display_name", "pk")


def chosen_account_ids(*, product: Product) -> set[int]:
    return set(ChannelChoice.objects.filter(product=product).values_list("account_id", flat=True))


def publications(
    *, viewer: Viewer, status: str = "", product: Product | None = None
) -> QuerySet[Publication]:
    rows = Publication.objects.filter(unit_q(scope_for(viewer))).select_related(
        "product", "unit", "account", "message"
    )
    if status in PublicationStatus.values:
        rows = rows.filter(status=status)
    if product is not None:
        rows = rows.filter(product=product)
    return rows.order_by("-created_at", "-id")


def publication_get(*, viewer: Viewer, publication_id: int) -> Publication:
    return get_object_or_404(publications(viewer=viewer), pk=publication_id)
