"""Sentence and word segmentation.

We use a light own implementation instead of underthesea or pyvi: both work offline but
pull in CRF models and (for underthesea) heavy dependencies, while the feature code needs
only splitting that is fast and predictable. Words come from longest matching against the
Viet74K word list (about 63k multi-syllable words), which is what the CRF segmenters learn
most of their decisions from anyway.
"""

from __future__ import annotations

import regex

from congdoan.text.lexicon import word_set

# A sentence ends at . ! ? … followed by space and an upper-case letter, digit or quote,
# but not after common abbreviations and not inside numbers such as 1.000 or codes.
_SENT_END_RE = regex.compile(r"(?<=[.!?…]|[.!?…][\"”’)\]])\s+(?=[\"“‘(\[]?[\p{Lu}\p{N}])")
_ABBREVIATIONS = (
    "TP.",
    "Tp.",
    "ThS.",
    "TS.",
    "PGS.",
    "GS.",
    "BS.",
    "Q.",
    "P.",
    "St.",
    "Mr.",
    "Dr.",
)
_TOKEN_RE = regex.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+|\p{N}+(?:[.,/:-]\p{N}+)*|\p{L}[\p{L}\p{M}]*|\S",
)
MAX_WORD_SYLLABLES = 4


def sentences(text: str) -> list[str]:
    """Split text into sentences; line breaks always end a sentence."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        pieces = _SENT_END_RE.split(line)
        buffer = ""
        for piece in pieces:
            buffer = f"{buffer} {piece}" if buffer else piece
            if not buffer.endswith(_ABBREVIATIONS):
                out.append(buffer)
                buffer = ""
        if buffer:
            out.append(buffer)
    return out


def tokens(text: str) -> list[str]:
    """Syllables, numbers, URLs, e-mail addresses and single punctuation marks."""
    return _TOKEN_RE.findall(text)


def words(text: str) -> list[str]:
    """Split text into words; a multi-syllable word keeps its syllables joined by one space.

    ``words("Công đoàn cơ sở họp")`` → ``["Công đoàn", "cơ sở", "họp"]`` (the same convention
    as underthesea's ``word_tokenize``). Punctuation marks are their own tokens.
    """
    toks = tokens(text)
    lexicon = word_set()
    out: list[str] = []
    i = 0
    n = len(toks)
    while i < n:
        taken = 1
        if toks[i][0].isalpha():
            for size in range(min(MAX_WORD_SYLLABLES, n - i), 1, -1):
                chunk = toks[i : i + size]
                if all(t[0].isalpha() for t in chunk) and " ".join(chunk).lower() in lexicon:
                    taken = size
                    break
        out.append(" ".join(toks[i : i + taken]))
        i += taken
    return out
