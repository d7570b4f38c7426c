"""Full-text search behind one interface, accent-insensitive on every backend.

What is indexed is `Document.folded`: title and text, folded (no marks, lower case, đ→d)
and cut into [a-z0-9] tokens joined by spaces, so that both engines see the same words:
- SQLite: an FTS5 table (`library_document_fts`, external content on `library_document`,
  kept in step by triggers created in migration 0002), ranked by bm25;
- PostgreSQL: a generated `tsvector` column over `folded` ('simple' configuration) with a
  GIN index (migration 0002) decides what matches; ranking is ts_rank over a small generated
  vector of the head of `folded` (title, number, issuer, first words: migration 0003), ties
  broken by date, and the query runs with sequential scans off (`search_transaction`), so
  that a common word is answered from the index instead of scanning every tsvector.
The selector (`selectors._bounded_page`) ranks only the newest matches, at most
`selectors.BOUNDED_CANDIDATES`, so that a common word does not cost a score for every match.
A query is folded and tokenised the same way; all words must match, the last one as a prefix
(so a query typed halfway already finds). Snippets are cut from the original text, with
<mark> around words that match, everything else escaped.
"""

from __future__ import annotations

import html
import json
import unicodedata
from collections.abc import Iterator
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


def query_tokens(query: str) -> list[str]:
    return _TOKEN_RE.findall(fold(query or ""))[:MAX_QUERY_TOKENS]


def apply_search(qs: QuerySet[Any], tokens: list[str]) -> QuerySet[Any]:
    """Keep the documents that match every token and annotate `score` (higher is better)."""
    if not tokens:
        return qs
    if connection.vendor == "postgresql":
        expr = " & ".join([*tokens[:-1], tokens[-1] + ":*"])
        return qs.extra(
            select={"score": "ts_rank(library_document.search_head, to_tsquery('simple', %s))"},
            select_params=[expr],
            where=["library_document.search_tsv @@ to_tsquery('simple', %s)"],
            params=[expr],
        )
    if connection.vendor == "sqlite":
        expr = " ".join(f'"{t}"' for t in tokens[:-1]) + f' "{tokens[-1]}"*'
        return qs.extra(
            select={"score": "-bm25(library_document_fts)"},
            tables=["library_document_fts"],
            where=["library_document_fts.rowid = library_document.id", "library_document_fts MATCH %s"],
            params=[expr.strip()],
        )
    # Any other database: a slow but correct fallback on the folded column.
    for token in tokens:
        qs = qs.filter(folded__contains=token)
    return qs.extra(select={"score": "0"})


def only_ids(qs: QuerySet[Any], ids: list[int]) -> QuerySet[Any]:
    """`qs` restricted to the given primary keys, passed as one parameter (a JSON array on SQLite,
    an array on PostgreSQL) rather than one parameter per id: a thousand candidates from the
    external engine cost one short statement to check."""
    if connection.vendor == "sqlite":
        return qs.extra(where=["library_document.id IN (SELECT value FROM json_each(%s))"], params=[json.dumps(ids)])
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
    return regex.compile(r"(?<![a-z0-9])(?:" + "|".join(regex.escape(t) for t in tokens) + r")[a-z0-9]*")


def _match_spans(text: str, tokens: list[str], folded: str | None = None) -> list[tuple[int, int]]:
    if not tokens:
        return []
    folded = fold(text) if folded is None else folded
    if len(folded) != len(text):  # should not happen for NFC text; then no highlighting
        return []
    return [m.span() for m in _match_pattern(tokens).finditer(folded)]


def highlight(text: str, tokens: list[str], spans: list[tuple[int, int]] | None = None, start: int = 0, end: int | None = None) -> SafeString:
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
        if best_start + width > SNIPPET_HEAD or not all(any(w.startswith(t) for w in words) for t in tokens):
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
