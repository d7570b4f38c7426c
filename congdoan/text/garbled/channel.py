"""The confusion model: P(printed | letter) and P(printed word | syllable), learnt from
rendered-and-OCR'd pages, or a hand-made fallback when it is missing."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

from congdoan.text.garbled.scoring import _VIET_LETTERS
from congdoan.text.vietnamese import strip_marks

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "garbled"
MODEL_FILE = MODEL_DIR / "confusions.json.gz"
# A letter that the engine dropped is a candidate only above this log-probability.
MIN_SILENT = -4.0

# Hand-made character confusions, used when the learnt model is missing (the learnt one
# replaces them): truth letter → {printed: log-probability}.
_FALLBACK_CHARS: dict[str, dict[str, float]] = {}


def _fallback() -> dict[str, dict[str, float]]:
    if _FALLBACK_CHARS:
        return _FALLBACK_CHARS
    for c in _VIET_LETTERS:
        base = strip_marks(c)
        table = {base: -0.5, c: -1.0}
        if base in "aeo" and c != base:
            table.setdefault("é" if base == "e" else "ó" if base == "o" else "á", -2.5)
        if base == "o" and c != base:
            table["6"] = -3.0
        if base == "a" and c != base:
            table["4"] = -4.0
        if c == "đ":
            table["p"] = -3.0
        _FALLBACK_CHARS[c] = table
    return _FALLBACK_CHARS


class ConfusionModel:
    """P(printed | letter) and P(printed word | syllable), learnt from OCR'd pages."""

    def __init__(
        self,
        chars: dict[str, dict[str, float]],
        words: dict[str, dict[str, float]],
        keep: dict[str, float] | None = None,
        searched: dict[str, list[list[str | float]]] | None = None,
    ) -> None:
        self.chars = chars  # truth letter → printed string → log P
        self.words = words  # printed word (lower case) → truth syllable → log P(printed | syl)
        self.keep = keep or {}
        # The candidates of the printed words of the training pages, searched when the model
        # was built ("^" before a capitalised word): a new text's common words need no search.
        self.searched = searched or {}

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> ConfusionModel:
        if not path.exists():
            return cls(_fallback(), {})
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        return cls(data["chars"], data["words"], data.get("keep"), data.get("searched"))


def _grouped(
    emit: dict[str, list[tuple[str, float]]],
) -> tuple[dict[str, tuple[tuple[str, str, float], ...]], tuple[tuple[str, str, float], ...]]:
    """(letter, printed, log P) by the first printed character, and the letters that may
    print as nothing."""
    grouped: dict[str, list[tuple[str, str, float]]] = {}
    silent: list[tuple[str, str, float]] = []
    for t, options in emit.items():
        for printed, p in options:
            if printed:
                grouped.setdefault(printed[0], []).append((t, printed, p))
            elif p > MIN_SILENT:
                silent.append((t, printed, p))
    return {c: tuple(items) for c, items in grouped.items()}, tuple(silent)


@dataclass
class _Trie:
    children: dict[str, _Trie] = field(default_factory=dict)
    word: str | None = None
