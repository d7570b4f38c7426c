"""Reads of the library, every one scoped through congdoan.orgs.scoping.

Who sees a document of unit X:
- visibility "unit": officers whose scope covers X (X's officers and those above X);
- "subtree": those, and also officers of units below X;
- "union": every officer;
- "public": everyone, signed in or not (only once it is processed).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from congdoan.library import engine
from congdoan.library.models import Document, DocumentLink, Status, Visibility
from congdoan.library.search import (
    apply_search,
    fts5_query,
    highlight,
    only_ids,
    query_tokens,
    search_transaction,
    snippet,
    table_rows,
    tsquery,
    where_matches,
    word_shares,
)
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Scope, scope_for, unit_q
from congdoan.text import fold


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def visible_q(scope: Scope) -> Q:
    public = Q(visibility=Visibility.PUBLIC, status=Status.READY)
    if scope.is_admin:
        return Q()
    if not scope.is_officer:
        return public
    above: set[str] = set()
    for path in scope.unit_paths:
        above.update(_ancestor_paths(path))
    return (
        Q(visibility__in=[Visibility.PUBLIC, Visibility.UNION])
        | unit_q(scope, field="unit")
        | Q(visibility=Visibility.SUBTREE, unit__path__in=sorted(above))
    )


def documents_visible(*, viewer: Any) -> QuerySet[Document]:
    return Document.objects.filter(visible_q(scope_for(viewer)))


def public_documents() -> QuerySet[Document]:
    return Document.objects.filter(
        visibility=Visibility.PUBLIC, status=Status.READY
    ).select_related("unit")


def document_get(*, viewer: Any, pk: int) -> Document:
    doc = (
        documents_visible(viewer=viewer)
        .select_related("unit", "blob", "uploaded_by")
        .filter(pk=pk)
        .first()
    )
    if doc is None:
        raise Http404
    return doc


def public_document_get(*, pk: int) -> Document:
    doc = public_documents().select_related("blob").filter(pk=pk).first()
    if doc is None:
        raise Http404
    return doc


def can_edit(*, viewer: Any, document: Document) -> bool:
    return scope_for(viewer).covers_path(document.unit.path)


COUNT_CAP = 300
# What a results page, the API and `congdoan library search` show of a hit: loading only these
# (no metadata JSON, no timestamps, no folded copies) keeps turning 20 rows into objects cheap.
HIT_FIELDS = (
    "id",
    "title",
    "original_name",
    "number",
    "doc_type",
    "issuer",
    "issued_on",
    "visibility",
    "status",
    "text",
    "unit__id",
    "unit__code",
    "unit__name",
)


@dataclass
class Hit:
    document: Document
    score: float
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class SearchPage:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    tokens: list[str] = field(default_factory=list)
    total_is_lower_bound: bool = False
    # Set when the query matched more documents than the window the database looks at for
    # phrases (selectors._tiered_page): how many that window held.
    ranked_among_newest: int = 0

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total or (
            self.total_is_lower_bound and len(self.hits) == self.per_page
        )

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def search_documents(
    *,
    viewer: Any,
    query: str = "",
    doc_type: str = "",
    issuer: str = "",
    year: int | None = None,
    unit_code: str = "",
    tag: str = "",
    public_only: bool = False,
    page: int = 1,
    per_page: int = 20,
    with_total: bool = True,
) -> SearchPage:
    """Documents the viewer may see that match the query and filters, best first."""
    qs = (
        public_documents()
        if public_only
        else documents_visible(viewer=viewer).select_related("unit")
    )
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if issuer:
        qs = qs.filter(issuer_key__contains=fold(issuer.strip()))
    if year:
        qs = qs.filter(issued_on__year=year)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if tag:
        qs = qs.filter(tags__icontains=tag)
    tokens = query_tokens(query)
    page = max(1, page)
    offset = (page - 1) * per_page
    # The external engine, when configured, ranks; the database still decides what the viewer sees.
    filters = {"unit": unit_code, "doc_type": doc_type, "year": year}
    found = (
        _engine_page(qs, tokens, offset, per_page, filters) if tokens and engine.enabled() else None
    )
    ranked_among = 0
    if found is None:
        ranked, total, capped, ranked_among = _database_page(
            qs, tokens, offset, per_page, with_total
        )
    else:
        ranked, total, capped = found
    by_pk = (
        Document.objects.select_related("unit").only(*HIT_FIELDS).in_bulk([pk for pk, _s in ranked])
        if ranked
        else {}
    )
    hits = [
        Hit(
            document=d,
            score=score,
            title_html=highlight(d.display_title, tokens),
            snippet_html=snippet(d.text, tokens) if tokens else snippet(d.text[:220], []),
        )
        for pk, score in ranked
        if (d := by_pk.get(pk)) is not None
    ]
    return SearchPage(
        hits=hits,
        total=total,
        page=page,
        per_page=per_page,
        tokens=tokens,
        total_is_lower_bound=capped,
        ranked_among_newest=ranked_among,
    )


def _database_page(
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
        return _tiered_page(qs, tokens, offset, limit)
    qs = apply_search(qs, tokens)
    # Counting every match of a common word costs more than finding the best 20: count up to
    # COUNT_CAP and say "more than" beyond it (the pager still works page by page).
    newest = F("issued_on").desc(nulls_last=True)
    total = qs[: COUNT_CAP + 1].count() if with_total else -1
    rows = qs.order_by(newest, "-id").values_list("pk", flat=True)[offset : offset + limit]
    capped = total > COUNT_CAP
    return [(pk, 0.0) for pk in rows], (COUNT_CAP if capped else total), capped, 0


# SQLite: the narrow index (id, status, visibility, unit_id, doc_type, issued_on) of migration 0004.
WALK_INDEX = "library_doc_search_walk"
# The tiers of the database's ranking, best first (the score a hit carries).
TITLE_SCORE, PHRASE_SCORE, MATCH_SCORE = 3.0, 2.0, 1.0


def _tiered_page(
    qs: QuerySet[Document], tokens: list[str], offset: int, limit: int
) -> tuple[list[tuple[int, float]], int, bool, int]:
    """The page by tiers (see congdoan.library.search): title matches, phrase matches, the
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
    walk = _Walker(qs)
    with search_transaction():
        in_title: list[int] | None = (
            None  # the window's title and phrase matches, when the walk told
        )
        in_phrase: list[int] | None = None
        if connection.vendor == "postgresql" and _dense_on_postgres(qs, tokens, k):
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
                else _window_matches(tokens, window, need, head=True)
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
    if connection.vendor != "postgresql":
        return True
    share = _rarest_share(tokens, "search_head")
    return (
        share is None or share * table_rows() <= HEAD_BITMAP_ROWS
    )  # no statistics: a new, small table


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
        found += _window_matches(tokens, part, len(part), phrase=True)
        if len(found) >= wanted:
            break
    return found


def _window_matches(
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


class _Walker:
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


BITMAP_TIER_COST = (
    1.0  # per window row: the title and phrase tests after a bitmap ÷ a fetched match
)
WALK_ROW_COST = 1.0  # a row tested while walking (its tsvector in the row: migration 0005) ÷ a match fetched from the bitmap
# PostgreSQL: the title tier searches the whole library (GIN bitmap of `search_head`) when its
# rarest word heads at most this many documents; otherwise the titles of the window.
HEAD_BITMAP_ROWS = 2000


def _rarest_share(tokens: list[str], column: str = "search_tsv") -> float | None:
    """The share of documents holding the query's rarest word in `column` (None: no statistics)."""
    shares, floor = word_shares(column)
    if not shares:
        return None
    *words, last = tokens
    found = [shares.get(w, floor) for w in words]
    found.append(min(1.0, sum(f for w, f in shares.items() if w.startswith(last)) or floor))
    return min(found)


def _dense_on_postgres(qs: QuerySet[Document], tokens: list[str], k: int) -> bool:
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
    share = _rarest_share(tokens)
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
    # (`_Walker.flagged`): they cost a second visit of the k rows by primary key.
    return walked < n_docs * share + BITMAP_TIER_COST * k


ENGINE_FIRST_CANDIDATES = 200
ENGINE_MAX_CANDIDATES = 8 * (COUNT_CAP + 1)
ENGINE_ESTIMATE_MARGIN = 2


def _pks(qs: QuerySet[Document]) -> set[int]:
    """The primary keys of `qs`, read straight from the cursor (a thousand of them through the
    ORM's row machinery cost more than the query itself)."""
    sql, params = qs.order_by().values_list("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _engine_page(
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
        visible = _pks(only_ids(qs, ids)) if ids else set()
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


@dataclass
class Links:
    cites: list[DocumentLink]
    missing: list[DocumentLink]
    cited_by: list[DocumentLink]


def document_links(*, viewer: Any, document: Document) -> Links:
    """What the document cites (found / missing) and what cites it, as far as the viewer may see."""
    visible = set(
        documents_visible(viewer=viewer)
        .filter(
            Q(pk__in=DocumentLink.objects.filter(source=document).values("target_id"))
            | Q(pk__in=DocumentLink.objects.filter(target=document).values("source_id"))
        )
        .values_list("pk", flat=True)
    )
    cites: list[DocumentLink] = []
    missing: list[DocumentLink] = []
    for link in DocumentLink.objects.filter(source=document).select_related("target"):
        (cites if link.target_id in visible else missing).append(link)
    cited_by = [
        link
        for link in DocumentLink.objects.filter(target=document).select_related("source")
        if link.source_id in visible
    ]
    return Links(cites=cites, missing=missing, cited_by=cited_by)


def facets(*, viewer: Any) -> dict[str, Any]:
    qs = documents_visible(viewer=viewer)
    years = sorted(
        {d.year for d in qs.exclude(issued_on=None).dates("issued_on", "year")}, reverse=True
    )
    units = (
        Unit.objects.filter(pk__in=qs.values("unit_id")).order_by("sort_key").only("code", "name")
    )
    return {"years": years, "units": list(units)}


def upload_units(*, viewer: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(unit_q(scope_for(viewer), field=""), is_active=True).order_by(
        "sort_key"
    )


@dataclass
class IndicatorRow:
    unit: Unit | None
    total: int
    digitised: int
    described: int
    shared: int

    @staticmethod
    def _pct(n: int, d: int) -> float | None:
        return round(100 * n / d, 1) if d else None

    @property
    def digitised_pct(self) -> float | None:
        return self._pct(self.digitised, self.total)

    @property
    def described_pct(self) -> float | None:
        return self._pct(self.described, self.total)

    @property
    def shared_pct(self) -> float | None:
        return self._pct(self.shared, self.total)


DESCRIBED_Q = (
    ~Q(doc_type="") & ~Q(number="") & Q(issued_on__isnull=False) & ~Q(title="") & ~Q(issuer="")
)
DIGITISED_Q = Q(status=Status.READY) & ~Q(text="")
SHARED_Q = ~Q(visibility=Visibility.UNIT)


def digitisation_indicator(*, viewer: Any) -> tuple[list[IndicatorRow], IndicatorRow]:
    """Per unit and overall: shares digitised (text available), described (type, number, date,
    title and issuer filled) and shared beyond the unit, over the units the viewer manages."""
    scope = scope_for(viewer)
    if not scope.is_officer:
        return [], IndicatorRow(None, 0, 0, 0, 0)
    qs = Document.objects.filter(unit_q(scope, field="unit"))
    stats = qs.values("unit_id").annotate(
        total=Count("id"),
        digitised=Count("id", filter=DIGITISED_Q),
        described=Count("id", filter=DESCRIBED_Q),
        shared=Count("id", filter=SHARED_Q),
    )
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[s["unit_id"] for s in stats])}
    rows = [
        IndicatorRow(units[s["unit_id"]], s["total"], s["digitised"], s["described"], s["shared"])
        for s in stats
    ]
    rows.sort(key=lambda r: r.unit.path if r.unit else "")
    overall = IndicatorRow(
        None,
        sum(r.total for r in rows),
        sum(r.digitised for r in rows),
        sum(r.described for r in rows),
        sum(r.shared for r in rows),
    )
    return rows, overall


# -- documents an officer should look at (the officer's home page) ------------------------------

# A page read by OCR below this mean word confidence, or a metadata field read below this
# confidence (and not corrected by an officer), asks for an officer's review.
REVIEW_OCR_CONFIDENCE = 0.7
REVIEW_METADATA_CONFIDENCE = 0.6


@dataclass
class ReviewItem:
    document: Document
    reasons: list[str]


def documents_to_review(
    *, viewer: Any, since: Any = None, limit: int = 5, scan: int = 300
) -> dict[str, Any]:
    """Documents of the viewer's own units (not those others share with them) that wait
    for OCR, failed, were read with low OCR confidence, or have metadata read with low
    confidence; the newest ``scan`` digitised documents are checked for the last. With
    ``since``: how many were added to those units since then."""
    scope = scope_for(viewer)
    own = Document.objects.filter(Q() if scope.is_admin else unit_q(scope, field="unit"))
    waiting = own.filter(status__in=[Status.PENDING, Status.OCR]).count()
    items: list[ReviewItem] = []
    low_ocr = set(
        own.filter(Q(status=Status.FAILED) | Q(pages__ocr_confidence__lt=REVIEW_OCR_CONFIDENCE))
        .values_list("pk", flat=True)
        .distinct()
    )
    recent = own.filter(Q(status=Status.READY) | Q(pk__in=low_ocr)).select_related("unit")
    for document in recent.order_by("-created_at", "-id")[:scan]:
        reasons = []
        if document.status == Status.FAILED:
            reasons.append(str(_("nhận dạng chữ bị lỗi")))
        elif document.pk in low_ocr:
            reasons.append(str(_("chữ nhận dạng chưa rõ")))
        low = [
            name
            for name, value in (document.confidence or {}).items()
            if name not in (document.corrected or {}) and float(value) < REVIEW_METADATA_CONFIDENCE
        ]
        if low:
            reasons.append(str(_("thông tin văn bản chưa chắc chắn")))
        if reasons:
            items.append(ReviewItem(document, reasons))
    added = own.filter(created_at__gt=since).count() if since is not None else None
    return {
        "waiting_ocr": waiting,
        "review_count": len(items),
        "review": items[:limit],
        "added_since": added,
    }
