"""The full-text condition and the walks, written for each database.

- SQLite: FTS5 tables `library_document_fts` (on `folded`) and `library_document_head_fts`
  (on `head_folded`), external content on `library_document`, kept in step by triggers
  (migrations 0002 and 0004), and the narrow index WALK_INDEX that scope and filters read;
- PostgreSQL: `search_tsv @@ to_tsquery('simple', …)` and `search_head @@ …`;
- any other database: a slow but correct `folded LIKE` per word (`apply_search`).
Nothing here scores or ranks: the planner (planner.py) asks for ids in id order, newest first.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from congdoan.library.models import Document
from congdoan.library.search.query import fts5_query, tsquery

# SQLite: the narrow index (id, status, visibility, unit_id, doc_type, issued_on) of migration 0004.
WALK_INDEX = "library_doc_search_walk"


def apply_search(qs: QuerySet[Any], tokens: list[str]) -> QuerySet[Any]:
    """Keep the documents that match every token. No score: the selector orders by tier and age."""
    if not tokens:
        return qs
    if connection.vendor == "postgresql":
        return where_matches(qs, tsquery(tokens))
    if connection.vendor == "sqlite":
        return where_matches(qs, fts5_query(tokens))
    # Any other database: a slow but correct fallback on the folded column.
    for token in tokens:
        qs = qs.filter(folded__contains=token)
    return qs


def where_matches(qs: QuerySet[Any], query: Any) -> QuerySet[Any]:
    """`qs` restricted to the documents whose full text matches `query`, written in the
    database's own syntax (an FTS5 MATCH expression, a tsquery): the one place that writes the
    condition (the selector's walker compiles it once with a placeholder for the query)."""
    if connection.vendor == "postgresql":
        return qs.extra(
            where=["library_document.search_tsv @@ to_tsquery('simple', %s)"], params=[query]
        )
    table = "library_document_fts"
    return qs.extra(
        tables=[table],
        where=[f"{table}.rowid = library_document.id", f"{table} MATCH %s"],
        params=[query],
    )


def only_ids(qs: QuerySet[Any], ids: list[int]) -> QuerySet[Any]:
    """`qs` restricted to the given primary keys, passed as one parameter (a JSON array on SQLite,
    an array on PostgreSQL) rather than one parameter per id: a thousand candidates from the
    external engine cost one short statement to check."""
    if connection.vendor == "sqlite":
        return qs.extra(
            where=["library_document.id IN (SELECT value FROM json_each(%s))"],
            params=[json.dumps(ids)],
        )
    if connection.vendor == "postgresql":
        return qs.extra(where=["library_document.id = ANY(%s)"], params=[ids])
    return qs.filter(pk__in=ids)


def pks(qs: QuerySet[Document]) -> set[int]:
    """The primary keys of `qs`, read straight from the cursor (a thousand of them through the
    ORM's row machinery cost more than the query itself)."""
    sql, params = qs.order_by().values_list("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def window_matches(
    tokens: list[str], ids: list[int], limit: int, *, head: bool = False, phrase: bool = False
) -> list[int]:
    """Which of `ids` (newest first) hold the words in their title (`head`) or together in their
    text (`phrase`), newest first, at most `limit`.
    - SQLite: an FTS5 query over the ids' range, read in ascending order (FTS5 walks a phrase
      backwards with a lower bound slowly: 50 ms instead of 2 for a thousand rows);
    - PostgreSQL: the rows by primary key first (a MATERIALIZED CTE: else the planner takes the
      GIN bitmap of every document holding the words and rechecks each for the phrase)."""
    wanted = set(ids)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            table = "library_document_head_fts" if head else "library_document_fts"
            cursor.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s AND rowid BETWEEN %s AND %s",
                [fts5_query(tokens, phrase=phrase), min(ids), max(ids)],
            )
        else:
            column = "search_head" if head else "search_tsv"
            cursor.execute(
                f"WITH w AS MATERIALIZED (SELECT id, {column} AS v FROM library_document WHERE id = ANY(%s))"
                " SELECT id FROM w WHERE v @@ to_tsquery('simple', %s)",
                [ids, tsquery(tokens, phrase=phrase)],
            )
        hits = {row[0] for row in cursor.fetchall()} & wanted
    return [pk for pk in ids if pk in hits][:limit]


class Walker:
    """Walks of the full-text index, newest (highest id) first, within scope and filters: the
    statement is compiled once by the ORM and each walk fills in the index (text or title), the
    words and the limit; ids come straight from the cursor.

    On SQLite the order names the FTS table's rowid (the same id) so that FTS5 hands its
    matches out in that order and stops at the limit; ordered by library_document.id it would
    sort every match first. On PostgreSQL, `dense` walks the primary key backwards testing `@@`;
    otherwise `id + 0` keeps the planner off that walk: the GIN bitmap, then a top-k sort."""

    _QUERY = "\x00query\x00"

    def __init__(self, qs: QuerySet[Document]) -> None:
        sql, params = (
            where_matches(qs, self._QUERY).order_by().values_list("pk").query.sql_with_params()
        )
        if connection.vendor == "sqlite":
            # Left to itself SQLite looks each match up in the table by rowid (twice as slow at
            # a thousand matches) although the narrow index holds every column scope needs.
            sql = sql.replace(
                'FROM "library_document" ', f'FROM "library_document" INDEXED BY {WALK_INDEX} ', 1
            )
        self.sql, self.params = sql, list(params)

    def __call__(
        self, tokens: list[str], limit: int, *, head: bool = False, dense: bool = False
    ) -> list[int]:
        sql = self.sql
        if connection.vendor == "sqlite":
            query = fts5_query(tokens)
            table = "library_document_head_fts" if head else "library_document_fts"
            sql = (
                sql.replace("library_document_fts", table)
                + f' ORDER BY "{table}".rowid DESC LIMIT %s'
            )
        else:
            query = tsquery(tokens)
            if head:
                sql = sql.replace(
                    "library_document.search_tsv @@", "library_document.search_head @@"
                )
            newest = '"library_document"."id"' if dense else '("library_document"."id" + 0)'
            sql += f" ORDER BY {newest} DESC LIMIT %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self._params(query), limit])
            return [row[0] for row in cursor.fetchall()]

    def _params(self, query: str) -> list[Any]:
        """The compiled statement's parameters with the query filled in."""
        return [query if p == self._QUERY else p for p in self.params]

    def flagged(self, tokens: list[str], limit: int) -> list[tuple[int, bool, bool]]:
        """PostgreSQL, walking the primary key: (id, title holds the words, text holds them as a
        phrase) of the newest `limit` matches. The two tests run only on rows that matched,
        which the walk has in hand (no second visit of 500 rows by primary key: 6 ms)."""
        assert connection.vendor == "postgresql"
        select = 'SELECT "library_document"."id" AS "pk"'
        assert self.sql.startswith(select)
        sql = (
            f"{select}, library_document.search_head @@ to_tsquery('simple', %s),"
            f" library_document.search_tsv @@ to_tsquery('simple', %s){self.sql[len(select) :]}"
            ' ORDER BY "library_document"."id" DESC LIMIT %s'
        )
        words = tsquery(tokens)
        phrase = tsquery(tokens, phrase=True) if len(tokens) > 1 else words
        with connection.cursor() as cursor:
            # The two tests make the planner cost the walk higher and switch to the GIN bitmap,
            # which would test every match (60 ms for 7,000): the walk was decided, keep it.
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            try:
                cursor.execute(sql, [words, phrase, *self._params(words), limit])
                return [(row[0], bool(row[1]), bool(row[2])) for row in cursor.fetchall()]
            finally:
                cursor.execute("SET LOCAL enable_bitmapscan = on")
