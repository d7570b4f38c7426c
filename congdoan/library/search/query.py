"""A query written in each engine's own syntax: an FTS5 MATCH expression, a tsquery.

Every word must match. The last word is taken as a prefix while it cannot be a whole word yet
("ke hoach truyen th" finds "truyền thông"): a prefix makes the engine merge the lists of every
word it starts (FTS5 then builds the whole list in memory instead of walking it: 2–20× slower),
so a last word that is already a Vietnamese syllable, a number, or a word of three letters or
more that some document holds ("zalo", "fanpage") is matched whole (`last_is_prefix`).
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection

from congdoan.library.search.postgres import search_transaction, word_shares
from congdoan.library.search.words import whole_words


def last_is_prefix(tokens: list[str]) -> bool:
    """Whether the last word is still being typed: not a Vietnamese syllable, not a number, and
    not a word of three letters or more that some document holds ("zalo", "fanpage", "pdf")."""
    last = tokens[-1]
    if last.isdigit() or last in whole_words():
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


def fts5_query(tokens: list[str], *, phrase: bool = False) -> str:
    star = "*" if last_is_prefix(tokens) else ""
    if phrase:
        return f'"{" ".join(tokens)}"{star}'
    return " ".join(f'"{t}"' for t in tokens) + star


def tsquery(tokens: list[str], *, phrase: bool = False) -> str:
    last = tokens[-1] + (":*" if last_is_prefix(tokens) else "")
    return (" <-> " if phrase else " & ").join([*tokens[:-1], last])
