"""A repaired text and its changes: :class:`Repair`, and how the decoder builds one (the
changes of a decoded line, of a restored line, and the bonus for known names)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import regex

from congdoan.text.restore.parts import _transfer_case
from congdoan.text.vietnamese import nfc, normalize_tone

# Log-bonus for the syllables of a known name (extra_words) read side by side.
NAME_BONUS = 5.0


@dataclass(frozen=True)
class Repair:
    """A repaired text and its changes: (start, end, original, replacement), offsets in the
    input text, for a side-by-side view."""

    text: str
    changes: list[tuple[int, int, str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def _build(
    line: str,
    units: list[tuple[int, int, str, int]],
    texts: list[list[str | None] | None],
    picks: list[int],
) -> Repair:
    parts: list[str] = []
    changes: list[tuple[int, int, str, str]] = []
    last = 0
    for (start, end, text, _kind), options, pick in zip(units, texts, picks, strict=True):
        if options is None:
            continue
        new = options[pick]
        if new is None or new == normalize_tone(nfc(text.lower())):
            continue
        replacement = _transfer_case(text, new)
        if text[:1] == "I" and new[:1] == "l" and text[1:].islower():
            replacement = new  # a capital I printed for a small l ("Ién" for lớn)
        if replacement == text:
            continue
        parts.append(line[last:start])
        parts.append(replacement)
        changes.append((start, end, text, replacement))
        last = end
    if not changes:
        return Repair(line)
    parts.append(line[last:])
    return Repair("".join(parts), changes)


_DIFF_RE = regex.compile(r"\S+")


def _diff(old: str, new: str) -> Repair:
    """Word-level changes between a line and its restoration (same number of words)."""
    if old == new:
        return Repair(old)
    a = list(_DIFF_RE.finditer(old))
    b = list(_DIFF_RE.finditer(new))
    if len(a) != len(b):
        return Repair(new, [(0, len(old), old, new)])
    changes = [
        (x.start(), x.end(), x.group(0), y.group(0))
        for x, y in zip(a, b, strict=True)
        if x.group(0) != y.group(0)
    ]
    return Repair(new, changes)


@lru_cache(maxsize=8)
def _name_pairs(extra: tuple[str, ...]) -> dict[str, set[str]]:
    pairs: dict[str, set[str]] = {}
    for name in extra:
        syllables = [normalize_tone(nfc(w.lower())) for w in regex.findall(r"\p{L}+", name)]
        for a, b in itertools.pairwise(syllables):
            pairs.setdefault(a, set()).add(b)
    return pairs


def _name_bonus(
    units: list[tuple[int, int, str, int]],
    texts: list[list[str | None] | None],
    bonus: list[np.ndarray | None],
    names: dict[str, set[str]],
    line: str,
) -> None:
    """NAME_BONUS on the candidates of two neighbouring words that a known name joins."""
    for i in range(len(units) - 1):
        left, right = texts[i], texts[i + 1]
        if left is None or right is None or line[units[i][1] : units[i + 1][0]].strip():
            continue
        for a_k, a in enumerate(left):
            follow = names.get(a or "")
            if not follow:
                continue
            for b_k, b in enumerate(right):
                if b in follow:
                    left_bonus, right_bonus = bonus[i], bonus[i + 1]
                    assert left_bonus is not None and right_bonus is not None
                    # Copies: the word's slot is cached and shared.
                    bonus[i] = left_bonus = left_bonus.copy()
                    bonus[i + 1] = right_bonus = right_bonus.copy()
                    left_bonus[a_k] += NAME_BONUS
                    right_bonus[b_k] += NAME_BONUS
