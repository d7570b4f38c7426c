"""What officers see of the channels' figures: one `ChannelFigures` per published post of the
products asked for, scoped to the units the viewer's place in the tree lets them see."""

from __future__ import annotations

from collections.abc import Sequence

from congdoan.content.reach import ChannelFigures
from congdoan.orgs.scoping import Viewer, scope_for, unit_q
from congdoan.publishing.models import ChannelKind, Publication, PublicationStatus
from congdoan.publishing.models_metrics import PublicationMetrics


def channel_figures(viewer: Viewer, product_ids: Sequence[int]) -> list[ChannelFigures]:
    rows = (
        Publication.objects.filter(
            unit_q(scope_for(viewer)),
            product_id__in=list(product_ids),
            status=PublicationStatus.PUBLISHED,
        )
        .select_related("metrics")
        .order_by("product_id", "kind", "account_name", "pk")
    )
    found = []
    for publication in rows:
        try:
            metrics: PublicationMetrics | None = publication.metrics
        except PublicationMetrics.DoesNotExist:
            metrics = None
        found.append(
            ChannelFigures(
                product_id=publication.product_id,
                channel=str(ChannelKind(publication.kind).label),
                account=publication.account_name,
                url=publication.remote_url,
                fetched_at=metrics.fetched_at if metrics else None,
                reach=metrics.reach if metrics else None,
                views=metrics.views if metrics else None,
                reactions=metrics.reactions if metrics else None,
                comments=metrics.comments if metrics else None,
                shares=metrics.shares if metrics else None,
                clicks=metrics.clicks if metrics else None,
                error=metrics.error if metrics else "",
                gone=metrics.gone if metrics else False,
            )
        )
    return found
