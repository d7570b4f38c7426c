"""A narrative's figures from its items (`refresh`), its title (`title_of`) and its spread for
the chart (`spread`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, Substr, TruncDay, TruncHour
from django.utils import timezone

from congdoan.monitoring.detection.risk import narrative_risk
from congdoan.monitoring.models import Item, Narrative, Stance, Toxicity, folded

# Parameters per IN list (SQLite allows 32,766; PostgreSQL more; kept small for the planner).
CHUNK = 900
TITLE_CHARS = 160

_TOXICITY_RANK = {Toxicity.CLEAN: 0, Toxicity.OFFENSIVE: 1, Toxicity.HATE: 2}
_STANCE_RANK = {Stance.NEGATIVE: 0, Stance.NEUTRAL: 1, Stance.POSITIVE: 2}


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def title_of(title: str, text: str) -> str:
    """The title of an item, else the start of its text cut at a word."""
    title = " ".join((title or "").split())
    if title:
        return title[:500]
    words = " ".join((text or "").split())
    if len(words) <= TITLE_CHARS:
        return words
    cut = words[:TITLE_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


@dataclass
class _Figures:
    first: datetime | None = None
    last: datetime | None = None
    first_key: tuple[datetime, int] | None = None
    title: str = ""
    count: int = 0
    sources: set[int] = field(default_factory=set)
    reach: int = 0
    max_risk: float = 0.0
    toxicity: str = ""
    toxicity_score: float | None = None
    stances: Counter[str] = field(default_factory=Counter)
    claims: Counter[int] = field(default_factory=Counter)
    seen: list[datetime] = field(default_factory=list)


def refresh(narrative_ids: Iterable[int]) -> None:
    """Recompute the figures of these narratives from their items: first and last seen, counts
    of items and sources, total reach, the worst toxicity, the stance most of its items take
    (ties to the more negative), the known claim most of them match, the title (its earliest
    item's), and the risk (`detection.risk.narrative_risk`; speed: items in the 24 hours up to
    its last one). One read of the items per chunk, one bulk update."""
    ids = sorted(set(narrative_ids))
    for part in chunks(ids, 500):
        figures: dict[int, _Figures] = defaultdict(_Figures)
        rows = (
            Item.objects.filter(narrative_id__in=part)
            .annotate(seen=Coalesce("published_at", "fetched_at"), start=Substr("text", 1, 400))
            .values_list(
                "narrative_id",
                "pk",
                "seen",
                "title",
                "start",
                "source_id",
                "reach",
                "risk",
                "toxicity",
                "toxicity_score",
                "stance",
                "claim_id",
            )
        )
        for (
            nid,
            pk,
            seen,
            title,
            start,
            source_id,
            reach,
            risk,
            tox,
            tox_score,
            stance,
            claim,
        ) in rows.iterator(chunk_size=5000):
            f = figures[nid]
            f.count += 1
            f.sources.add(source_id)
            f.reach += reach or 0
            f.max_risk = max(f.max_risk, risk or 0.0)
            f.seen.append(seen)
            if f.first_key is None or (seen, pk) < f.first_key:
                f.first_key = (seen, pk)
                f.title = title_of(title, start)
            f.first = seen if f.first is None else min(f.first, seen)
            f.last = seen if f.last is None else max(f.last, seen)
            if tox and (
                not f.toxicity
                or _TOXICITY_RANK[Toxicity(tox)] > _TOXICITY_RANK[Toxicity(f.toxicity)]
                or (tox == f.toxicity and (tox_score or 0) > (f.toxicity_score or 0))
            ):
                f.toxicity, f.toxicity_score = tox, tox_score
            if stance:
                f.stances[stance] += 1
            if claim:
                f.claims[claim] += 1
        narratives = list(Narrative.objects.filter(pk__in=part))
        for narrative in narratives:
            got = figures.get(narrative.pk)
            if got is None or got.first is None or got.last is None:
                narrative.item_count = narrative.source_count = narrative.total_reach = 0
                continue
            _apply(narrative, got, first=got.first, last=got.last)
        _save_figures(narratives)


# The figures `refresh` writes, one executemany (bulk_update's CASE per field and row takes
# 20× longer for a thousand narratives).
FIGURE_FIELDS = [
    "first_seen_at",
    "last_seen_at",
    "item_count",
    "source_count",
    "total_reach",
    "title",
    "search_text",
    "toxicity",
    "toxicity_score",
    "stance",
    "claim",
    "risk",
]


def _save_figures(narratives: list[Narrative]) -> None:
    fields = [Narrative._meta.get_field(name) for name in FIGURE_FIELDS]
    columns = ", ".join(f"{f.column} = %s" for f in fields)  # type: ignore[union-attr]
    # Only the dates need the database's form; numbers, strings and the claim's id go as
    # they are (a field's get_db_prep_save for each of 11 fields and 15,000 narratives: 2 s).
    dated = [f.get_internal_type() == "DateTimeField" for f in fields]
    names = [f.attname for f in fields]  # type: ignore[union-attr]
    rows = [
        [
            f.get_db_prep_save(getattr(n, name), connection) if d else getattr(n, name)  # type: ignore[union-attr]
            for f, name, d in zip(fields, names, dated, strict=True)
        ]
        + [n.pk]
        for n in narratives
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Narrative._meta.db_table} SET {columns} WHERE id = %s", rows
            )


def _apply(narrative: Narrative, f: _Figures, *, first: datetime, last: datetime) -> None:
    day_before = last - timedelta(hours=24)
    narrative.first_seen_at, narrative.last_seen_at = first, last
    narrative.item_count = f.count
    narrative.source_count = len(f.sources)
    narrative.total_reach = f.reach
    if f.title and f.title != narrative.title:
        narrative.title = f.title
        narrative.search_text = folded(f.title)
    elif not narrative.search_text:
        narrative.search_text = folded(narrative.title)
    narrative.toxicity, narrative.toxicity_score = f.toxicity, f.toxicity_score
    narrative.stance = (
        min(f.stances, key=lambda s: (-f.stances[s], _STANCE_RANK[Stance(s)])) if f.stances else ""
    )
    narrative.claim_id = f.claims.most_common(1)[0][0] if f.claims else None
    narrative.risk = narrative_risk(
        max_item_risk=f.max_risk,
        total_reach=f.reach,
        items_last_24h=sum(1 for at in f.seen if at >= day_before),
        item_count=f.count,
        source_count=len(f.sources),
    )


def spread(
    narrative: Narrative, *, bucket: Literal["day", "hour"] = "day"
) -> list[tuple[datetime, int, int]]:
    """The narrative's spread for its chart: (start of the day or hour, items, reach) from its
    first bucket to its last, empty buckets included (at most 1,000; a longer story's empty
    buckets are left out)."""
    trunc = TruncDay if bucket == "day" else TruncHour
    rows = list(
        Item.objects.filter(narrative=narrative)
        .annotate(at=trunc(Coalesce("published_at", "fetched_at")))
        .values("at")
        .annotate(items=Count("pk"), reach=Sum("reach"))
        .order_by("at")
        .values_list("at", "items", "reach")
    )
    if not rows:
        return []
    step = timedelta(days=1) if bucket == "day" else timedelta(hours=1)
    first, last = rows[0][0], rows[-1][0]
    if (last - first) / step >= 1000:
        return [(at, items, reach or 0) for at, items, reach in rows]
    found = {at: (items, reach or 0) for at, items, reach in rows}
    out = []
    at = first
    while at <= last:
        items, reach = found.get(at, (0, 0))
        out.append((at, items, reach))
        at = timezone.localtime(at + step)
        if bucket == "day":
            at = at.replace(hour=0, minute=0, second=0, microsecond=0)
    return out
