"""Document context for restoration: a text's own words, read elsewhere in the text.

A document repeats its topic words. Where one sentence leaves "giay" ambiguous, the same
document has usually read it elsewhere in a context that decides it ("giày dép"). This is
the cache language model of Kuhn and De Mori (1990), applied to the decoder's choices:

1. Every line is restored on its own (:meth:`Restorer.restore_lines`), and for every word
   restored from a plain syllable the chosen form is recorded with its position.
2. For each occurrence, the choices at the *other* occurrences of the same plain syllable
   are counted, each weighted by ``exp(-distance / scale)`` (distance in units: words and
   punctuation), so that a file of many articles uses each article's own choices.
3. The neighbours' shares ``c`` are mixed into the syllable's own frequencies ``g`` (the
   language model's unigram shares among its forms): ``q = λ·c + (1 − λ)·g``, with
   ``λ = weight · m / (m + 1)`` growing with the neighbours' mass ``m``. The decoder adds
   ``log q − log g`` to each form's score: nothing where the document agrees with the
   language at large, a push towards the form the document prefers where it does not.
4. The lines where a push favours a form that the first pass did not choose are decoded
   again; in the others the first pass's path stays the best.

The weight, the scale and the minimum mass were chosen on held-out corpus articles
(``python -m congdoan_dev.textbuild.document_dev``; docs/text.md has the figures).
"""

from __future__ import annotations

import math
from array import array

import numpy as np

from congdoan.text import lmfast

WEIGHT = 0.85
SCALE = 375.0  # units (≈ 15 sentences of news)
MIN_MASS = 0.5  # neighbours' weighted count below which nothing is pushed
# A line is decoded again when a push favours a form it did not choose by this much (log).
MIN_PUSH = 0.01


def _neighbour_counts_py(
    position: np.ndarray,
    key: np.ndarray,
    pick: np.ndarray,
    offset: np.ndarray,
    key_offset: np.ndarray,
    scale: float,
) -> np.ndarray:
    """For occurrences in document order: the distance-weighted count of each candidate
    chosen at the other occurrences of the same key (flat, ``offset`` per occurrence).

    ``key`` is dense (0 … K − 1), ``key_offset`` where each key's candidates start in the
    running state, ``pick`` the chosen candidate's index. Two sweeps, one forward and one
    backward, each keeping per key the decayed counts so far: linear time.
    """
    n = len(position)
    out = np.zeros(offset[n], dtype=np.float64)
    for direction in (1, -1):
        state = np.zeros(key_offset[-1], dtype=np.float64)
        last = np.full(len(key_offset) - 1, -1.0, dtype=np.float64)
        seen = np.zeros(len(key_offset) - 1, dtype=np.bool_)
        for step in range(n):
            i = step if direction == 1 else n - 1 - step
            k = key[i]
            base = key_offset[k]
            size = offset[i + 1] - offset[i]
            if seen[k]:
                factor = math.exp(-abs(position[i] - last[k]) / scale)
                for c in range(size):
                    state[base + c] *= factor
                    out[offset[i] + c] += state[base + c]
            state[base + pick[i]] += 1.0
            last[k] = position[i]
            seen[k] = True
    return out


neighbour_counts = (
    lmfast.compiled(_neighbour_counts_py) if lmfast.AVAILABLE else _neighbour_counts_py
)


class Occurrences:
    """The plain-syllable choices of a document's first pass, in document order, stored
    compactly (a few bytes each: a long document has hundreds of thousands)."""

    def __init__(self) -> None:
        self.line = array("q")  # index of the line (item)
        self.slot = array("q")  # position in the line's lattice
        self.position = array("d")  # units from the document's start
        self.first = array("q")  # the syllable: the id of its first form
        self.pick = array("q")  # index of the chosen form
        # A syllable's forms are the same array wherever it occurs, and no two syllables
        # share a form: the first form's id names the syllable.
        self.forms: dict[int, np.ndarray] = {}

    def add(self, line: int, slot: int, position: float, ids: np.ndarray, pick: int) -> None:
        first = int(ids[0])
        self.forms.setdefault(first, ids)
        self.line.append(line)
        self.slot.append(slot)
        self.position.append(position)
        self.first.append(first)
        self.pick.append(pick)

    def __len__(self) -> int:
        return len(self.line)


class Pushes:
    """The log-bonus per form that document context adds at each occurrence, computed a
    line at a time, and the lines to decode again: those where a push favours a form the
    first pass did not choose (in the others the first pass's path stays the best). The
    settings are read from the module when it is built (the development grid sets them)."""

    CHUNK = 1 << 16  # occurrences scored at once when looking for the lines to redo

    def __init__(self, occ: Occurrences, p_unigram: np.ndarray) -> None:
        self.weight, self.min_mass = WEIGHT, MIN_MASS
        self.occ = occ
        self.p_unigram = p_unigram
        self.again: list[int] = []
        self._lines = np.frombuffer(occ.line, dtype=np.int64)
        n = len(occ)
        if n < 2 or self.weight <= 0 or len(occ.forms) == n:
            return  # no syllable occurs twice: nothing to read elsewhere
        first = np.frombuffer(occ.first, dtype=np.int64)
        keys, key = np.unique(first, return_inverse=True)
        key_sizes = np.fromiter((len(occ.forms[int(k)]) for k in keys), np.int64, len(keys))
        sizes = key_sizes[key]
        key_offset = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(key_sizes, out=key_offset[1:])
        self.offset = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(sizes, out=self.offset[1:])
        self.counts = neighbour_counts(
            np.frombuffer(occ.position, dtype=np.float64),
            key.astype(np.int64),
            np.frombuffer(occ.pick, dtype=np.int64),
            self.offset,
            key_offset,
            float(SCALE),
        )
        self.mass = np.add.reduceat(self.counts, self.offset[:-1])
        picks = np.frombuffer(occ.pick, dtype=np.int64)
        again: set[int] = set()
        for lo in range(0, n, self.CHUNK):
            hi = min(lo + self.CHUNK, n)
            bonus = self._bonus(lo, hi)
            starts = self.offset[lo:hi] - self.offset[lo]
            own = bonus[starts + picks[lo:hi]]
            contrary = (self.mass[lo:hi] >= self.min_mass) & (
                np.maximum.reduceat(bonus, starts) > own + MIN_PUSH
            )
            again.update(self._lines[lo:hi][contrary].tolist())
        self.again = sorted(again)

    def _bonus(self, lo: int, hi: int) -> np.ndarray:
        """``log q − log g`` for every form of occurrences ``lo … hi − 1`` (flat, from
        ``offset[lo]``)."""
        owner = np.repeat(np.arange(hi - lo), np.diff(self.offset[lo : hi + 1]))
        starts = self.offset[lo:hi] - self.offset[lo]
        prior = self.p_unigram[np.concatenate([self.occ.forms[f] for f in self.occ.first[lo:hi]])]
        prior = prior / np.add.reduceat(prior, starts)[owner]
        mass = self.mass[lo:hi]
        lam = (self.weight * mass / (mass + 1.0))[owner]
        share = self.counts[self.offset[lo] : self.offset[hi]] / np.maximum(mass, 1e-12)[owner]
        return np.log(lam * share + (1.0 - lam) * prior) - np.log(prior)

    def line(self, line: int) -> list[tuple[int, np.ndarray]]:
        """(lattice position, log-bonus per form) of the pushes in ``line``."""
        lo, hi = (int(x) for x in np.searchsorted(self._lines, [line, line + 1]))
        bonus = self._bonus(lo, hi)
        at = (self.offset[lo : hi + 1] - self.offset[lo]).tolist()
        return [
            (self.occ.slot[lo + k], bonus[at[k] : at[k + 1]])
            for k in range(hi - lo)
            if self.mass[lo + k] >= self.min_mass
        ]


__all__ = ["Occurrences", "Pushes", "neighbour_counts"]
