"""Assignment of items to narratives: signatures, candidates from the LSH buckets (in memory
and in the database), the copies, new narratives, and the bulk writes (see the package doc)."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from congdoan.monitoring.grouping.figures import chunks, refresh, title_of
from congdoan.monitoring.models import Item, LshBucket, Narrative, Source, folded
from congdoan.text.match import NUM_PERM
from congdoan.text.neardup import BANDS, band_keys, signatures

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

# PostgreSQL advisory locks of grouping (the two-int form: namespace, number). A batch with
# few bucket keys locks each key's slot (of LOCK_SLOTS) with SLOT_LOCK, holding ALL_LOCK
# shared; a bigger one holds ALL_LOCK alone, exclusive (the lock table is not for thousands).
SLOT_LOCK = 0x4E47  # "NG": narratives' grouping, one lock per slot of (band, key)
ALL_LOCK = 0x4E41  # "NA": every slot at once
LOCK_SLOTS = 1 << 20
MAX_SLOT_LOCKS = 256  # 8 items' 32 keys
_BAND_MIX = np.arange(BANDS, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)


def lock_slots(keys: np.ndarray) -> list[int]:
    """The lock slots of a batch's (band, key)s, in increasing order (the order they are
    taken in, so two batches never wait on each other in a circle)."""
    if not len(keys):
        return []
    mixed = keys.astype(np.uint64) ^ _BAND_MIX[: keys.shape[1]]
    return [int(s) for s in np.unique(mixed % np.uint64(LOCK_SLOTS))]


@contextmanager
def _guarded(keys: np.ndarray) -> Iterator[None]:
    """PostgreSQL: one transaction, holding until its commit a lock on every bucket the batch
    looks up. Two workers grouping copies of one new story at the same moment share a bucket,
    so the second waits, then (READ COMMITTED: each statement sees the latest commit) finds
    the first's items and joins its narrative instead of opening another. Taken before the
    candidates are read. SQLite: nothing (its writes are one at a time; the reads before are
    not guarded: a rare second narrative stays possible there)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        slots = lock_slots(keys)
        if len(slots) > MAX_SLOT_LOCKS:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [ALL_LOCK])
        else:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, 0)", [ALL_LOCK])
            cursor.executemany(
                "SELECT pg_advisory_xact_lock(%s, %s)", [(SLOT_LOCK, slot) for slot in slots]
            )
        yield


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
    # Candidates read, narratives opened and buckets written under the guard (`_guarded`).
    with _guarded(keys):
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
            pk = item.pk
            for bucket, key in zip(buckets, item_keys, strict=True):  # `_add`, inlined
                held = bucket.get(key)
                if held is None:
                    bucket[key] = pk
                elif isinstance(held, int):
                    bucket[key] = [held, pk]
                else:
                    held.append(pk)

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
    distinct = set(found)
    distinct.discard(exclude)
    if len(distinct) <= MAX_CHECKED:  # all of them (the order does not matter: sorted below)
        checked = list(distinct)
    else:
        shared = Counter(found)
        shared.pop(exclude, None)
        checked = [c for c, _count in shared.most_common(MAX_CHECKED)]
    if not checked:
        return []
    equal = (np.array([nodes[c].sig for c in checked]) == sig).sum(axis=1) / NUM_PERM
    return sorted(
        ((float(s), c) for s, c in zip(equal, checked, strict=True) if s >= threshold),
        reverse=True,
    )


@dataclass
class _DbCandidates:
    buckets: dict[tuple[int, int], list[int]]
    nodes: dict[int, _Known]
    narrative_of: dict[int, int | None]


def _candidates_in_db(keys: np.ndarray, *, exclude: set[int]) -> _DbCandidates:
    """The stored items that share a bucket with the batch: one query per band and chunk of
    keys (`band = b AND key IN (…)`, the (band, key) index), then their signatures."""
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    table = LshBucket._meta.db_table
    with connection.cursor() as cursor:
        for band in range(BANDS):
            wanted = sorted({int(k) for k in keys[:, band]})
            for part in chunks(wanted):
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
    for part in chunks(ids):
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
    title = title_of(item.title, item.text)
    return Narrative(
        unit_id=unit_id,
        title=title,
        search_text=folded(title),
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
        for part in chunks(chosen, 5000):
            block = keys[[n for n, _ in part]].tolist()
            yield [
                (pk, b, k)
                for (_, pk), row in zip(part, block, strict=True)
                for b, k in enumerate(row)
            ]

    item_table = Item._meta.db_table
    bucket_table = LshBucket._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        for part in chunks(ids):
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
            for part in chunks(members):
                Item.objects.filter(pk__in=part, narrative__isnull=True).update(
                    narrative_id=narrative_id
                )
