"""How garbled a text looks: :class:`GarbleScore` and :func:`score`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from congdoan.text.lm import SyllableLM
from congdoan.text.vietnamese import fold, has_marks, nfc, normalize_tone

# Letters Vietnamese writes (lower case); anything else inside a word is an engine's guess.
_VIET_LETTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
)
# Common English words that no Vietnamese syllable folds to, and the share of them above
# which a line reads as English.
_ENGLISH = frozenset(
    [
        "and",
        "of",
        "for",
        "with",
        "was",
        "this",
        "is",
        "are",
        "will",
        "from",
        "by",
        "have",
        "has",
        "or",
        "which",
        "their",
        "they",
        "its",
        "we",
        "you",
        "were",
        "been",
        "would",
        "should",
        "what",
        "when",
        "there",
        "these",
        "those",
        "our",
        "your",
        "his",
        "her",
        "into",
        "about",
        "who",
        "whom",
        "how",
        "why",
        "please",
    ]
)
ENGLISH_SHARE = 0.12
# Text with marks on this share of its words or more, most of them right, was typed, not
# garbled by an engine.
TYPED_MARKED_SHARE = 0.5
_WORD_RE = regex.compile(r"[\p{L}\p{N}@¢©]*\p{L}[\p{L}\p{N}@¢©]*")
_DIGIT_WORD_RE = regex.compile(r"^(?:\p{Lu}?\p{Ll}*[0-9@¢©]\p{Ll}+|\p{Lu}?\p{Ll}+[0-9@¢©])$")


@dataclass(frozen=True)
class GarbleScore:
    """How garbled a text looks.

    ``words``: words of two letters or more counted; ``not_vietnamese``: share of them that
    are no Vietnamese syllable, with or without their marks; ``odd_marks``: share that carry
    marks Vietnamese never puts there (a marked word that is no syllable, a letter outside
    the Vietnamese alphabet); ``digits``: share with a digit inside; ``marked``: share with
    marks at all; ``english``: share of common English words that no Vietnamese syllable
    folds to ("and", "with", "which").
    """

    words: int
    not_vietnamese: float
    odd_marks: float
    digits: float
    marked: float
    english: float = 0.0

    @property
    def foreign(self) -> bool:
        """Reads as English (a paragraph inside a Vietnamese text)."""
        return self.words >= 3 and self.english >= ENGLISH_SHARE and self.english * self.words >= 2

    @property
    def clean(self) -> bool:
        """Reads as accented Vietnamese with nothing garbled."""
        return self.words > 0 and self.marked >= 0.4 and not self.odd_marks and not self.digits

    @property
    def garbled(self) -> bool:
        if self.words == 0:
            return False
        typed = self.marked >= TYPED_MARKED_SHARE and self.odd_marks < 0.5 * self.marked
        if self.foreign or typed:
            # English; or accented text, typed (with typos perhaps: the restorer's work): an
            # engine without Vietnamese leaves marks on few words.
            return False
        if self.digits >= 0.05 and self.digits * self.words >= 1:
            return True
        return bool(
            self.odd_marks * self.words >= 1 and (self.odd_marks >= 0.05 or self.marked < 0.3)
        )


def _lm() -> SyllableLM | None:
    return SyllableLM.default()


@lru_cache(maxsize=100_000)
def _facts(word: str) -> tuple[bool, bool, bool, bool]:
    """(syllable as written, syllable once its marks are taken off, odd marks, digit inside)."""
    lm = _lm()
    low = nfc(word.lower())
    letters = "".join(c for c in low if c.isalpha())
    digit = bool(_DIGIT_WORD_RE.search(word))
    odd_letter = any(c not in _VIET_LETTERS for c in letters)
    if lm is None:
        return False, False, odd_letter, digit
    viet = normalize_tone(low) in lm.index
    plain = fold(letters) in lm.candidates
    odd = odd_letter or (has_marks(low) and not viet)
    return viet, plain, odd, digit


def score(text: str) -> GarbleScore:
    """How garbled ``text`` looks (see :class:`GarbleScore`)."""
    words = [w for w in _WORD_RE.findall(text) if len(w) > 1 and not w.isupper()]
    n = len(words)
    if not n:
        return GarbleScore(0, 0.0, 0.0, 0.0, 0.0)
    not_viet = odd = digits = marked = english = 0
    for w in words:
        english += w.lower() in _ENGLISH
        viet, plain, odd_marks, digit = _facts(w)
        if not viet and not plain:
            not_viet += 1
        odd += odd_marks
        digits += digit
        marked += has_marks(w)
    return GarbleScore(n, not_viet / n, odd / n, digits / n, marked / n, english / n)
