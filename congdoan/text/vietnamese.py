"""Vietnamese letters, tone marks and syllables: the shared low-level helpers.

Everything here works on single characters or single syllables and is cached, so the
higher layers (normalise, restore, classify) can call it per token without cost.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np

# Tone marks as combining characters (NFD): sắc, huyền, hỏi, ngã, nặng.
TONE_MARKS = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
# Vowel-shape marks: breve (ă), circumflex (â ê ô), horn (ơ ư).
SHAPE_MARKS = ("\u0306", "\u0302", "\u031b")

BASE_VOWELS = "aăâeêioôơuưy"
VOWELS_WITH_SHAPE = "ăâêôơư"


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xC0, 0x2000):
        ch = chr(cp)
        decomposed = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != ch and len(base) == 1 and base.isascii() and base.isalpha():
            table[cp] = base
    table[ord("đ")] = "d"
    table[ord("Đ")] = "D"
    # Letters outside NFD's reach that OCR and legacy fonts produce for đ.
    table[ord("ð")] = "d"
    table[ord("Ð")] = "D"
    table[ord("ɖ")] = "d"
    return table


_FOLD_TABLE = _build_fold_table()
_STRIP_TABLE = {k: v for k, v in _FOLD_TABLE.items() if k not in (ord("ð"), ord("Ð"), ord("ɖ"))}
# Combining marks left over in non-NFC input.
for _mark in (*TONE_MARKS, *SHAPE_MARKS):
    _FOLD_TABLE[ord(_mark)] = ""
    _STRIP_TABLE[ord(_mark)] = ""


def nfc(text: str) -> str:
    """`text` in NFC, with the Icelandic Eth (Ð, ð) that OCR reads now and then for Đ, đ turned
    back: Vietnamese never uses it."""
    return unicodedata.normalize("NFC", text).replace("Ð", "Đ").replace("ð", "đ")


def strip_marks(text: str) -> str:
    """Remove every Vietnamese diacritic and turn đ into d, keeping case and length.

    On NFC input the result has the same length as the input, character for character,
    which lets callers copy case or positions back and forth.
    """
    return text.translate(_STRIP_TABLE)


# The fold table as an array over the code points it touches (Latin to Latin Extended
# Additional, where every Vietnamese letter lives): a long text is folded by one array lookup,
# 5× faster than str.translate with a dict (which looks each character up in Python).
_LUT_SIZE = 0x2000
_DROP = 0xFFFFFFFF


def _build_fold_lut() -> np.ndarray:
    lut = np.arange(_LUT_SIZE, dtype=np.uint32)
    for cp, to in _FOLD_TABLE.items():
        if cp < _LUT_SIZE:
            lut[cp] = _DROP if to == "" else ord(to)
    return lut


_FOLD_LUT = _build_fold_lut()
_ARRAY_FOLD_FROM = 256  # characters: below this, str.translate is cheaper than the round trip


def fold(text: str) -> str:
    """Accent-insensitive key: lower case, no diacritics, đ→d ("Kế hoạch Đoàn" → "ke hoach doan")."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return text.lower()
    if len(text) < _ARRAY_FOLD_FROM:
        return text.translate(_FOLD_TABLE).lower()
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    inside = codes < _LUT_SIZE
    folded = _FOLD_LUT[np.where(inside, codes, 0)]
    folded = np.where(inside, folded, codes)
    if (folded == _DROP).any():  # combining marks left in non-NFC input
        folded = folded[folded != _DROP]
    return folded.tobytes().decode("utf-32-le").lower()


def has_marks(text: str) -> bool:
    """True when the text carries at least one Vietnamese diacritic or đ."""
    if text.isascii():
        return False
    return text.translate(_STRIP_TABLE) != text


@lru_cache(maxsize=65536)
def split_tone(syllable: str) -> tuple[str, str]:
    """Return (syllable without tone mark, tone mark or "") for a lower-case syllable."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = ""
    kept = []
    for c in decomposed:
        if c in TONE_MARKS:
            tone = c
        else:
            kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _vowel_span(toneless: str) -> tuple[int, int]:
    """Start and end (exclusive) of the vowel nucleus, skipping the onsets qu- and gi-."""
    low = toneless.lower()
    start = 0
    while start < len(low) and strip_marks(low[start]) not in "aeiouy":
        start += 1
    if start >= len(low):
        return -1, -1
    end = start
    while end < len(low) and strip_marks(low[end]) in "aeiouy":
        end += 1
    # "qu" + vowel and "gi" + vowel: the u / i belongs to the onset.
    if end - start >= 2 and start > 0 and (low[start - 1], low[start]) in (("q", "u"), ("g", "i")):
        start += 1
    return start, end


@lru_cache(maxsize=65536)
def place_tone(toneless: str, tone: str) -> str:
    """Put ``tone`` on the right vowel of ``toneless`` following the new-style rule.

    Steps:
    1. find the vowel nucleus (after qu-/gi- onsets);
    2. a vowel with a shape mark (ê ơ â ă ô ư) takes the tone (the last one: ươ → ơ);
    3. otherwise with a final consonant, or a nucleus of three vowels, the tone goes on
       the last / middle vowel; an open two-vowel nucleus takes it on the first vowel
       ("hòa", "thủy", "khỏe" — the new style the project uses).
    """
    if not tone:
        return toneless
    start, end = _vowel_span(toneless)
    if start < 0:
        return toneless
    nucleus = toneless[start:end]
    has_final = end < len(toneless)
    pos = -1
    for i in range(len(nucleus) - 1, -1, -1):
        if nucleus[i].lower() in VOWELS_WITH_SHAPE:
            pos = i
            break
    if pos < 0:
        if len(nucleus) == 1:
            pos = 0
        elif has_final:
            pos = len(nucleus) - 1
        elif len(nucleus) == 2:
            pos = 0
        else:
            pos = 1
    idx = start + pos
    marked = unicodedata.normalize("NFC", toneless[idx] + tone)
    return toneless[:idx] + marked + toneless[idx + 1 :]


@lru_cache(maxsize=65536)
def normalize_tone(word: str) -> str:
    """Move the tone mark of one syllable to its new-style place ("hoà" → "hòa").

    Words that do not look like a Vietnamese syllable (no vowel, several tone marks,
    digits) come back unchanged.
    """
    if not word or not word.isalpha():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in TONE_MARKS]
    if len(tones) != 1:
        return word
    toneless, tone = split_tone(word)
    start, end = _vowel_span(toneless)
    if start < 0 or end - start > 3:
        return word
    return place_tone(toneless, tone)
