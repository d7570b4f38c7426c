"""What a classifier sees of a text: folded word n-grams and character n-grams inside words
(legacy fonts converted first), so a text typed without diacritics gets the same features."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from typing import Any

from congdoan.text.legacy import convert_legacy
from congdoan.text.lexicon import is_syllable
from congdoan.text.vietnamese import fold, normalize_tone

log = logging.getLogger(__name__)

MODEL_FILE = "model.npz"
META_FILE = "meta.json"


@dataclass
class FeatureConfig:
    word_ngrams: int = 3
    char_min: int = 1
    char_max: int = 5
    # False: features of the folded text (accent-blind, the fast model). True: of the text with
    # its diacritics, lower-cased, tones in their new-style place; the input is then meant to be
    # :func:`encoder_texts` output (legacy fonts converted, marks restored when missing).
    marks: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The settings as ``meta.json`` records them (``FeatureConfig(**as_dict())`` is equal)."""
        out: dict[str, Any] = {
            "word_ngrams": self.word_ngrams,
            "char_min": self.char_min,
            "char_max": self.char_max,
        }
        if self.marks:  # absent from older meta files: they load as marks=False
            out["marks"] = True
        return out


def _clean(text: str, marks: bool = False) -> str:
    """Folded text; legacy fonts converted first (tone placement does not matter once folded).
    With ``marks``: lower-cased NFC with the tone of each syllable in its new-style place
    (the text is :func:`encoder_texts` output, already converted)."""
    if not text:
        return ""
    if marks:
        return " ".join(
            normalize_tone(w) for w in unicodedata.normalize("NFC", text).lower().split()
        )
    return fold(convert_legacy(text, is_syllable))


def word_features(toks: list[str], config: FeatureConfig) -> list[str]:
    """Word 1..n-grams; a word is its letters and digits (a bare symbol run stays itself)."""
    # Most tokens are letters and digits only: skip the per-character filter for them.
    words = [t if t.isalnum() else ("".join(ch for ch in t if ch.isalnum()) or t) for t in toks]
    feats = ["w " + w for w in words]
    for n in range(2, config.word_ngrams + 1):
        feats.extend("w " + " ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return feats


def char_features(token: str, config: FeatureConfig) -> list[str]:
    """Character n-grams of one token, padded with < and >."""
    padded = f"<{token}>"
    size = len(padded)
    feats: list[str] = []
    for n in range(config.char_min, min(config.char_max, size) + 1):
        feats.extend(padded[i : i + n] for i in range(size - n + 1))
    return feats


def extract(text: str, config: FeatureConfig) -> list[str]:
    """Feature strings of one text (with repeats: counts matter)."""
    toks = _clean(text, config.marks).split()
    feats = word_features(toks, config)
    for t in toks:
        feats.extend(char_features(t, config))
    return feats
