"""Text layers that read as garbled: found, repaired, or read again, and how well each reads.

A PDF's text layer made by a scanner's own OCR or a generic converter, without Vietnamese,
reads "Pay manh cong tic truyén thong" for "Đẩy mạnh công tác truyền thông". This module is
the library's side of the toolkit's `congdoan.text.garbled`:

- `check(text)`: whether a page's own text is garbled, with the toolkit's measures (share of
  syllables that are not Vietnamese, marks where Vietnamese never puts them, digits inside
  words);
- `repair(text)`: the toolkit's repair, with the deployment's unit names as known words
  (`unit_words`), and its changes as [start, end, original, replacement] on the input;
- `lm_score(text)`: the language model's mean log-probability per syllable
  (`congdoan.text.lm`), by which the pipeline chooses between the repaired layer and a fresh
  OCR of the page image (`prefer_ocr`);
- `marked(original, changes)`: the original and the repaired text cut into pieces, the
  changed ones marked, for the page that shows them side by side.

The toolkit's module is read through `_toolkit()`: where it gives None, no layer is found
garbled and every text is kept as it is.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from congdoan.orgs.models import Unit
from congdoan.text import garbled
from congdoan.text.lm import SyllableLM
from congdoan.text.vietnamese import has_marks

log = logging.getLogger("congdoan.library")

Change = tuple[int, int, str, str]


def _toolkit() -> ModuleType | None:
    """The toolkit's module; the callers read None as "nothing is garbled"."""
    return garbled


@dataclass(frozen=True)
class LayerCheck:
    garbled: bool
    measures: dict[str, Any]


def _measures(score: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(score) and not isinstance(score, type):
        values = dataclasses.asdict(score)
    else:
        values = {k: v for k, v in vars(score).items() if not k.startswith("_")}
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, bool | int | str) or value is None:
            out[key] = value
        elif isinstance(value, float):
            out[key] = round(value, 4) if math.isfinite(value) else None
    return out


def lacks_marks(text: str) -> bool:
    """Vietnamese that lost its marks (fewer than 8% of 20 words or more carry one): what an
    engine without Vietnamese reads; unless it is garbled too (odd marks, digits inside
    words: `check`), diacritics restoration gives the marks back (pipeline.document_finalize)."""
    words = [w for w in text.split() if w.isalpha()]
    if len(words) < 20:
        return False
    return sum(1 for w in words if has_marks(w)) / len(words) < 0.08


def check(text: str) -> LayerCheck:
    """Whether a page's own text is garbled, by the toolkit's measures."""
    garbled = _toolkit()
    if garbled is None or not text.strip():
        return LayerCheck(False, {})
    score = garbled.score(text)
    return LayerCheck(bool(score.garbled), _measures(score))


# Unit names are re-read at most this often (seconds): units are renamed or added rarely.
UNIT_WORDS_MAX_AGE = 600


@lru_cache(maxsize=1)
def _unit_words_of(stamp: tuple[int, int, int]) -> tuple[str, ...]:
    names: list[str] = []
    for row in Unit.objects.values_list("name", "short_name", "employer_name"):
        names += [n for n in row if n]
    return tuple(dict.fromkeys(names))


def unit_words() -> tuple[str, ...]:
    """The names of the deployment's units (and their employers): known words for the repair,
    so that "Phú Xuyên" or "May Phú Minh" are read as the names they are."""
    seen = Unit.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return _unit_words_of(
        (seen["n"] or 0, seen["last"] or 0, int(time.monotonic() // UNIT_WORDS_MAX_AGE))
    )


@dataclass(frozen=True)
class Repaired:
    text: str
    changes: list[Change]


def repair(text: str) -> Repaired:
    """The toolkit's repair of a garbled text, with the unit names as known words."""
    garbled = _toolkit()
    if garbled is None:
        return Repaired(text, [])
    result = garbled.repair(text, extra_words=unit_words())
    changes = [
        (int(start), int(end), str(old), str(new)) for start, end, old, new in result.changes
    ]
    return Repaired(result.text, changes)


def lm_score(text: str) -> float | None:
    """The language model's mean log-probability per token of the text
    (`SyllableLM.mean_logprob`, rounded to 4 places for the page's scores); higher reads
    better. None when the model is not installed or the text has no words."""
    model = SyllableLM.default()
    if model is None:
        return None
    score = model.mean_logprob(text)
    return None if score is None else round(score, 4)


def prefer_ocr(repaired: float | None, fresh: float | None) -> bool:
    """Whether the fresh OCR reads better than the repaired text layer: its score is higher by
    more than LIBRARY_GARBLED_OCR_MARGIN nats per token (the repair keeps the layer's own
    words and line breaks, so it wins a tie)."""
    if fresh is None:
        return False
    if repaired is None:
        return True
    margin = float(getattr(settings, "LIBRARY_GARBLED_OCR_MARGIN", 0.25))
    return fresh > repaired + margin


@dataclass(frozen=True)
class Piece:
    text: str
    changed: bool = False
    other: str = ""  # the other side of a changed piece (its replacement, or what it replaced)


def marked(original: str, changes: Sequence[Sequence[Any]]) -> tuple[list[Piece], list[Piece]]:
    """The original and the repaired text as pieces, the changed words marked on both sides.
    Changes that overlap an earlier one or fall outside the text are skipped."""
    before: list[Piece] = []
    after: list[Piece] = []
    at = 0
    for change in sorted(changes, key=lambda c: (int(c[0]), int(c[1]))):
        start, end, old, new = int(change[0]), int(change[1]), str(change[2]), str(change[3])
        if start < at or end > len(original) or start > end:
            continue
        if start > at:
            before.append(Piece(original[at:start]))
            after.append(Piece(original[at:start]))
        old = original[start:end]
        if old:
            before.append(Piece(old, True, new))
        if new:
            after.append(Piece(new, True, old))
        at = end
    if at < len(original):
        before.append(Piece(original[at:]))
        after.append(Piece(original[at:]))
    return before, after


def apply(original: str, changes: Sequence[Sequence[Any]]) -> str:
    """The text the changes make of the original (as `marked` reads them)."""
    return "".join(p.text for p in marked(original, changes)[1])
