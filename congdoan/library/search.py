"""Full-text search behind one interface, accent-insensitive on every backend.

Two folded copies of a document are indexed (no marks, lower case, đ→d, cut into [a-z0-9]
tokens joined by spaces, so that every engine sees the same words): `Document.folded` (title,
number, issuer and text) decides what matches; `Document.head_folded` (title and number) is
what a document is about, and a match there ranks first.
- SQLite: FTS5 tables on both (`library_document_fts`, `library_document_head_fts`, external
  content on `library_document`, kept in step by triggers: migrations 0002 and 0004);
- PostgreSQL: generated `tsvector` columns `search_tsv` and `search_head` with GIN indexes.
A query is folded and tokenised the same way; all words must match. The last word is taken
as a prefix while it cannot be a whole word yet ("ke hoach truyen th" finds "truyền thông"):
a prefix makes the engine merge the lists of every word it starts, so a last word that is
already a Vietnamese syllable, a number or a word some document holds is matched whole.

The ranking (`selectors._tiered_page`) is what an officer expects of administrative papers and
costs no score per match: documents whose title (trích yếu, number, issuer) holds every word
come first, then those whose text has the words together as typed (a phrase), then the other
matches; newest first within each. Snippets are cut from the original text, with <mark>
around the query's phrase and its rare words (not every "về" of the page: `_match_spans`),
everything else escaped.
"""

from __future__ import annotations

import html
import json
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import regex
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe

from congdoan.text import fold

_TOKEN_RE = regex.compile(r"[a-z0-9]+")
MAX_QUERY_TOKENS = 12


def fold_for_index(*parts: str) -> str:
    return " ".join(_TOKEN_RE.findall(fold(" ".join(p for p in parts if p))))


def index_words(title: str, number: str, issuer: str, text: str) -> tuple[str, str]:
    """(head_folded, folded) of a document: its title and number; those with its issuer and text.
    The issuer stays out of the head: "liên đoàn lao động…" heads every paper of a federation."""
    return fold_for_index(title, number), fold_for_index(title, number, issuer, text)


def document_index_words(doc: Any) -> tuple[str, str]:
    """`index_words` of a Document, its title as shown ("Kế hoạch" + trích yếu: the type is
    part of what a clerk calls the paper), always in Vietnamese whatever the officer's language."""
    from django.utils import translation

    with translation.override("vi"):
        title = doc.display_title
    return index_words(title, doc.number, doc.issuer, doc.text)


def query_tokens(query: str) -> list[str]:
    return _TOKEN_RE.findall(fold(query or ""))[:MAX_QUERY_TOKENS]


@lru_cache(maxsize=1)
def _whole_words() -> frozenset[str]:
    from congdoan.text.lexicon import syllable_counts

    return frozenset(fold(s) for s in syllable_counts())


def last_is_prefix(tokens: list[str]) -> bool:
    """Whether the last word is still being typed: not a Vietnamese syllable, not a number, and
    not a word of three letters or more that some document holds ("zalo", "fanpage", "pdf")."""
    last = tokens[-1]
    if last.isdigit() or last in _whole_words():
        return False
    return len(last) < 3 or not _indexed_word(last)


@lru_cache(maxsize=4096)
def _indexed_word(word: str) -> bool:
    """Whether some document holds `word`. Remembered per process: a word that turns up later
    is meanwhile matched as a prefix, which finds it all the same. On PostgreSQL a word the
    statistics list is held; another is probed through the GIN index (a rare word: cheap)."""
    if connection.vendor == "sqlite":
        sql, params = (
            "SELECT 1 FROM library_document_fts WHERE library_document_fts MATCH %s LIMIT 1",
            [f'"{word}"'],
        )
    elif connection.vendor == "postgresql":
        if word in word_shares()[0]:
            return True
        sql, params = (
            "SELECT 1 FROM library_document WHERE search_tsv @@ to_tsquery('simple', %s) LIMIT 1",
            [word],
        )
    else:
        return False
    with search_transaction(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


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


def fts5_query(tokens: list[str], *, phrase: bool = False) -> str:
    star = "*" if last_is_prefix(tokens) else ""
    if phrase:
        return f'"{" ".join(tokens)}"{star}'
    return " ".join(f'"{t}"' for t in tokens) + star


def tsquery(tokens: list[str], *, phrase: bool = False) -> str:
    last = tokens[-1] + (":*" if last_is_prefix(tokens) else "")
    return (" <-> " if phrase else " & ").join([*tokens[:-1], last])


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


def _match_pattern(tokens: list[str]) -> regex.Pattern[str]:
    return _compiled_pattern(tuple(sorted(set(tokens), key=lambda t: (-len(t), t))))


@lru_cache(maxsize=256)
def _compiled_pattern(tokens: tuple[str, ...]) -> regex.Pattern[str]:
    return regex.compile(
        r"(?<![a-z0-9])(?:" + "|".join(regex.escape(t) for t in tokens) + r")[a-z0-9]*"
    )


# The most frequent syllables of Vietnamese ("về", "và", "của", "hội", "an"…): alone, such a
# word of the query is marked only within a phrase of the query, or when nothing else matches.
COMMON_WORDS = 100
_GLUE_RE = regex.compile(r"[^a-z0-9]{1,4}")


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    from congdoan.text.lexicon import syllable_counts

    counts: dict[str, int] = {}
    for syllable, n in syllable_counts().items():
        key = fold(syllable)
        counts[key] = counts.get(key, 0) + n
    return frozenset(sorted(counts, key=lambda w: counts[w], reverse=True)[:COMMON_WORDS])


def _match_spans(text: str, tokens: list[str], folded: str | None = None) -> list[tuple[int, int]]:
    """Where to put <mark>, in this order of preference (steps):
    1. find the words that are query words: whole words, except a last query word still being
       typed (not a syllable, not a number), which may begin a longer word;
    2. mark every run of two or more of them that follow each other as in the query (the
       phrase, or a part of it: "an toàn", "lao động");
    3. mark the rare query words wherever they stand alone; a common one ("về", "ăn" for "an",
       "HỘI" of the motto) only when the query is that one word or nothing else matched."""
    if not tokens:
        return []
    folded = fold(text) if folded is None else folded
    if len(folded) != len(text):  # should not happen for NFC text; then no highlighting
        return []
    last = tokens[-1]
    typed = not (last.isdigit() or last in _whole_words())
    found: list[
        tuple[int, int, frozenset[int]]
    ] = []  # (start, end, positions in the query it may be)
    for m in _match_pattern(tokens).finditer(folded):
        word = m.group()
        positions = frozenset(
            j
            for j, t in enumerate(tokens)
            if word == t or (typed and j == len(tokens) - 1 and word.startswith(t))
        )
        if positions:
            found.append((m.start(), m.end(), positions))
    if len(set(tokens)) == 1:
        return [(a, b) for a, b, _p in found]
    in_run = [False] * len(found)
    for i in range(len(found) - 1):
        _a, b, here = found[i]
        c, _d, there = found[i + 1]
        if _GLUE_RE.fullmatch(folded[b:c]) and any(j + 1 in there for j in here):
            in_run[i] = in_run[i + 1] = True
    common = _common_words()
    rare = {j for j, t in enumerate(tokens) if t.isdigit() or (len(t) >= 2 and t not in common)}
    spans = [
        (a, b)
        for (a, b, positions), run in zip(found, in_run, strict=True)
        if run or positions & rare
    ]
    return spans or [(a, b) for a, b, _p in found]


def highlight(
    text: str,
    tokens: list[str],
    spans: list[tuple[int, int]] | None = None,
    start: int = 0,
    end: int | None = None,
) -> SafeString:
    end = len(text) if end is None else end
    spans = _match_spans(text, tokens) if spans is None else spans
    out: list[str] = []
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    return mark_safe("".join(out))  # every piece of text is escaped above


SNIPPET_HEAD = 8000


def _best_window(folded: str, spans: list[tuple[int, int]], width: int) -> tuple[int, set[str]]:
    """Slide a window over the matches (sorted by start): the first window start that holds the
    most distinct words wins; each match enters and leaves the window once."""
    words = [folded[a:b] for a, b in spans]
    best_start, best_words, best_score = 0, set(), -1
    inside: dict[str, int] = {}
    left = hi = 0
    for lo in range(min(len(spans), 200)):
        window_start = max(0, spans[lo][0] - 40)
        while hi < len(spans) and spans[hi][0] < window_start + width:
            inside[words[hi]] = inside.get(words[hi], 0) + 1
            hi += 1
        while spans[left][0] < window_start:
            inside[words[left]] -= 1
            if not inside[words[left]]:
                del inside[words[left]]
            left += 1
        if len(inside) > best_score:
            best_start, best_words, best_score = window_start, set(inside), len(inside)
    return best_start, best_words


def snippet(text: str, tokens: list[str], width: int = 220) -> SafeString:
    """The window of `text` that holds the most distinct query words, highlighted. A long text
    is first searched in its head (SNIPPET_HEAD characters): a window there that holds every
    query word is taken without folding the rest."""
    text = unicodedata.normalize("NFC", text or "")
    if not text:
        return mark_safe("")
    best_start, spans = 0, []
    if tokens and len(text) > SNIPPET_HEAD:
        head = text[:SNIPPET_HEAD]
        folded = fold(head)
        spans = _match_spans(head, tokens, folded)
        best_start, words = _best_window(folded, spans, width)
        if best_start + width > SNIPPET_HEAD or not all(
            any(w.startswith(t) for w in words) for t in tokens
        ):
            spans = []
    if not spans and tokens:
        folded = fold(text)
        spans = _match_spans(text, tokens, folded)
        best_start, _words = _best_window(folded, spans, width)
    if best_start > 0:
        space = text.find(" ", best_start)
        best_start = space + 1 if 0 <= space < best_start + 20 else best_start
    end = min(len(text), best_start + width)
    body = highlight(text, tokens, spans, best_start, end)
    prefix = "… " if best_start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + body.replace("\n", " ") + suffix)  # built from escaped parts
