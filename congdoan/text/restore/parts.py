"""The pieces restoration works with: the units a line is cut into (protected spans, slots),
the scores and penalties, the result types (`Restoration`, `WordChoice`), the `Lexicon` of
known names, and small line helpers."""

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import regex

from congdoan.text.lm import BOUNDARY, COMMA, FOREIGN, NUMBER, SYMBOL
from congdoan.text.vietnamese import fold, normalize_tone

MAX_LINE = 200_000  # characters; longer lines are processed in pieces
SLOT = -1

# Spans copied through untouched: URLs, e-mail addresses, HTML tags and entities, numbers
# and codes (12/KH-LĐLĐ, 45/2019/QH14, COVID-19), abbreviations with dashes (KH-LĐLĐ),
# file and domain names, identifiers with underscores.
_PROTECTED = r"""
    (?:https?://|ftp://|www\.)\S+
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+
    | </?[A-Za-z][^<>]{0,200}> | &[#\w]{1,10};
    | [\p{L}\p{N}]*\p{N}[\p{L}\p{N}]*(?:[/.\-_:][\p{L}\p{N}]+)*
    | \p{Lu}+(?:[/\-]\p{Lu}+)+
    | \w+(?:\.\w+)*\.(?:docx?|pdf|xlsx?|pptx?|txt|jpg|png|com|vn|org|net|gov)\b
    | \w*_\w+
"""
# A lower-case word with one stray digit inside or at its end ("t5ạo", "đã9i", "ph6"):
# OCR or typing noise.
_NOISY = r"(?:\p{Ll}+\p{N}\p{Ll}+|\p{Ll}{2,}[013456789])(?![\p{L}\p{N}/.\-_:])"
_UNIT_RE = regex.compile(
    rf"(?x)(?P<noisy>{_NOISY})|(?P<protected>{_PROTECTED})|(?P<letters>\p{{L}}+)|(?P<other>[^\s\p{{L}}\p{{N}}])"
)


def _transfer_case(source: str, target: str) -> str:
    """Copy the case of ``source`` onto ``target`` (character by character when aligned)."""
    if source.islower():
        return target
    if len(source) != len(target):
        if source.isupper() and len(source) > 1:
            return target.upper()
        return target[:1].upper() + target[1:] if source[:1].isupper() else target
    return "".join(t.upper() if s.isupper() else t for s, t in zip(source, target, strict=True))


_COMMA_CHARS = frozenset(",;:")
_END_CHARS = frozenset(".!?…")
# A line where at least this share of the syllables carry marks is taken as accented
# text: its plain syllables are then left alone unless they cannot be Vietnamese as typed.
ACCENTED_LINE_SHARE = 0.3
# Log-score for changing marks that OCR did read, in text scanned without Vietnamese.
PENALTY_MARK_CHANGE = -3.0
# Extra log-score for correcting a capitalised word (names are often foreign, not typos).
PENALTY_CAPITALISED = -1.5
NOISY = -2


def split_units(
    line: str, unit_re: regex.Pattern[str], kinds: Mapping[str, int]
) -> list[tuple[int, int, str, int]]:
    """(start, end, text, kind) of the units of a line, as ``unit_re`` cuts it: a match of one
    of the named groups of ``kinds`` has that kind (SLOT, NOISY…); a ``protected`` one is a
    number or a foreign token; else a comma, a sentence end or a symbol (the language model's
    special ids). The restorer and the garbled-text repair cut lines so, each with its regex."""
    out: list[tuple[int, int, str, int]] = []
    for m in unit_re.finditer(line):
        tok = m.group(0)
        group = m.lastgroup
        kind = kinds.get(group or "")
        if kind is None:
            if group == "protected":
                kind = NUMBER if tok[0].isdigit() else FOREIGN
            elif tok in _COMMA_CHARS:
                kind = COMMA
            elif tok in _END_CHARS:
                kind = BOUNDARY
            else:
                kind = SYMBOL
        out.append((m.start(), m.end(), tok, kind))
    return out


# A word-list syllable seen fewer times than this in the corpus is not trusted as typed.
MIN_TRUSTED_COUNT = 20
MIN_TRUSTED_ODD_COUNT = 100
# Onset, vowels and final of a Vietnamese syllable (folded): rejects "cos", "fai", "sex".
_SHAPE_RE = regex.compile(
    r"^(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$"
)
# Log-score for adding marks to a plain word inside accented text.
PENALTY_ACCENT_IN_ACCENTED = -1.5
# Log-score for leaving a short lower-case non-word as it came.
PENALTY_KEEP_NONWORD = -4.5
# Below this log-probability a syllable is rare enough that a typo is the likelier reading.
RARE_LOGPROB = -13.0
# Words whose candidates and facts a restorer remembers (least recently used go first).
WORD_CACHE_SIZE = 50_000
# Log-bonus for the form a lexicon (the caller's known names) gives two or more syllables
# typed in a row ("phu minh" in a text from "Công ty May Phú Minh").
LEXICON_BONUS = 6.0


@dataclass
class Slot:
    """Candidate ids for one unit, their log-bonus (None: all 0) and the original text."""

    ids: np.ndarray
    bonus: np.ndarray | None
    original: str | None
    texts: list[str | None] | None = None  # the syllable of each id (None: special), on use


@dataclass(frozen=True)
class WordChoice:
    """One word the restorer chose among several forms, and how sure it was.

    ``start``/``end`` are offsets in the restored text. ``confidence`` is the probability
    of the chosen form against the word's other forms, its neighbours as chosen (the
    trigram scores that involve the word, and its bonus, normalised over its candidates).
    """

    start: int
    end: int
    original: str
    restored: str
    confidence: float

    @property
    def changed(self) -> bool:
        return self.original != self.restored


@dataclass(frozen=True)
class Restoration:
    """A restored text, the words decided in it and the least sure of them."""

    text: str
    words: tuple[WordChoice, ...] = ()

    @property
    def confidence(self) -> float:
        """The confidence of the least sure changed word (1.0 when nothing was changed)."""
        return min((w.confidence for w in self.words if w.changed), default=1.0)

    def doubtful(self, threshold: float) -> list[WordChoice]:
        """Changed words whose confidence is below ``threshold``."""
        return [w for w in self.words if w.changed and w.confidence < threshold]


class Lexicon:
    """Known names (units of the union tree, places, companies) that restoration prefers.

    Every run of two syllables of a name is remembered by its folded letters; when a text
    types that run, each syllable's form from the name gets ``LEXICON_BONUS``. Single
    syllables are not boosted (one syllable alone says too little).
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.pairs: dict[tuple[str, str], tuple[str, str]] = {}
        for name in names:
            syllables = [normalize_tone(w.lower()) for w in regex.findall(r"\p{L}+", name)]
            for a, b in itertools.pairwise(syllables):
                self.pairs.setdefault((fold(a), fold(b)), (a, b))

    def __len__(self) -> int:
        return len(self.pairs)


class _WordInfo(NamedTuple):
    marked: bool  # the word carries diacritics
    plain_syllable: bool  # its lower-case letters, as typed, are a syllable without marks
    folded_syllable: bool  # its letters with the marks taken off are a syllable


Prepared = tuple[
    list[tuple[int, int, str, int]], list[Slot | None], list[np.ndarray], list[np.ndarray | None]
]


def _in_compound(line: str, start: int, end: int) -> bool:
    """The word at ``line[start:end]`` is part of a hyphenated or dotted compound
    ("cát-xê", "T.Ư")."""
    before, after = line[max(start - 2, 0) : start], line[end : end + 2]
    return (
        before.endswith("-")
        or after.startswith("-")
        or (len(before) == 2 and before[1] == "." and before[0].isalpha())
        or (len(after) == 2 and after[0] == "." and after[1].isalpha())
    )


_BINARY_RE = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd\udc80-\udcff]")


def _looks_binary(line: str) -> bool:
    """Control characters, replacement characters or undecodable bytes in 2 % of the line."""
    bad = len(_BINARY_RE.findall(line))
    return bad > 0 and bad * 50 >= len(line)


def _split_long(line: str) -> list[str]:
    """Cut a very long line into pieces of at most MAX_LINE characters at spaces."""
    pieces: list[str] = []
    start = 0
    while len(line) - start > MAX_LINE:
        cut = line.rfind(" ", start + 1, start + MAX_LINE)
        if cut <= start:
            cut = start + MAX_LINE
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return pieces
