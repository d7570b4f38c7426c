"""The search planner: which ids, in which order, for one page of results.

`rank` takes a queryset already narrowed to what the viewer may see (scope and filters: the
selector's work, congdoan.library.rules) and the query's tokens, and answers the page's ids
with their scores, the count (exact up to COUNT_CAP, "more than" past it), and how many of the
newest matches the phrase tier looked at. Two sources:
- the optional external engine (engine.py, LIBRARY_SEARCH_ENGINE=tantivy) ranks, and the
  database keeps those of its candidates the viewer may see (`engine_page`);
- otherwise the database's own full text, by tiers (`tiered_page`): title matches, phrase
  matches, the other matches; newest first within each. Nothing is scored per match: each
  tier is a walk down an index in id order (sql.Walker) that stops as soon as it has what the
  page needs. On PostgreSQL the cost model of postgres.py picks the plan of each walk.
Loading the documents and cutting snippets is the selector's (selectors.search_documents).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet

from congdoan.library.models import Document
from congdoan.library.search import engine, postgres
from congdoan.library.search.postgres import search_transaction
from congdoan.library.search.sql import Walker, apply_search, only_ids, pks, window_matches

COUNT_CAP = 300
# The tiers of the database's ranking, best first (the score a hit carries).
TITLE_SCORE, PHRASE_SCORE, MATCH_SCORE = 3.0, 2.0, 1.0


@dataclass(frozen=True)
class Ranked:
    """One page of ids, best first, with what the page says of the count."""

    ids: list[tuple[int, float]]  # (document id, score)
    total: int  # up to COUNT_CAP; -1 when not counted
    capped: bool  # more than COUNT_CAP matched
    ranked_among: int = 0  # how many of the newest matches the phrase tier looked at (0: all)


def rank(
    qs: QuerySet[Document],
    tokens: list[str],
    *,
    offset: int,
    limit: int,
    filters: dict[str, Any],
    with_total: bool = True,
) -> Ranked:
    """The page: from the external engine when it is on and answers (it ranks; the database
    still decides what the viewer sees), else from the database's own full text."""
    found = engine_page(qs, tokens, offset, limit, filters) if tokens and engine.enabled() else None
    if found is not None:
        ranked, total, capped = found
        return Ranked(ranked, total, capped)
    return Ranked(*database_page(qs, tokens, offset, limit, with_total))


def database_page(
    qs: QuerySet[Document],
    tokens: list[str],
    offset: int,
    limit: int,
    with_total: bool,
) -> tuple[list[tuple[int, float]], int, bool, int]:
    """The page from the database's own full text: ids and scores first (so that sorting the
    matches never carries their text along), the documents themselves afterwards. The last
    item: how many of the newest matches the phrase tier looked at when not all (0: all)."""
    if tokens and connection.vendor in ("sqlite", "postgresql"):
        return tiered_page(qs, tokens, offset, limit)
    qs = apply_search(qs, tokens)
    # Counting every match of a common word costs more than finding the best 20: count up to
    # COUNT_CAP and say "more than" beyond it (the pager still works page by page).
    newest = F("issued_on").desc(nulls_last=True)
    total = qs[: COUNT_CAP + 1].count() if with_total else -1
    rows = qs.order_by(newest, "-id").values_list("pk", flat=True)[offset : offset + limit]
    capped = total > COUNT_CAP
    return [(pk, 0.0) for pk in rows], (COUNT_CAP if capped else total), capped, 0


def tiered_page(
    qs: QuerySet[Document], tokens: list[str], offset: int, limit: int
) -> tuple[list[tuple[int, float]], int, bool, int]:
    """The page by tiers (see the module's docstring): title matches, phrase matches, the
    other matches; newest first within each. Nothing is scored per match: each tier is a walk
    down an index in id order that stops as soon as it has what the page needs.
    - the window: the newest k = COUNT_CAP + 1 matches the viewer may see (scope and filters
      are applied while walking; on SQLite through the narrow index WALK_INDEX, never the
      wide document rows). Fewer than k: every match and the exact count; k: "more than";
    - the title matches, from the whole library (an old plan titled with the words still comes
      first), as many as the page needs (PostgreSQL, common title words: the window's);
    - the phrase matches among the window (on PostgreSQL's bitmap plan: its newest 64);
    - then the rest of the window."""
    need = offset + limit
    k = max(COUNT_CAP + 1, need)
    walk = Walker(qs)
    with search_transaction():
        in_title: list[int] | None = (
            None  # the window's title and phrase matches, when the walk told
        )
        in_phrase: list[int] | None = None
        if connection.vendor == "postgresql" and postgres.dense_walk_wins(qs, tokens, k):
            # Walking, PostgreSQL has each matching row in hand: it tests title and phrase there.
            rows = walk.flagged(tokens, k)
            window = [row[0] for row in rows]
            in_title = [row[0] for row in rows if row[1]]
            in_phrase = [row[0] for row in rows if row[2]]
        else:
            window = walk(tokens, k)
        if not window:
            return [], 0, False, 0
        if _titles_everywhere(tokens):
            titled = walk(tokens, need, head=True)
        else:
            titled = (
                in_title[:need]
                if in_title is not None
                else window_matches(tokens, window, need, head=True)
            )
        seen = set(titled)
        together: list[int] = []
        if len(titled) < need and len(tokens) > 1:
            phrased = in_phrase if in_phrase is not None else _phrase_matches(tokens, window, need)
            together = [pk for pk in phrased if pk not in seen][:need]
            seen.update(together)
    ranked = [(pk, TITLE_SCORE) for pk in titled] + [(pk, PHRASE_SCORE) for pk in together]
    ranked += [(pk, MATCH_SCORE) for pk in window[: need + len(seen)] if pk not in seen]
    total = len(window)
    capped = total > COUNT_CAP
    return ranked[offset:need], (COUNT_CAP if capped else total), capped, (k if total >= k else 0)


def _titles_everywhere(tokens: list[str]) -> bool:
    """Whether the title tier searches the whole library. Always on SQLite (FTS5 intersects
    the title lists in a few milliseconds). On PostgreSQL the GIN bitmap fetches every title
    match from the table before the top-k sort, and walking the primary key may test the whole
    table when no title holds all the words together: so the whole library only when the
    rarest word heads at most HEAD_BITMAP_ROWS documents, else the titles of the window."""
    return connection.vendor != "postgresql" or postgres.head_bitmap_cheap(tokens)


# The window is searched for phrases in slices, newest first, until the page has enough. On
# PostgreSQL only the first: checking a phrase there tests each document's vector with its
# positions (5–8 ms for 500 documents), where FTS5 reads the window's position lists (2 ms).
PHRASE_SLICES = (0, 64, None)
PHRASE_SLICES_POSTGRES = (0, 64)


def _phrase_matches(tokens: list[str], window: list[int], wanted: int) -> list[int]:
    """The newest of the window's documents (at least `wanted` of them when there are) that
    hold the words together, as typed, newest first, searched slice by slice."""
    found: list[int] = []
    slices = PHRASE_SLICES_POSTGRES if connection.vendor == "postgresql" else PHRASE_SLICES
    for start, end in itertools.pairwise(slices):
        part = window[start:end]
        if not part:
            break
        found += window_matches(tokens, part, len(part), phrase=True)
        if len(found) >= wanted:
            break
    return found


ENGINE_FIRST_CANDIDATES = 200
ENGINE_MAX_CANDIDATES = 8 * (COUNT_CAP + 1)
ENGINE_ESTIMATE_MARGIN = 2


def engine_page(
    qs: QuerySet[Document],
    tokens: list[str],
    offset: int,
    limit: int,
    filters: dict[str, Any] | None = None,
) -> tuple[list[tuple[int, float]], int, bool] | None:
    """The page from the external engine: take its best candidates, keep those the database
    (scope and filters) lets through, in the engine's order.

    The count: exact when the engine's matches are all among the candidates; "more than
    COUNT_CAP" when more than COUNT_CAP candidates passed, or when the share that passed, times
    the engine's number of matches, is at least ENGINE_ESTIMATE_MARGIN × COUNT_CAP (an estimate
    from the first ENGINE_FIRST_CANDIDATES, which spares checking a thousand candidates for
    every common word). Otherwise widen the candidates (×8); past ENGINE_MAX_CANDIDATES (a
    narrow scope or filter over a common word) give up and let the database answer (None)."""
    need = offset + limit
    wanted = max(need, ENGINE_FIRST_CANDIDATES)
    while True:
        got = engine.top(tokens, wanted, filters)
        if got is None:
            return None
        ranked, matched = got
        ids = [pk for pk, _s in ranked]
        visible = pks(only_ids(qs, ids)) if ids else set()
        kept = [(pk, score) for pk, score in ranked if pk in visible]
        if len(ranked) >= matched:  # every match was a candidate: the count is exact
            total = len(kept)
            break
        if len(kept) >= need:
            if len(kept) > COUNT_CAP:
                total = len(kept)
                break
            if matched * len(kept) / len(ranked) >= ENGINE_ESTIMATE_MARGIN * COUNT_CAP:
                total = COUNT_CAP + 1
                break
        if wanted >= ENGINE_MAX_CANDIDATES:
            return None
        wanted = min(wanted * 8, ENGINE_MAX_CANDIDATES)
    capped = total > COUNT_CAP
    return kept[offset : offset + limit], (COUNT_CAP if capped else total), capped
