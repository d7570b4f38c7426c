"""Normalisation: NFC, one tone-mark placement, legacy fonts converted, whitespace tidied."""

from __future__ import annotations

import unicodedata

import regex

from congdoan.text.legacy import convert_legacy
from congdoan.text.lexicon import is_syllable
from congdoan.text.vietnamese import normalize_tone

_WORD_RE = regex.compile(r"\p{L}+")
_SPACES_RE = regex.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH_RE = regex.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def _fix_word(match: regex.Match[str]) -> str:
    word = match.group(0)
    if word.isascii():
        return word
    fixed = normalize_tone(word)
    # Only Vietnamese syllables move their mark ("café" is left alone).
    return fixed if fixed != word and is_syllable(fixed.lower()) else word


def decode(text: str) -> str:
    """Steps 1 and 2 of :func:`normalize` alone (NFC, zero-width characters dropped, legacy
    fonts converted): enough before ``fold``, which undoes the tone-mark and spacing steps."""
    text = _ZERO_WIDTH_RE.sub("", unicodedata.normalize("NFC", text))
    return "\n".join(convert_legacy(line, is_syllable) for line in text.split("\n"))


def normalize(text: str) -> str:
    """Return ``text`` in the project's canonical form.

    Steps:
    1. NFC, zero-width characters dropped;
    2. a line typed in a legacy VNI / TCVN3 font is converted to Unicode;
    3. tone marks moved to the new-style place ("hoà" → "hòa", "thuỷ" → "thủy");
    4. runs of spaces and tabs collapsed, each line stripped (line breaks are kept).
    """
    if not text:
        return text
    out = []
    for line in decode(text).split("\n"):
        line = _WORD_RE.sub(_fix_word, line)
        out.append(_SPACES_RE.sub(" ", line).strip())
    return "\n".join(out)
