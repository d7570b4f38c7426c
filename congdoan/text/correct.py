"""Candidate corrections for words that are not Vietnamese syllables (typos, OCR noise).

The restorer asks :func:`corrections` for a word it cannot read; it returns accented
syllables with a log-penalty each, and the language model decides in context whether any
of them beats keeping the word as it came. Sources of candidates, cheapest first:

1. Telex typed without an input method: "khoong" → không, "lafm" → làm, "ddi" → đi;
2. OCR confusions on the folded word: P read for Đ, "ti" for ủ, "rn" for m, "ii" for ư,
   digits for letters (6 → ố, 0 → o, 1 → l), a stray digit or symbol inside a word;
3. one edit (deletion, insertion, substitution, transposition) on the folded word that
   lands on a folded syllable, then every accented form of it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from congdoan.text.lm import SyllableLM
from congdoan.text.vietnamese import fold, normalize_tone, place_tone

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"

# Telex: vowel shapes and đ, then the tone keys s f r x j.
_TELEX_SHAPES = (
    ("aa", "â"),
    ("aw", "ă"),
    ("ee", "ê"),
    ("oo", "ô"),
    ("ow", "ơ"),
    ("uw", "ư"),
    ("dd", "đ"),
)
_TELEX_TONES = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}

# OCR confusions and phonetic / teencode spellings on folded text: (seen, meant).
_OCR_RULES = (
    ("f", "ph"),
    ("tk", "th"),
    ("ck", "ch"),
    ("nk", "nh"),
    ("gk", "gh"),
    ("j", "gi"),
    ("z", "d"),
    ("dz", "d"),
    ("w", "qu"),
    ("ti", "u"),
    ("rn", "m"),
    ("ii", "u"),
    ("cl", "d"),
    ("li", "h"),
    ("1", "l"),
    ("0", "o"),
    ("6", "o"),
    ("4", "a"),
    ("5", "s"),
    ("8", "a"),
    ("9", "g"),
    ("3", "e"),
    ("p", "d"),
    ("f", "t"),
    ("l", "i"),
    ("i", "l"),
    ("c", "e"),
    ("e", "c"),
    ("u", "n"),
    ("n", "u"),
    ("h", "b"),
    ("b", "h"),
    ("k", "h"),
)

PENALTY_TELEX = -1.0
PENALTY_SHORTHAND = -1.0

# Chat shorthand that is never a syllable itself.
SHORTHAND = {
    "đc": "được",
    "dc": "được",
    "đk": "được",
    "ko": "không",
    "khg": "không",
    "hok": "không",
    "hk": "không",
    "kh": "không",
    "ng": "người",
    "ngta": "người",
    "vs": "với",
    "mn": "mọi",
    "bn": "bao",
    "cx": "cũng",
    "cg": "cũng",
    "trc": "trước",
    "tr": "trước",
    "đt": "điện",
    "nc": "nước",
    "nt": "nhắn",
    "ck": "chồng",
    "vk": "vợ",
    "j": "gì",
    "z": "vậy",
}
PENALTY_OCR = -3.0
PENALTY_EDIT = -4.5


def telex_decode(word: str) -> list[str]:
    """Readings of a word typed in Telex without an input method ("lafm" → ["làm"])."""
    low = word.lower().replace("đ", "dd")
    if not low.isascii() or not low.isalpha() or len(low) < 2:
        return []
    readings: list[str] = []
    # The tone key may come at the end or straight after the vowel it marks ("hosa").
    options = [(low, "")]
    for pos in range(1, len(low)):
        key = low[pos]
        if key in _TELEX_TONES and any(v in low[:pos] for v in "aeiouy"):
            options.append((low[:pos] + low[pos + 1 :], _TELEX_TONES[key]))
    for body, tone in options:
        changed = bool(tone)
        for seen, meant in _TELEX_SHAPES:
            if seen in body:
                body = body.replace(seen, meant, 1)
                changed = True
        if "w" in body:
            # A bare w: ư on its own, or the horn of u / o next to it ("dduwowjc").
            body = (
                body.replace("uow", "ươ").replace("uơ", "ươ").replace("ow", "ơ").replace("w", "ư")
            )
            changed = True
        if not changed:
            continue
        body = unicodedata.normalize("NFC", body)
        if tone:
            body = place_tone(body, tone)
        readings.append(normalize_tone(body))
    return readings


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return deletes | transposes | replaces | inserts


def _ocr_variants(folded: str) -> set[str]:
    out: set[str] = set()
    for seen, meant in _OCR_RULES:
        start = folded.find(seen)
        while start >= 0:
            out.add(folded[:start] + meant + folded[start + len(seen) :])
            start = folded.find(seen, start + 1)
    # A stray digit or symbol inside a word.
    stripped = "".join(c for c in folded if c.isalpha())
    if stripped != folded:
        out.add(stripped)
    return out


@lru_cache(maxsize=65536)
def corrections(word: str) -> tuple[tuple[str, float], ...]:
    """(syllable, log-penalty) candidates for a word that is not a syllable; best first."""
    lm = SyllableLM.default()
    if lm is None or not word or len(word) > 12:
        return ()
    known = lm.candidates
    low = unicodedata.normalize("NFC", word.lower())
    found: dict[str, float] = {}

    def add(syllable: str, penalty: float) -> None:
        if syllable in lm.index and found.get(syllable, -1e9) < penalty:
            found[syllable] = penalty

    if low in SHORTHAND:
        add(SHORTHAND[low], PENALTY_SHORTHAND)
    for reading in telex_decode(low):
        add(reading, PENALTY_TELEX)
    folded = fold(low)
    marked = low != folded
    for variant in _ocr_variants(folded):
        if variant in known:
            for form in lm.forms(variant):
                add(form, PENALTY_OCR + _mark_bonus(low, form, marked))
    if folded.isalpha():
        for variant in _edits1(folded):
            if variant in known:
                for form in lm.forms(variant):
                    add(form, PENALTY_EDIT + _mark_bonus(low, form, marked))
    ranked = sorted(found.items(), key=lambda p: (-p[1], -lm.unigram[lm.index[p[0]]]))
    return tuple(ranked[:12])


# Spellings that people (and regional accents) confuse; every result is a real word, so a
# change needs strong support from the context.
_ONSETS = (
    "ngh",
    "tr",
    "ch",
    "gi",
    "gh",
    "kh",
    "ng",
    "nh",
    "ph",
    "qu",
    "th",
    "b",
    "c",
    "d",
    "đ",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "x",
)
_ONSET_SWAPS = {
    "tr": ("ch",),
    "ch": ("tr",),
    "d": ("gi", "r"),
    "gi": ("d", "r"),
    "r": ("d", "gi"),
    "s": ("x",),
    "x": ("s",),
    "l": ("n",),
    "n": ("l",),
}
_FINAL_SWAPS = (
    ("ng", ("n",)),
    ("nh", ("n",)),
    ("ch", ("t",)),
    ("n", ("ng", "nh")),
    ("c", ("t",)),
    ("t", ("c",)),
)
PENALTY_REAL_WORD = -8.5


@lru_cache(maxsize=65536)
def confusions(word: str) -> tuple[str, ...]:
    """Real syllables one common spelling confusion away: tr/ch, d/gi/r, s/x, l/n, n/ng/nh, c/t."""
    lm = SyllableLM.default()
    if lm is None:
        return ()
    low = word.lower()
    out: list[str] = []
    onset = next((o for o in _ONSETS if low.startswith(o)), "")
    rest = low[len(onset) :]
    for other in _ONSET_SWAPS.get(onset, ()):
        out.append(other + rest)
    for final, others in _FINAL_SWAPS:
        if rest.endswith(final) and len(rest) > len(final):
            out.extend(low[: len(low) - len(final)] + other for other in others)
            break
    return tuple(
        w for w in dict.fromkeys(normalize_tone(w) for w in out) if w in lm.index and w != low
    )


def _mark_bonus(observed: str, form: str, marked: bool) -> float:
    """A form that keeps the marks the writer did type is more likely."""
    if not marked:
        return 0.0
    obs = {c for c in observed if not c.isascii()}
    got = {c for c in form if not c.isascii()}
    return 1.0 if obs and obs <= got else 0.0
