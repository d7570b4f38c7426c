"""The ranking's word lists, read once per process: the dictionary words that segmentation
finds (Viet74K, folded), the stop words and the workers' vocabulary (`legal/data/`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from congdoan.legal.search.engine import Analyzer, Synonyms, syllables
from congdoan.text import fold
from congdoan.text.correct import SHORTHAND
from congdoan.text.lexicon import syllable_counts, word_set

DATA = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=1)
def compounds() -> frozenset[str]:
    """Multi-syllable words of the dictionary and of the workers' vocabulary, folded."""
    out = {" ".join(syllables(w)) for w in word_set() if " " in w}
    for line in (DATA / "synonyms.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0]
        for phrase in line.replace("<=", ",").replace(";", ",").split(","):
            sylls = syllables(phrase)
            if 2 <= len(sylls) <= 4:
                out.add(" ".join(sylls))
    return frozenset(s for s in out if s.count(" ") >= 1)


@lru_cache(maxsize=1)
def folded_syllables() -> frozenset[str]:
    """Every Vietnamese syllable, folded: what a question in another tongue mostly lacks."""
    return frozenset(fold(s) for s in syllable_counts())


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    words: set[str] = set()
    for line in (DATA / "stopwords.txt").read_text(encoding="utf-8").splitlines():
        words.update(line.split("#", 1)[0].split())
    return frozenset(words)


@lru_cache(maxsize=1)
def synonyms() -> Synonyms:
    return Synonyms.parse((DATA / "synonyms.txt").read_text(encoding="utf-8").splitlines())


@lru_cache(maxsize=1)
def shorthand() -> dict[str, str]:
    """Chat shorthand → words: the toolkit's, and the labour vocabulary's (data/shorthand.txt)."""
    out = {k: v for k, v in SHORTHAND.items() if " " not in k}
    for line in (DATA / "shorthand.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0]
        if "=" in line:
            short, long = (part.strip() for part in line.split("=", 1))
            if short and long:
                out[short.lower()] = long
    return out


@lru_cache(maxsize=1)
def analyzer() -> Analyzer:
    return Analyzer(compounds(), stopwords(), shorthand())
