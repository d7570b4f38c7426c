"""What officers see of the channels' figures: one `ChannelFigures` per published post of the
products asked for, scoped to the units the viewer's place in the tree lets them see."""

from __future__ import annotations

from collections.abc import Sequence

from congdoan.content.reach import ChannelFigures
from congdoan.orgs.scoping import Viewer, scope_for, unit_q
from congdoan.publishing.models import ChannelKind, Publication, PublicationStatus
from congdoan.publishing.models_metrics import FIGURES


def channel_figures(viewer: Viewer, product_ids: Sequence[int]) -> list[ChannelFigures]:
    """One row per published post (plain values: no model, no raw answer read)."""
    rows = (
        Publication.objects.filter(
            unit_q(scope_for(viewer)),
            product_id__in=list(product_ids),
            status=PublicationStatus.PUBLISHED,
        )
        .order_by("product_id", "kind", "account_name", "pk")
        .values(
            "product_id",
            "kind",
            "account_name",
            "remote_url",
            *(f"metrics__{name}" for name in (*FIGURES, "fetched_at", "error", "gone")),
        )
    )
    return [
        ChannelFigures(
            product_id=row["product_id"],
            channel=str(ChannelKind(row["kind"]).label),
            account=row["account_name"],
            url=row["remote_url"],
            fetched_at=row["metrics__fetched_at"],
            error=row["metrics__error"] or "",
            gone=bool(row["metrics__gone"]),
            **{name: row[f"metrics__{name}"] for name in FIGURES},
        )
        for row in rows
    ]
