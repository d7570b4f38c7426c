"""The words search sees: a document's two folded copies and a query's tokens.

Text is folded (no marks, lower case, đ→d) and cut into [a-z0-9] tokens joined by spaces, so
that every engine (FTS5, PostgreSQL, tantivy) sees the same words and is accent-insensitive by
construction. `Document.folded` (title, number, issuer and text) decides what matches;
`Document.head_folded` (title and number) is what a document is about: a match there ranks
first. Pure functions over text: no database here.
"""

from __future__ import annotations

from functools import lru_cache

import regex
from django.utils import translation

from congdoan.library.models import Document
from congdoan.text import fold
from congdoan.text.lexicon import syllable_counts

_TOKEN_RE = regex.compile(r"[a-z0-9]+")
MAX_QUERY_TOKENS = 12


def fold_for_index(*parts: str) -> str:
    return " ".join(_TOKEN_RE.findall(fold(" ".join(p for p in parts if p))))


def index_words(title: str, number: str, issuer: str, text: str) -> tuple[str, str]:
    """(head_folded, folded) of a document: its title and number; those with its issuer and text.
    The issuer stays out of the head: "liên đoàn lao động…" heads every paper of a federation."""
    return fold_for_index(title, number), fold_for_index(title, number, issuer, text)


def document_index_words(doc: Document) -> tuple[str, str]:
    """`index_words` of a Document, its title as shown ("Kế hoạch" + trích yếu: the type is
    part of what a clerk calls the paper), always in Vietnamese whatever the officer's language."""
    with translation.override("vi"):
        title = doc.display_title
    return index_words(title, doc.number, doc.issuer, doc.text)


def query_tokens(query: str) -> list[str]:
    return _TOKEN_RE.findall(fold(query or ""))[:MAX_QUERY_TOKENS]


@lru_cache(maxsize=1)
def whole_words() -> frozenset[str]:
    """Every Vietnamese syllable, folded: a last query word among them is typed in full."""
    return frozenset(fold(s) for s in syllable_counts())
