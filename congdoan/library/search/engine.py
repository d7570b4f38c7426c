"""An optional external search engine behind the planner (planner.py): a tantivy index on
disk, for large libraries where the database's own full text is too slow (docs/library.md,
Figures). Off by default (`LIBRARY_SEARCH_ENGINE=database`); `LIBRARY_SEARCH_ENGINE=tantivy`
turns it on, the index lives in `LIBRARY_SEARCH_INDEX_DIR` (default VAR_DIR/library-search).

What it holds: per document only its id (a fast field) and the words of `Document.folded`
(plus the folded title, so that a title match ranks first). It decides which documents match
and in what order; it decides nothing about access. The selector takes the best candidates
from it and keeps those that the database, through `visible_q` and the filters, lets the
viewer see (see `planner.engine_page`), so a stale index can only miss a document or rank
it on old words, never show one the viewer may not see or one that was deleted.

Writers and processes: tantivy allows one `IndexWriter` per index, guarded by a lock file
that the operating system releases when a process dies. Web processes only read (a reader
takes no lock and `reload()`s to see the latest commit). Writes happen in `sync()`, which the
task `library.tasks.sync_search_index` runs, enqueued (`tasks.schedule_index_sync`) after any
commit that changes what is indexed; whichever worker runs it takes the lock or, when another worker's
sync holds it, queues itself again `BUSY_RETRY_SECONDS` later (a worker never waits on the
lock; `congdoan library reindex`, run by hand, waits up to `LOCK_WAIT_SECONDS`), re-indexes every document whose
`updated_at` is at or after the last sync's start minus `SYNC_MARGIN` (so a transaction that
committed late is not missed; re-indexing a document twice is harmless: delete by id, add),
commits and records the new start time. Two syncs at once therefore run one after the other,
and a sync that fails leaves the mark where it was, so the next one catches up.
`congdoan library reindex` rebuilds it all (and drops deleted documents).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from congdoan.library.models import Document
from congdoan.library.search.query import last_is_prefix
from congdoan.library.search.words import fold_for_index

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 60.0
BUSY_RETRY_SECONDS = 5
SYNC_MARGIN = timedelta(minutes=2)
TITLE_BOOST = 2.0
MARK_FILE = "congdoan-sync.json"
_WRITER_HEAP = 50_000_000

_local = threading.local()


def engine_name() -> str:
    return str(settings.LIBRARY_SEARCH_ENGINE)


def enabled() -> bool:
    return engine_name() == "tantivy"


def index_dir() -> Path:
    return Path(settings.LIBRARY_SEARCH_INDEX_DIR)


# Bump when the schema changes: the index then lives in a new folder, search falls back to
# the database until `congdoan library reindex` (or the next sync) builds it.
SCHEMA_VERSION = 1
# Filters the engine applies too (plain values, not access): the candidates it returns then
# already pass them, so a narrow filter does not make the selector widen. The database still
# checks every filter and the scope on the candidates.
FILTERS = ("unit", "doc_type", "year")


def _schema() -> Any:
    import tantivy  # lazy: the native engine loads only where LIBRARY_SEARCH_ENGINE=tantivy

    return (
        tantivy.SchemaBuilder()
        .add_integer_field("id", stored=False, indexed=True, fast=True)
        .add_text_field("body", stored=False)
        .add_text_field("title", stored=False)
        .add_text_field("unit", stored=False, tokenizer_name="raw")
        .add_text_field("doc_type", stored=False, tokenizer_name="raw")
        .add_integer_field("year", stored=False, indexed=True)
        .build()
    )


def _path() -> Path:
    return index_dir() / f"v{SCHEMA_VERSION}"


def _open(create: bool) -> Any:
    import tantivy  # lazy: the native engine loads only where LIBRARY_SEARCH_ENGINE=tantivy

    path = _path()
    if create:
        path.mkdir(parents=True, exist_ok=True)
    elif not (path / "meta.json").exists():
        return None
    return tantivy.Index(_schema(), path=str(path), reuse=True)


def _reader() -> Any:
    """This thread's handle on the index, reloaded to the latest commit; None when there is none yet."""
    path = str(_path())
    cached = getattr(_local, "index", None)
    if cached is None or cached[0] != path:
        index = _open(create=False)
        if index is None:
            return None
        _local.index = cached = (path, index)
    index = cached[1]
    index.reload()
    return index


def _query(index: Any, tokens: list[str], filters: dict[str, Any] | None = None) -> Any:
    import tantivy  # lazy: the native engine loads only where LIBRARY_SEARCH_ENGINE=tantivy

    schema = index.schema
    Q, must, should = tantivy.Query, tantivy.Occur.Must, tantivy.Occur.Should
    parts: list[tuple[Any, Any]] = []
    prefix = last_is_prefix(tokens)
    for i, token in enumerate(tokens):
        if (
            prefix and i == len(tokens) - 1
        ):  # a word still being typed: the exact word scores, longer words match
            word = Q.boolean_query(
                [
                    (should, Q.term_query(schema, "body", token)),
                    (should, Q.regex_query(schema, "body", token + "[a-z0-9]+")),
                ]
            )
        else:
            word = Q.term_query(schema, "body", token)
        parts.append((must, word))
        parts.append((should, Q.boost_query(Q.term_query(schema, "title", token), TITLE_BOOST)))
    for name, value in (filters or {}).items():
        if name in FILTERS and value not in (None, ""):
            parts.append((must, Q.term_query(schema, name, value)))
    return Q.boolean_query(parts)


def top(
    tokens: list[str], limit: int, filters: dict[str, Any] | None = None
) -> tuple[list[tuple[int, float]], int] | None:
    """The best `limit` (document id, score) for the tokens, and how many documents match;
    `filters` may narrow by unit (code), doc_type and year (see FILTERS).
    None when the engine is off or its index is not built yet (the caller uses the database)."""
    if not tokens or not enabled():
        return None
    try:
        index = _reader()
    except Exception as exc:  # a broken index must not break search: the database answers
        log.warning("library: search index unreadable (%s), searching the database", exc)
        return None
    if index is None:
        return None
    searcher = index.searcher()
    result = searcher.search(_query(index, tokens, filters), limit, count=True)
    addresses = [address for _score, address in result.hits]
    ids = searcher.fast_field_values("id", addresses) if addresses else []
    return [(int(pk), float(score)) for pk, (score, _a) in zip(ids, result.hits, strict=True)], int(
        result.count or 0
    )


class IndexBusy(Exception):
    """Another process holds the index's writer lock (its sync is running)."""


def _writer(index: Any, *, wait: bool) -> Any:
    """The index's one writer. With `wait` (a command run by hand), wait up to
    LOCK_WAIT_SECONDS for another sync to finish; without (a worker's task), IndexBusy at once:
    the task runs again later instead of holding its worker."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            return index.writer(_WRITER_HEAP, 1)
        except ValueError as exc:
            if "LockBusy" not in str(exc):
                raise
            if not wait or time.monotonic() > deadline:
                raise IndexBusy(str(exc)) from exc
            time.sleep(0.2)


def _read_mark() -> datetime | None:
    try:
        raw = json.loads((_path() / MARK_FILE).read_text())["synced_from"]
        return datetime.fromisoformat(raw)
    except (OSError, KeyError, ValueError):
        return None


def sync(*, full: bool = False, requested_at: datetime | None = None, wait: bool = True) -> int:
    """Bring the index in step with the database; returns how many documents were (re)indexed.
    `full` rebuilds from scratch. Runs in one worker at a time (the writer lock).
    `requested_at` (when the change that asked for this sync had committed): a sync that
    started after it has already read that change, so a burst of requests (an import) costs
    one or two syncs, not one each. `wait=False`: IndexBusy instead of waiting for another
    sync's lock (see `_writer`)."""
    import tantivy  # lazy: the native engine loads only where LIBRARY_SEARCH_ENGINE=tantivy

    index = _open(create=True)
    writer = _writer(index, wait=wait)
    try:
        started = timezone.now()
        mark = None if full else _read_mark()
        if mark is not None and requested_at is not None and mark >= requested_at:
            writer.rollback()
            return 0
        docs = Document.objects.all()
        if full or mark is None:
            writer.delete_all_documents()
        else:
            docs = docs.filter(updated_at__gte=mark - SYNC_MARGIN)
        count = 0
        fields = ("pk", "folded", "title", "number", "unit__code", "doc_type", "issued_on")
        for pk, folded, title, number, unit, doc_type, issued_on in docs.values_list(
            *fields
        ).iterator(chunk_size=2000):
            if not (full or mark is None):
                writer.delete_documents_by_term("id", pk)
            if folded:
                doc = tantivy.Document(
                    id=pk,
                    body=folded,
                    title=fold_for_index(title, number),
                    unit=unit,
                    doc_type=doc_type,
                )
                if issued_on is not None:
                    doc.add_integer("year", issued_on.year)
                writer.add_document(doc)
            count += 1
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        writer.rollback()
        raise
    (_path() / MARK_FILE).write_text(json.dumps({"synced_from": started.isoformat()}))
    return count
