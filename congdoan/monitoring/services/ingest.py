"""Ingestion: `RawItem`s of a source become `Item` rows, once, then are scored and grouped.

Steps of `ingest(source, raw_items)`:
1. each raw item is cleaned (`_clean`): text (else its title) stripped and NFC; refused with a
   reason when it has no text or more than MONITORING_MAX_ITEM_CHARS; an address that is not
   http(s) is dropped (never shown as a link); an id longer than the column is hashed, a
   missing one replaced by the content hash; the text is folded once (`models.folded`) for
   both the content hash and the search column (`Item.search_text`);
2. duplicates are counted, not written: the same (source, external_id), or the same
   content_hash (sha1 of the folded, normalised text) in the same source: a feed that gives its
   items new ids on every fetch adds nothing. Checked within the batch and against the database,
   a chunk (MONITORING_INGEST_CHUNK) at a time;
3. new items are written with bulk_create, chunk by chunk (one transaction each), with a
   Snapshot each (the text, and the HTML sanitised with nh3); a chunk that collides with a
   concurrent ingestion of the same source (unique constraint) is written row by row, the
   rows already there counted as duplicates;
4. `process_items(ids)`: detection scores them, then grouping puts them into narratives (a big
   slice through grouping's in-memory fast path). Both are idempotent.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from congdoan.monitoring import detection, grouping
from congdoan.monitoring.models import (
    Item,
    Snapshot,
    Source,
    SourceKind,
    folded,
    item_search_text,
)
from congdoan.monitoring.sources.base import sanitise_html
from congdoan.monitoring.types import IngestResult, RawItem
from congdoan.orgs.models import Unit

logger = logging.getLogger("congdoan.monitoring")

T = TypeVar("T")
MAX_REACH = 2**62
# Chunks scored before a slice is grouped (process_items).
GROUP_CHUNKS = 10
ID_MAX = 255


def content_hash(text: str) -> str:
    """sha1 of the folded, normalised text (case, diacritics, spacing and legacy fonts aside):
    the digest of ``fold(normalize(text))``, with only the normalisation steps folding does not
    undo (``text.normalize.decode``): the digest of ``models.folded(text)``."""
    return _digest(folded(text))


def _digest(folded_text: str) -> str:
    return hashlib.sha1(folded_text.encode("utf-8")).hexdigest()


def chunks(values: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), max(1, size)):
        yield values[start : start + size]


def _clip(value: str, limit: int) -> str:
    return (value or "").strip()[:limit]


def _clean(raw: RawItem) -> tuple[dict[str, Any] | None, str]:
    """(the Item's fields, "") or (None, why it is refused)."""
    text = unicodedata.normalize("NFC", (raw.text or "").strip() or (raw.title or "").strip())
    if not text:
        return None, _("không có nội dung")
    if len(text) > settings.MONITORING_MAX_ITEM_CHARS:
        return None, _("nội dung quá dài (%(n)s ký tự, tối đa %(max)s)") % {
            "n": len(text),
            "max": settings.MONITORING_MAX_ITEM_CHARS,
        }
    # One fold for both the content hash and the search column.
    folded_text = folded(text)
    digest = _digest(folded_text)
    external_id = (raw.external_id or "").strip()
    if not external_id:
        external_id = f"h:{digest}"
    elif len(external_id) > ID_MAX:
        external_id = "s:" + hashlib.sha1(external_id.encode("utf-8")).hexdigest()
    url = (raw.url or "").strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > 1000:
        url = ""
    title = _clip(unicodedata.normalize("NFC", raw.title or ""), 500)
    return {
        "external_id": external_id,
        "content_hash": digest,
        "kind": raw.kind,
        "url": url,
        "title": title,
        "text": text,
        "search_text": item_search_text(title, folded_text),
        "author": _clip(raw.author, 255),
        "published_at": raw.published_at,
        "reach": min(max(int(raw.reach or 0), 0), MAX_REACH),
        "meta": raw.meta or {},
    }, ""


def _snapshot(item: Item, raw: RawItem) -> Snapshot:
    html = sanitise_html(raw.html) if raw.html else ""
    return Snapshot(
        item=item,
        url=item.url,
        text=item.text,
        html=html,
        sha256=hashlib.sha256((html or item.text).encode("utf-8")).hexdigest(),
    )


def _write(source: Source, rows: list[tuple[dict[str, Any], RawItem]]) -> tuple[list[int], int]:
    """Write new rows with their snapshots: (ids written, rows found already there)."""
    items = [Item(source=source, **fields) for fields, _raw in rows]
    try:
        with transaction.atomic():
            Item.objects.bulk_create(items)
            Snapshot.objects.bulk_create(
                [_snapshot(item, raw) for item, (_f, raw) in zip(items, rows, strict=True)]
            )
        return [item.pk for item in items], 0
    except IntegrityError:
        logger.info("ingest of source %s raced another; writing row by row", source.pk)
    ids: list[int] = []
    raced = 0
    for fields, raw in rows:
        try:
            with transaction.atomic():
                item = Item.objects.create(source=source, **fields)
                _snapshot(item, raw).save()
            ids.append(item.pk)
        except IntegrityError:
            raced += 1
    return ids, raced


def ingest(source: Source, raw_items: Sequence[RawItem], *, process: bool = True) -> IngestResult:
    """Write the new ones of `raw_items` (steps in the module's docstring)."""
    result = IngestResult()
    seen_ids: set[str] = set()
    seen_hashes: set[str] = set()
    size = settings.MONITORING_INGEST_CHUNK
    for chunk in chunks(raw_items, size):
        cleaned: list[tuple[dict[str, Any], RawItem]] = []
        for raw in chunk:
            fields, reason = _clean(raw)
            if fields is None:
                result.refused += 1
                label = raw.external_id or raw.meta.get("line") or raw.url or "?"
                result.errors.append(f"{label}: {reason}")
                continue
            if fields["external_id"] in seen_ids or fields["content_hash"] in seen_hashes:
                result.duplicate += 1
                continue
            seen_ids.add(fields["external_id"])
            seen_hashes.add(fields["content_hash"])
            cleaned.append((fields, raw))
        if not cleaned:
            continue
        ids = [f["external_id"] for f, _r in cleaned]
        hashes = [f["content_hash"] for f, _r in cleaned]
        known_ids = set(
            Item.objects.filter(source=source, external_id__in=ids).values_list(
                "external_id", flat=True
            )
        )
        known_hashes = set(
            Item.objects.filter(source=source, content_hash__in=hashes).values_list(
                "content_hash", flat=True
            )
        )
        fresh = [
            (f, r)
            for f, r in cleaned
            if f["external_id"] not in known_ids and f["content_hash"] not in known_hashes
        ]
        result.duplicate += len(cleaned) - len(fresh)
        if fresh:
            written, raced = _write(source, fresh)
            result.new += len(written)
            result.duplicate += raced
            result.item_ids.extend(written)
    if process and result.item_ids:
        process_items(result.item_ids)
    return result


def process_items(item_ids: Sequence[int]) -> None:
    """Score the items a chunk at a time, then group them a slice at a time (GROUP_CHUNKS
    chunks: a big slice goes through grouping's in-memory fast path; a slice's buckets are in
    the database before the next is grouped, so copies across slices still meet). Memory stays
    bounded by the slice, whatever the batch. Idempotent: scoring again overwrites the scores;
    an item that has its narrative keeps it."""
    size = max(1, settings.MONITORING_INGEST_CHUNK)
    ids = list(item_ids)
    for start in range(0, len(ids), size * GROUP_CHUNKS):
        items: list[Item] = []
        for chunk in chunks(ids[start : start + size * GROUP_CHUNKS], size):
            batch = list(Item.objects.filter(pk__in=chunk).select_related("source").order_by("pk"))
            detection.score_items(batch)
            items.extend(batch)
        if len(items) > size:
            grouping.group_all(items)
        elif items:
            grouping.assign(items)


def tips_source(unit: Unit) -> Source:
    """The unit's source of tips (officers' and members' reports), made on its first tip."""
    source = Source.objects.filter(unit=unit, kind=SourceKind.TIPS).order_by("pk").first()
    if source is not None:
        return source
    with translation.override(settings.LANGUAGE_CODE):
        name = _("Tin báo")
    source, _created = Source.objects.get_or_create(
        unit=unit, name=name, defaults={"kind": SourceKind.TIPS}
    )
    return source
