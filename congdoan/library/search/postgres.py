"""PostgreSQL's side of the planner: its statistics, the cost model, and `SET LOCAL`.

The database's full text on PostgreSQL is two generated `tsvector` columns with GIN indexes
(`search_tsv` over `folded`, `search_head` over `head_folded`: migrations 0002–0005).
Its own planner costs `@@` as a cheap operator and so walks the primary key for any query
with more than a few thousand matches, which is slow for a rarer word; this module decides
instead, from the statistics ANALYZE keeps (read at most once per STATISTICS_TTL seconds per
process), which of two plans meets the page sooner (`dense_walk_wins`), and whether the title
tier may take the GIN bitmap of the whole library (`head_bitmap_cheap`). The constants are
measured figures (docs/library.md, "Search").
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from congdoan.library.models import Document

_STATISTICS: dict[str, tuple[float, Any]] = {}  # key → (read at, value)
STATISTICS_TTL = 600.0


def _statistic(key: str, read: Callable[[], Any]) -> Any:
    """PostgreSQL's statistics (kept by ANALYZE), read at most once per STATISTICS_TTL seconds
    per process."""
    now = time.monotonic()
    cached = _STATISTICS.get(key)
    if cached is None or now - cached[0] > STATISTICS_TTL:
        cached = _STATISTICS[key] = (now, read())
    return cached[1]


def table_rows() -> float:
    """PostgreSQL: the planner's estimate of the number of documents (pg_class.reltuples)."""

    def read() -> float:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = 'library_document'::regclass"
            )
            return max(float(cursor.fetchone()[0]), 1.0)

    return float(_statistic("rows", read))


def word_shares(column: str = "search_tsv") -> tuple[dict[str, float], float]:
    """PostgreSQL: the share of documents holding each common word in `column`, from the
    statistics ANALYZE keeps (most_common_elems), and the share below which a word is not
    listed."""

    def read() -> tuple[dict[str, float], float]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
                " WHERE tablename = 'library_document' AND attname = %s AND schemaname = current_schema()",
                [column],
            )
            row = cursor.fetchone()
        words, freqs = (row[0] or [], row[1] or []) if row else ([], [])
        shares = {w: float(f) for w, f in zip(words, freqs, strict=False)}
        # After the per-word shares come the least and greatest of them, then the null share.
        floor = float(freqs[len(words)]) if len(freqs) > len(words) else 0.0
        return shares, floor

    shares, floor = _statistic(f"shares:{column}", read)
    return shares, floor


@contextmanager
def search_transaction() -> Iterator[None]:
    """On PostgreSQL, answer from the GIN index even when most rows match: the planner
    otherwise scans the table and evaluates `@@` on every tsvector, which is what makes common
    words slow. SET LOCAL ends with this transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield


# The cost model, in units of one match fetched from the GIN bitmap (measured):
# per window row, the title and phrase tests after a bitmap;
BITMAP_TIER_COST = 1.0
# a row tested while walking the primary key (its tsvector in the row: migration 0005).
WALK_ROW_COST = 1.0
# The title tier searches the whole library (GIN bitmap of `search_head`) when its rarest word
# heads at most this many documents; otherwise the titles of the window.
HEAD_BITMAP_ROWS = 2000


def rarest_share(tokens: list[str], column: str = "search_tsv") -> float | None:
    """The share of documents holding the query's rarest word in `column` (None: no statistics)."""
    shares, floor = word_shares(column)
    if not shares:
        return None
    *words, last = tokens
    found = [shares.get(w, floor) for w in words]
    found.append(min(1.0, sum(f for w, f in shares.items() if w.startswith(last)) or floor))
    return min(found)


def dense_walk_wins(qs: QuerySet[Document], tokens: list[str], k: int) -> bool:
    """Whether walking the primary key backwards (testing `@@` on each row's tsvector, kept in
    the row since migration 0005) meets k matches sooner than the GIN bitmap fetches every match.

    With N documents, a share f of them matching and a share s passing scope and filters, the
    walk tests about k/(s·f) rows (at most N), the bitmap fetches N·f and then visits the k
    rows of the window again for the title and phrase tiers; a tested row costs WALK_ROW_COST
    fetched ones (measured). f is taken as the share of the query's rarest word (an upper
    bound: the words of a phrase come together, which the planner's own estimate, a product
    of the shares, misses by up to 10×), s from the planner's estimate of the filters alone.
    Left to itself the planner walks for any query with more than a few thousand matches (it
    counts `@@` as a cheap operator): 30 ms instead of 4 for a word in 14% of 20,000 documents."""
    share = rarest_share(tokens)
    if share is None:
        return False
    n_docs = table_rows()
    with connection.cursor() as cursor:
        passing = 1.0
        if qs.query.where:
            sql, params = qs.order_by().values_list("pk").query.sql_with_params()
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            passing = min(1.0, max(float(plan[0]["Plan"]["Plan Rows"]), 1.0) / n_docs)
    walked = WALK_ROW_COST * min(k / (passing * share), n_docs)
    # The bitmap's window comes without the title and phrase tests the walk makes on the way
    # (`sql.Walker.flagged`): they cost a second visit of the k rows by primary key.
    return walked < n_docs * share + BITMAP_TIER_COST * k


def head_bitmap_cheap(tokens: list[str]) -> bool:
    """Whether the title tier may take the GIN bitmap of `search_head` over the whole library:
    while the query's rarest word heads at most HEAD_BITMAP_ROWS documents (no statistics: a
    new, small table)."""
    share = rarest_share(tokens, "search_head")
    return share is None or share * table_rows() <= HEAD_BITMAP_ROWS
