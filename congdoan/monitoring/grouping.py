"""Grouping: copies and near-copies of one story across sources become one narrative.

Each item gets a MinHash signature of its character 5-grams (case and diacritics folded,
shorthand written out: :mod:`congdoan.text.neardup`), 128 values; the signature is cut into
32 bands of 4 values and each band hashed to a signed 64-bit key, stored in
`LshBucket` (band, key). Two items that share a bucket are candidates; a candidate is a copy
when the signatures' estimated Jaccard similarity is at least
``settings.MONITORING_NEAR_DUP_THRESHOLD`` (tuned on the near-duplicate pairs, `congdoan nlp
eval --only near-duplicates`). A new item is only ever compared with its candidates, found by
the (band, key) index, never with a scan of recent rows.

`assign(items)`, item by item in the order they were seen:
1. an item that already has a narrative keeps it (assign is idempotent);
2. else it joins the narrative of its most similar copy (in the database or earlier in the batch);
3. else a relevant item opens a new narrative (its unit: the unit of the item's source), and
   earlier copies that had none (scored irrelevant) join it; an irrelevant item without a copy
   gets its signature and buckets but no narrative;
4. an item at least 90 % the same as an indexed item of its story gets no buckets of its own
   (whatever finds it finds that one): the same comment posted a thousand times fills no
   bucket;
5. signatures, narratives and buckets are written in bulk; the narratives touched are
   refreshed (`refresh`).

`group_all(items)` is the same pass, named for a big batch (100,000 items of a file: 65 s on
this shared 2-CPU machine, 37 s of CPU, `congdoan bench monitoring`). The signatures and keys
come from :mod:`congdoan.text.neardup` (many texts at once, teen-code and unaccented copies
folded alike), the module the evaluation measures. Not guarded: two processes grouping copies
of one new story at the same moment may each open a narrative for it.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, Substr, TruncDay, TruncHour
from django.utils import timezone

from congdoan.monitoring.detection.risk import narrative_risk
from congdoan.monitoring.models import (
    Item,
    LshBucket,
    Narrative,
    Source,
    Stance,
    Toxicity,
)
from congdoan.text.match import NUM_PERM
from congdoan.text.neardup import BANDS, band_keys, signatures

# Parameters per IN list (SQLite allows 32,766; PostgreSQL more; kept small for the planner).
CHUNK = 900
TITLE_CHARS = 160

_TOXICITY_RANK = {Toxicity.CLEAN: 0, Toxicity.OFFENSIVE: 1, Toxicity.HATE: 2}
_STANCE_RANK = {Stance.NEGATIVE: 0, Stance.NEUTRAL: 1, Stance.POSITIVE: 2}


# --- signatures ---------------------------------------------------------------------------


def item_text(item: Item) -> str:
    """An item's words for grouping: its title (unless the text starts with it) and its text."""
    title = (item.title or "").strip()
    text = item.text or ""
    if title and not text.lstrip().lower().startswith(title.lower()):
        return f"{title}\n{text}"
    return text


def _sig_of(value: bytes | memoryview | None) -> np.ndarray | None:
    if value is None:
        return None
    sig = np.frombuffer(bytes(value), dtype=np.uint32)
    return sig if len(sig) == NUM_PERM else None


# --- assignment ---------------------------------------------------------------------------


@dataclass
class _Known:
    """An item the batch may join: its signature and narrative (None: not in one yet)."""

    sig: np.ndarray
    narrative_id: int | None
    indexed: bool = True  # has buckets (those read from the database do)


def _seen_at(item: Item) -> datetime:
    return item.published_at or item.fetched_at


def assign(items: Sequence[Item]) -> None:
    """Group ``items`` (saved, scored) into narratives; see the module's docstring."""
    _group([i for i in items if i.pk])


def group_all(items: Sequence[Item]) -> None:
    """Group a big batch (100,000 items of a file). The same pass as `assign`, which is built
    for it: the batch's own index in memory, the database's buckets read a band and a chunk
    of keys at a time, signatures, narratives and buckets written in bulk."""
    _group([i for i in items if i.pk])


# Seconds of the last grouping pass's steps (the benchmark prints them).
last_timings: dict[str, float] = {}


def _group(items: list[Item]) -> None:
    if not items:
        return
    threshold = float(settings.MONITORING_NEAR_DUP_THRESHOLD)
    started = time.perf_counter()
    items.sort(key=lambda i: (_seen_at(i), i.pk))
    sigs = signatures([item_text(i) for i in items])
    keys = band_keys(sigs)
    signed = time.perf_counter()
    batch_ids = {i.pk for i in items}
    known = _candidates_in_db(keys, exclude=batch_ids)
    units = dict(
        Source.objects.filter(pk__in={i.source_id for i in items}).values_list("pk", "unit_id")
    )
    # One dict per band: key → the item (an int, as most buckets hold one) or the items (a
    # list, in the order they were seen): a third of the memory of (band, key) → list.
    buckets: list[dict[int, Any]] = [{} for _ in range(BANDS)]
    for (band, key), ids in known.buckets.items():
        for pk in ids:
            _add(buckets[band], key, pk)
    nodes: dict[int, _Known] = dict(known.nodes)
    # Narratives opened by this batch have provisional ids -1, -2, … until they are saved.
    opened: list[Narrative] = []

    key_rows = keys.tolist()
    indexed: set[int] = set()
    for n, item in enumerate(items):
        sig = sigs[n]
        item_keys = key_rows[n]
        scored = _copies(sig, item_keys, buckets, nodes, threshold, exclude=item.pk)
        copies = [c for _, c in scored]
        target = item.narrative_id
        if target is None:
            target = next(
                (nodes[c].narrative_id for c in copies if nodes[c].narrative_id is not None),
                None,
            )
        if target is None and item.relevant:
            opened.append(_new_narrative(item, units[item.source_id]))
            target = -len(opened)
            for c in copies:  # earlier copies scored irrelevant join the story now
                if nodes[c].narrative_id is None:
                    nodes[c].narrative_id = target
        nodes[item.pk] = _Known(sig=sig, narrative_id=target, indexed=False)
        # A copy almost the same as an indexed item of its story (or, out of any story, as an
        # indexed item out of any) adds no buckets: what would find it finds that item
        # (Jaccard distance is a metric: at most 1 - COVERED away). So the thousandth
        # "Công đoàn ở đâu???" does not crowd a bucket.
        if scored and scored[0][0] >= COVERED:
            best = nodes[scored[0][1]]
            if best.indexed and best.narrative_id == target:
                continue
        nodes[item.pk].indexed = True
        indexed.add(item.pk)
        for band, key in enumerate(item_keys):
            _add(buckets[band], key, item.pk)

    created = Narrative.objects.bulk_create(opened, batch_size=500) if opened else []

    def saved(narrative_id: int | None) -> int | None:
        if narrative_id is not None and narrative_id < 0:
            return created[-1 - narrative_id].pk
        return narrative_id

    for item in items:
        item.narrative_id = saved(nodes[item.pk].narrative_id)
    # Earlier items outside the batch only ever change from no narrative to one.
    outside: dict[int, int] = {}
    for pk in known.nodes:
        narrative_id = saved(nodes[pk].narrative_id)
        if pk not in batch_ids and known.narrative_of[pk] is None and narrative_id is not None:
            outside[pk] = narrative_id
    matched = time.perf_counter()
    _write(items, sigs, keys, outside, indexed)
    written = time.perf_counter()
    refresh({i.narrative_id for i in items if i.narrative_id} | set(outside.values()))
    last_timings.update(
        items=len(items),
        signatures_s=signed - started,
        matching_s=matched - signed,
        writing_s=written - matched,
        refresh_s=time.perf_counter() - written,
    )


# Candidates checked with the whole signature, those sharing the most buckets first; of a
# crowded bucket (boilerplate, a story copied thousands of times) only its latest members.
MAX_CHECKED = 40
BUCKET_SCAN = 64
# SQLite's page cache while grouping writes (KiB; its default, 2 MB, makes every insert into
# a big (band, key) index a read).
SQLITE_CACHE_KIB = 262_144
# A copy at least this similar to an indexed item of its narrative is not indexed itself.
COVERED = 0.9


def _add(bucket: dict[int, Any], key: int, pk: int) -> None:
    held = bucket.get(key)
    if held is None:
        bucket[key] = pk
    elif isinstance(held, int):
        bucket[key] = [held, pk]
    else:
        held.append(pk)


def _copies(
    sig: np.ndarray,
    item_keys: list[int],
    buckets: list[dict[int, Any]],
    nodes: dict[int, _Known],
    threshold: float,
    *,
    exclude: int,
) -> list[tuple[float, int]]:
    """(similarity, item) of the items seen so far whose estimated similarity with ``sig``
    reaches the threshold, most similar first. Shared buckets already estimate the similarity: only the
    MAX_CHECKED candidates sharing the most are compared in full (a story copied 1,000 times
    costs 40 comparisons per copy, not 1,000)."""
    found: list[int] = []
    for band, key in enumerate(item_keys):
        held = buckets[band].get(key)
        if held is None:
            continue
        if isinstance(held, int):
            found.append(held)
        else:
            found.extend(held[-BUCKET_SCAN:])
    if not found:
        return []
    shared = Counter(found)
    shared.pop(exclude, None)
    checked = [c for c, _count in shared.most_common(MAX_CHECKED)]
    if not checked:
        return []
    equal = (np.stack([nodes[c].sig for c in checked]) == sig).sum(axis=1) / NUM_PERM
    return sorted(
        ((float(s), c) for s, c in zip(equal, checked, strict=True) if s >= threshold),
        reverse=True,
    )


@dataclass
class _DbCandidates:
    buckets: dict[tuple[int, int], list[int]]
    nodes: dict[int, _Known]
    narrative_of: dict[int, int | None]


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _candidates_in_db(keys: np.ndarray, *, exclude: set[int]) -> _DbCandidates:
    """The stored items that share a bucket with the batch: one query per band and chunk of
    keys (`band = b AND key IN (…)`, the (band, key) index), then their signatures."""
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    table = LshBucket._meta.db_table
    with connection.cursor() as cursor:
        for band in range(BANDS):
            wanted = sorted({int(k) for k in keys[:, band]})
            for part in _chunks(wanted):
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(
                    f"SELECT item_id, key FROM {table} WHERE band = %s AND key IN ({marks})",
                    [band, *part],
                )
                for item_id, key in cursor.fetchall():
                    if item_id not in exclude:
                        buckets[band, key].append(item_id)
    # Of a crowded bucket, only the latest members are read (as in memory: BUCKET_SCAN).
    for bk, members in buckets.items():
        if len(members) > BUCKET_SCAN:
            buckets[bk] = sorted(members)[-BUCKET_SCAN:]
    ids = sorted({i for members in buckets.values() for i in members})
    nodes: dict[int, _Known] = {}
    narratives: dict[int, int | None] = {}
    for part in _chunks(ids):
        for pk, raw, narrative_id in Item.objects.filter(pk__in=part).values_list(
            "pk", "signature", "narrative_id"
        ):
            sig = _sig_of(raw)
            if sig is not None:
                nodes[pk] = _Known(sig=sig, narrative_id=narrative_id)
                narratives[pk] = narrative_id
    kept = {bk: [i for i in members if i in nodes] for bk, members in buckets.items()}
    return _DbCandidates(buckets=kept, nodes=nodes, narrative_of=narratives)


def _new_narrative(item: Item, unit_id: int) -> Narrative:
    seen = _seen_at(item)
    return Narrative(
        unit_id=unit_id,
        title=title_of(item.title, item.text),
        first_seen_at=seen,
        last_seen_at=seen,
        detected_at=timezone.now(),
    )


def _write(
    items: list[Item],
    sigs: np.ndarray,
    keys: np.ndarray,
    outside: dict[int, int],
    indexed: set[int],
) -> None:
    """The batch's signatures and narratives, the buckets of its indexed items (replaced:
    idempotent), and the narratives earlier items without one joined. Raw statements:
    executemany on SQLite (with a page cache big enough for the index's random inserts), COPY
    on PostgreSQL: up to 3.2 million bucket rows for 100,000 items."""
    ids = [i.pk for i in items]
    rows = [(sigs[n].tobytes(), item.narrative_id, item.pk) for n, item in enumerate(items)]

    def buckets() -> Iterator[list[tuple[int, int, int]]]:
        # 5,000 items' rows at a time, in the items' order (their ids grow: appended to the
        # item_id index).
        chosen = [(n, item.pk) for n, item in enumerate(items) if item.pk in indexed]
        for part in _chunks(chosen, 5000):
            block = keys[[n for n, _ in part]].tolist()
            yield [
                (pk, b, k)
                for (_, pk), row in zip(part, block, strict=True)
                for b, k in enumerate(row)
            ]

    item_table = Item._meta.db_table
    bucket_table = LshBucket._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        for part in _chunks(ids):
            LshBucket.objects.filter(item_id__in=part).delete()
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMPORARY TABLE grouping_item (id bigint, signature bytea, "
                "narrative_id bigint) ON COMMIT DROP"
            )
            with cursor.cursor.copy("COPY grouping_item FROM STDIN") as copy:
                for signature, narrative_id, pk in rows:
                    copy.write_row((pk, signature, narrative_id))
            cursor.execute(
                f"UPDATE {item_table} AS i SET signature = g.signature, "
                "narrative_id = g.narrative_id FROM grouping_item AS g WHERE i.id = g.id"
            )
            cursor.execute("DROP TABLE grouping_item")
            with cursor.cursor.copy(f"COPY {bucket_table} (item_id, band, key) FROM STDIN") as copy:
                for block in buckets():
                    for row in block:
                        copy.write_row(row)
        else:
            cursor.execute("PRAGMA cache_size")
            cache_size = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
            cursor.executemany(
                f"UPDATE {item_table} SET signature = %s, narrative_id = %s WHERE id = %s", rows
            )
            for block in buckets():
                cursor.executemany(
                    f"INSERT INTO {bucket_table} (item_id, band, key) VALUES (%s, %s, %s)", block
                )
            cursor.execute(f"PRAGMA cache_size = {cache_size}")
        by_narrative: dict[int, list[int]] = defaultdict(list)
        for item_id, narrative_id in outside.items():
            by_narrative[narrative_id].append(item_id)
        for narrative_id, members in by_narrative.items():
            for part in _chunks(members):
                Item.objects.filter(pk__in=part, narrative__isnull=True).update(
                    narrative_id=narrative_id
                )


# --- figures of a narrative ---------------------------------------------------------------


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
    for part in _chunks(ids, 500):
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
    "toxicity",
    "toxicity_score",
    "stance",
    "claim",
    "risk",
]


def _save_figures(narratives: list[Narrative]) -> None:
    fields = [Narrative._meta.get_field(name) for name in FIGURE_FIELDS]
    columns = ", ".join(f"{f.column} = %s" for f in fields)  # type: ignore[union-attr]
    rows = [
        [f.get_db_prep_save(getattr(n, f.attname), connection) for f in fields]  # type: ignore[union-attr]
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
    narrative.title = f.title or narrative.title
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
