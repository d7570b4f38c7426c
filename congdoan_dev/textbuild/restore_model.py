"""Build the syllable trigram language model used for restoration (build time only).

Steps:
1. count accented syllable unigrams, bigrams and trigrams over the encoded corpus
   (ids from :mod:`congdoan_dev.textbuild.corpus`; punctuation, numbers and foreign words
   are kept as special ids so that context stops or flows at them as in real text);
2. interpolated modified Kneser–Ney smoothing (Chen & Goodman): three discounts D1, D2,
   D3+ per order from the counts of counts,
   P(w|u v) = max(c(uvw) − D(c), 0)/c(uv·) + γ(uv)·P(w|v) with γ(uv) = Σ D(c)/c(uv·);
   the bigram level counts continuations (the distinct syllables seen before v w) and
   backs off to continuation unigrams (``discount`` set: one absolute discount instead;
   ``continuation=False``: raw bigram counts);
3. candidates per folded syllable: the ``max_candidates`` most frequent accented forms
   that hold at least ``min_candidate_share`` of the folded form's count;
4. trigrams seen fewer than ``min_trigram`` times are dropped after the context totals
   are taken, so their mass goes to the back-off as it should;
5. stored per n-gram: the discounted probability as float16 and the sorted keys as
   delta-coded integers in one compressed ``.npz``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from congdoan.text.lm import BITS
from congdoan.text.shipped import LM_FILE
from congdoan.text.storage import save_npz
from congdoan.text.vietnamese import fold
from congdoan_dev.textbuild.corpus import N_SPECIAL, Vocabulary


@dataclass
class LMStats:
    n_tokens: int
    n_bigrams: int
    n_trigrams: int
    n_trigrams_kept: int


def _context_stats(
    keys: np.ndarray, counts: np.ndarray, n_ctx: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ctx = keys >> BITS
    uniq, first = np.unique(ctx, return_index=True)
    total = np.add.reduceat(counts, first)
    types = np.diff(np.append(first, len(keys)))
    return uniq, total, types


def _discounts(counts: np.ndarray) -> np.ndarray:
    """Modified Kneser–Ney discounts D1, D2, D3+ from the counts of counts (Chen & Goodman)."""
    n = np.bincount(np.minimum(counts, 5).astype(np.int64), minlength=6).astype(np.float64)
    y = n[1] / (n[1] + 2 * n[2])
    return np.array(
        [0.0, 1 - 2 * y * n[2] / n[1], 2 - 3 * y * n[3] / n[2], 3 - 4 * y * n[4] / n[3]]
    )


def _smooth(
    keys: np.ndarray, counts: np.ndarray, discount: float | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(contexts, discounted probability per key, back-off weight per context).

    ``discount`` None: modified Kneser–Ney (three discounts from the counts of counts);
    otherwise one absolute discount.
    """
    ctx, total, _types = _context_stats(keys, counts)
    if discount is None:
        d = _discounts(counts)[np.minimum(counts, 3)]
    else:
        d = np.full(len(counts), discount)
    pos = np.searchsorted(ctx, keys >> BITS)
    prob = np.maximum(counts - d, 0) / total[pos]
    gamma = np.bincount(pos, weights=np.minimum(d, counts), minlength=len(ctx)) / total
    return ctx, prob, gamma


def build_lm(
    ids: np.ndarray,
    vocab: Vocabulary,
    out: Path,
    *,
    discount: float | None = None,
    continuation: bool = True,
    min_trigram: int = 1,
    max_candidates: int = 8,
    min_candidate_share: float = 0.001,
) -> LMStats:
    """Count, smooth, prune and save the language model; returns a few statistics."""
    a = ids.astype(np.int64)
    size = len(vocab.syllables) + N_SPECIAL
    if size >= 1 << BITS:
        raise ValueError("vocabulary too large for the key layout")
    uni = np.bincount(a, minlength=size).astype(np.float64)

    k3 = (a[:-2] << (2 * BITS)) | (a[1:-1] << BITS) | a[2:]
    u3, n3 = np.unique(k3, return_counts=True)
    del k3
    if continuation:
        # Kneser–Ney: the bigram level counts the distinct syllables seen before (v, w).
        u2, n2 = np.unique(u3 & ((1 << (2 * BITS)) - 1), return_counts=True)
    else:
        k2 = (a[:-1] << BITS) | a[1:]
        u2, n2 = np.unique(k2, return_counts=True)
        del k2

    # Continuation unigram: in how many distinct bigrams a syllable ends.
    cont = np.bincount(u2 & ((1 << BITS) - 1), minlength=size).astype(np.float64) + 0.5
    p1 = cont / cont.sum()

    c2, a2, g2 = _smooth(u2, n2, discount)
    bo2 = np.ones(size)
    bo2[c2] = g2

    c3, a3_all, bo3 = _smooth(u3, n3, discount)
    keep = n3 >= min_trigram
    a3 = a3_all[keep]

    # Candidate lists: accented forms per folded form, most frequent first.
    groups: dict[str, list[int]] = {}
    for i, syl in enumerate(vocab.syllables):
        groups.setdefault(fold(syl), []).append(i + N_SPECIAL)
    lines = []
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda x: (-uni[x], x))[: max(max_candidates, 1)]
        mass = sum(uni[x] for x in members)
        # Forms too rare to matter for this folded syllable are not candidates (speed).
        members = [
            x for i, x in enumerate(members) if i == 0 or uni[x] >= min_candidate_share * mass
        ]
        lines.append(key + "\t" + " ".join(str(x) for x in members))

    out.parent.mkdir(parents=True, exist_ok=True)
    kept3 = u3[keep]
    save_npz(
        out,
        syllables=np.frombuffer("\n".join(vocab.syllables).encode("utf-8"), dtype=np.uint8),
        candidates=np.frombuffer("\n".join(lines).encode("utf-8"), dtype=np.uint8),
        unigram=np.log(p1).astype(np.float32),
        bigram_backoff=np.log(bo2).astype(np.float32),
        bigram_keys=np.diff(u2, prepend=0).astype(np.uint64),
        bigram_prob=a2.astype(np.float16),
        trigram_context_keys=np.diff(c3, prepend=0).astype(np.uint64),
        trigram_backoff=np.log(bo3).astype(np.float16),
        trigram_keys=np.diff(kept3, prepend=0).astype(np.uint64),
        trigram_prob=a3.astype(np.float16),
        meta=np.array([-1.0 if discount is None else discount, min_trigram, N_SPECIAL]),
    )
    return LMStats(len(a), len(u2), len(u3), int(keep.sum()))


__all__ = ["LM_FILE", "LMStats", "build_lm"]
