"""Diacritics and OCR-noise restoration.

How it works (steps):
1. a line typed in a legacy font (VNI, TCVN3) is converted; binary garbage and lines that
   are mostly not Vietnamese are returned as they came;
2. the line is cut into units: protected spans (URLs, e-mail addresses, HTML tags,
   numbers and codes such as "12/KH-LĐLĐ", file names) are copied through; letter runs
   are *slots*; punctuation marks are context for the model;
3. the line is judged accented (≥ 30 % of its syllables carry marks) or not, and each
   slot gets candidates with a log-score:
   - a plain syllable in unaccented text: every accented form of its letters
     ("cong" → công, cộng, cổng, …);
   - a syllable that carries marks in unaccented text (OCR): its other forms, penalised;
   - a valid syllable in accented text: kept, except for common spelling confusions
     (tr/ch, d/gi/r, n/ng, …) that the context must strongly support;
   - a word that is no syllable: Telex, shorthand, OCR and one-edit corrections
     (:mod:`congdoan.text.correct`) against keeping it as it came;
   - initials, lone capital abbreviations (UBND) and parts of hyphenated names: kept;
4. the syllable trigram model (:mod:`congdoan.text.lm`) picks the best sequence with a
   second-order Viterbi search, many lines at once;
5. the case of every character is copied back, so "CONG TY" becomes "CÔNG TY" and
   "Ha Noi" becomes "Hà Nội";
6. in a document (several lines of one text), each plain syllable's form is also pushed
   towards the form the text chose for it elsewhere, and the lines are decoded again
   (:mod:`congdoan.text.context`).

A line that has nothing to improve comes back exactly as it came.

The package: `parts` (units, scores, result types), `lattice` (each word's candidates),
`restorer` (decoding, confidence, the shared instance).
"""

from __future__ import annotations

from congdoan.text.restore.parts import (
    MAX_LINE,
    Lexicon,
    Restoration,
    Slot,
    WordChoice,
)
from congdoan.text.restore.restorer import (
    Restorer,
    default_restorer,
    restore,
    restore_lines,
)

__all__ = [
    "MAX_LINE",
    "Lexicon",
    "Restoration",
    "Restorer",
    "Slot",
    "WordChoice",
    "default_restorer",
    "restore",
    "restore_lines",
]
