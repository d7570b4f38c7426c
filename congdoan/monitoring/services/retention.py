"""Personal data in what was collected: kept MONITORING_PERSONAL_DATA_DAYS, then cleared.

`clear_personal_data()` (a daily periodic job): items fetched before the limit lose their
author and the personal keys of their meta (author ids, profile links, user names…); their
snapshots keep the text and HTML as evidence, with the author's name blanked where it appears;
a tip loses the Zalo id of its sender. Each item is done once (personal_data_cleared_at).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import regex
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congdoan.monitoring.models import Item, Snapshot, Tip

CHUNK = 500
BLANKED = "[…]"
# A meta key naming a person (author_id, user_name, profile_url, channel_id, phone, email…).
PERSONAL_KEY = regex.compile(
    r"author|user|name|profile|phone|email|mail|channel|avatar|handle|screen|sender|from",
    regex.IGNORECASE,
)


def personal_meta_removed(meta: Any) -> dict[str, Any]:
    if not isinstance(meta, dict):
        return {}
    return {k: v for k, v in meta.items() if not PERSONAL_KEY.search(str(k))}


def _blank(text: str, name: str) -> str:
    if not name or len(name) < 2 or not text:
        return text
    return regex.sub(regex.escape(name), BLANKED, text, flags=regex.IGNORECASE)


def clear_personal_data(*, now: Any = None) -> int:
    """Clear the personal data of items past the limit; how many items were cleared."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.MONITORING_PERSONAL_DATA_DAYS)
    cleared = 0
    while True:
        items = list(
            Item.objects.filter(fetched_at__lt=limit, personal_data_cleared_at__isnull=True)
            .only("pk", "author", "meta")
            .order_by("pk")[:CHUNK]
        )
        if not items:
            break
        with transaction.atomic():
            by_item = {item.pk: item for item in items}
            snapshots = list(Snapshot.objects.filter(item_id__in=by_item))
            for snap in snapshots:
                name = by_item[snap.item_id].author
                snap.text = _blank(snap.text, name)
                snap.html = _blank(snap.html, name)
            Snapshot.objects.bulk_update(snapshots, ["text", "html"], batch_size=CHUNK)
            for item in items:
                item.author = ""
                item.meta = personal_meta_removed(item.meta)
                item.personal_data_cleared_at = now
            Item.objects.bulk_update(
                items, ["author", "meta", "personal_data_cleared_at"], batch_size=CHUNK
            )
            Tip.objects.filter(item_id__in=by_item).exclude(zalo_user_id="").update(zalo_user_id="")
        cleared += len(items)
    return cleared
