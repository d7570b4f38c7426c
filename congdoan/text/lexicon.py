"""The syllable lexicon and word list shipped with the toolkit (built by ``build-models``)."""

from __future__ import annotations

import gzip
from functools import lru_cache

from congdoan.text.shipped import SYLLABLES_FILE, WORDS_FILE
from congdoan.text.vietnamese import normalize_tone


@lru_cache(maxsize=1)
def syllable_counts() -> dict[str, int]:
    """Lower-case, new-style syllable → corpus count."""
    counts: dict[str, int] = {}
    if not SYLLABLES_FILE.exists():
        return counts
    with gzip.open(SYLLABLES_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            syl, _, n = line.rstrip("\n").partition("\t")
            if syl:
                syl = normalize_tone(syl)
                counts[syl] = counts.get(syl, 0) + int(n or 1)
    return counts


def is_syllable(word: str) -> bool:
    """True for a lower-case word that is a known Vietnamese syllable (either tone style)."""
    counts = syllable_counts()
    return word in counts or normalize_tone(word) in counts


@lru_cache(maxsize=1)
def word_set() -> frozenset[str]:
    """Lower-case multi-syllable words (syllables joined by spaces) for segmentation."""
    if not WORDS_FILE.exists():
        return frozenset()
    with gzip.open(WORDS_FILE, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if " " in line.strip())
