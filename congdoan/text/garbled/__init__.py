"""Vietnamese that an OCR engine without Vietnamese garbled: detect it, and repair it.

An engine that knows only English reads "Đẩy mạnh công tác truyền thông" as "Pay manh cong
tic truyén thong": marks lost, wrong (é for ề, ế, ệ) or turned into digits and other letters
("s6" for số, "x4y" for xây, "LPLD" for LĐLĐ). :func:`score` measures how garbled a text
looks; :func:`repair` reads it back.

How repair works (a noisy channel, decoded by the toolkit's language model):
1. each line is judged: a line that reads as clean accented Vietnamese, or as a line
   without any marks, goes to the ordinary restorer (:mod:`congdoan.text.restore`), so clean
   text stays as it is and text typed without marks is restored as before; a garbled line
   (marks where Vietnamese never puts them, syllables that are not Vietnamese, digits inside
   words) is decoded here;
2. the line is cut into units as the restorer cuts it (URLs, e-mail addresses, numbers and
   codes such as 01/CTr-BCH pass through), except that a lower-case word with a digit or
   "@" inside ("s6", "x4y", "tru@c") and a lone "6", "&" or "@" are words here;
3. every word gets candidate syllables with the log-probability that the engine printed it
   for them, log P(seen | syllable): from the table of whole words seen in the rendered and
   OCR'd training pages, and from a character model (each letter of a syllable printed as
   zero, one or two characters, P learnt from the same pages) searched over a trie of the
   language model's syllables; a word may also stay as it came (a name, an English word) at a
   penalty;
4. the syllable trigram model picks the best sequence (second-order Viterbi, many lines at
   once); the case of each word is copied back; names passed as ``extra_words`` (the
   deployment's units) get a bonus where two of their syllables are candidates side by side.

The confusion model (``models/garbled/confusions.json.gz``) is built by
``python -m congdoan_dev.textbuild.garbled`` (docs/text.md, "Garbled OCR").

The package: `scoring` (how garbled a text looks), `channel` (the confusion model), `decode`
(the repairer, :func:`repair`), `edits` (the repaired lines and their changes), `data` (the
rendered-and-OCR'd pairs the figures read).
"""

from __future__ import annotations

from congdoan.text.garbled.channel import MODEL_DIR, MODEL_FILE, ConfusionModel
from congdoan.text.garbled.data import PAGE, data_dir, read_pairs, repair_pages
from congdoan.text.garbled.decode import GarbleRepairer, default_repairer, repair, repair_lines
from congdoan.text.garbled.edits import Repair
from congdoan.text.garbled.scoring import _ENGLISH, GarbleScore, score

__all__ = [
    "MODEL_DIR",
    "MODEL_FILE",
    "PAGE",
    "_ENGLISH",
    "ConfusionModel",
    "GarbleRepairer",
    "GarbleScore",
    "Repair",
    "data_dir",
    "default_repairer",
    "read_pairs",
    "repair",
    "repair_lines",
    "repair_pages",
    "score",
]
