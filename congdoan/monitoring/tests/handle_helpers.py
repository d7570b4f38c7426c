"""Small factories of the handling, selectors and alerts tests: a source, items and a
narrative of a unit, made directly (no detection, no grouping)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from congdoan.monitoring.models import Item, Narrative, Source, SourceKind

_seq = itertools.count(1)


def source(unit: Any, kind: str = SourceKind.RSS, **fields: Any) -> Source:
    n = next(_seq)
    fields.setdefault("name", f"Nguồn {n}")
    return Source.objects.create(unit=unit, kind=kind, **fields)


def narrative(
    unit: Any,
    *,
    title: str = "",
    risk: float = 0.5,
    items: int = 1,
    detected_at: datetime | None = None,
    **fields: Any,
) -> Narrative:
    """A narrative of `unit` with `items` items from one source of the same unit."""
    n = next(_seq)
    at = detected_at or timezone.now()
    story = Narrative.objects.create(
        unit=unit,
        title=title or f"Tin đồn công ty nợ lương số {n}",
        first_seen_at=at - timedelta(hours=1),
        last_seen_at=at,
        detected_at=at,
        item_count=items,
        source_count=1,
        total_reach=100 * items,
        risk=risk,
        **fields,
    )
    src = source(unit)
    for i in range(items):
        Item.objects.create(
            source=src,
            external_id=f"n{n}-{i}",
            content_hash=f"{n:020d}{i:020d}",
            text=f"Công ty nợ lương công nhân ba tháng, công đoàn im lặng ({i})",
            url=f"https://example.vn/bai/{n}-{i}",
            relevant=True,
            risk=risk,
            narrative=story,
            published_at=at - timedelta(minutes=i),
        )
    return story
