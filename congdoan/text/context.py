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
(``python -m congdoan.text.build.document_dev``; docs/text.md has the figures).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from congdoan.text import lmfast

WEIGHT = 0.85
SCALE = 375.0  # units (≈ 15 sentences of news)
MIN_MASS = 0.5  # neighbours' weighted count below which nothing is pushed
MIN_PUSH = (
    0.01  # a line is decoded again when a push favours a form it did not choose by this much (log)
)


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


@dataclass
class Occurrences:
    """The plain-syllable choices of a document's first pass, in document order."""

    line: list[int] = field(default_factory=list)  # index of the line (item)
    slot: list[int] = field(default_factory=list)  # position in the line's lattice
    position: list[float] = field(default_factory=list)  # units from the document's start
    candidates: list[np.ndarray] = field(default_factory=list)  # the syllable's forms (ids)
    pick: list[int] = field(default_factory=list)  # index of the chosen form

    def add(self, line: int, slot: int, position: float, ids: np.ndarray, pick: int) -> None:
        self.line.append(line)
        self.slot.append(slot)
        self.position.append(position)
        self.candidates.append(ids)
        self.pick.append(pick)

    def __len__(self) -> int:
        return len(self.line)


def pushes(occ: Occurrences, p_unigram: np.ndarray) -> dict[int, list[tuple[int, np.ndarray]]]:
    """Per line, the (lattice position, log-bonus per form) pairs that document context
    adds, for the lines where a push favours a form the first pass did not choose (the
    others keep their path). The settings are read from the module at each call (the
    development grid sets them)."""
    weight, scale, min_mass, min_push = WEIGHT, SCALE, MIN_MASS, MIN_PUSH
    n = len(occ)
    if n < 2 or weight <= 0:
        return {}
    # A syllable's forms are the same array wherever it occurs, and no two syllables share
    # a form: the first form's id names the syllable.
    first_ids = [int(c[0]) for c in occ.candidates]
    if len(set(first_ids)) == n:
        return {}  # no syllable occurs twice: nothing to read elsewhere
    first = np.array(first_ids, dtype=np.int64)
    keys, first_at, key = np.unique(first, return_index=True, return_inverse=True)
    sizes = np.fromiter((len(c) for c in occ.candidates), dtype=np.int64, count=n)
    key_offset = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(sizes[first_at], out=key_offset[1:])
    offset = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(sizes, out=offset[1:])
    counts = neighbour_counts(
        np.asarray(occ.position, dtype=np.float64),
        key.astype(np.int64),
        np.asarray(occ.pick, dtype=np.int64),
        offset,
        key_offset,
        float(scale),
    )
    flat_ids = np.concatenate(occ.candidates)
    mass = np.add.reduceat(counts, offset[:-1])
    prior = p_unigram[flat_ids]
    owner = np.repeat(np.arange(n), sizes)
    prior = prior / np.add.reduceat(prior, offset[:-1])[owner]
    lam = weight * mass / (mass + 1.0)
    share = counts / np.maximum(mass, 1e-12)[owner]
    bonus = np.log(lam[owner] * share + (1.0 - lam[owner]) * prior) - np.log(prior)
    # A line's first-pass path stays the best one when every push favours the forms it
    # chose: only lines where a push favours another form are decoded again.
    pushed = mass >= min_mass
    own = bonus[offset[:-1] + np.asarray(occ.pick, dtype=np.int64)]
    contrary = pushed & (np.maximum.reduceat(bonus, offset[:-1]) > own + min_push)
    again = {occ.line[i] for i in np.flatnonzero(contrary)}
    out: dict[int, list[tuple[int, np.ndarray]]] = {}
    for i in np.flatnonzero(pushed):
        if occ.line[i] in again:
            out.setdefault(occ.line[i], []).append((occ.slot[i], bonus[offset[i] : offset[i + 1]]))
    return out


__all__ = ["Occurrences", "neighbour_counts", "pushes"]
