"""What a results page shows of a hit: its title and a snippet, with <mark> around the query.

Snippets are cut from the original text (not the folded copy: folding keeps the length of NFC
text, so spans found on the folded text map back to the original characters), with <mark>
around the query's phrase and its rare words (not every "về" of the page: `_match_spans`),
everything else escaped.
"""

from __future__ import annotations

import html
import unicodedata
from functools import lru_cache

import regex
from django.utils.safestring import SafeString, mark_safe

from congdoan.library.search.words import whole_words
from congdoan.text import fold
from congdoan.text.lexicon import syllable_counts


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
    typed = not (last.isdigit() or last in whole_words())
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
