"""Learn the diacritics decision list from the encoded corpus (build time only).

The model answers "which accented form of this folded syllable?" from the folded
syllables around it. It is a decision list over context templates (windows of folded
syllables: left/right bigrams, trigrams, 4-grams and the centred 5-gram), learnt
bottom-up so that the list stays small:

1. the base decision is the most frequent accented form of the folded syllable;
2. templates are added from the least to the most specific; for each context seen at
   least ``min_count`` times we take its most frequent accented form, and keep the
   entry only when, over its training occurrences, it fixes at least ``min_gain`` more
   decisions than it breaks compared with the list built so far;
3. at run time the most specific template with a stored entry decides.

Because an entry is kept only when it changes a decision for the better, the stored
entries are a few per cent of all contexts, which keeps the file small.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from congdoan.text.build.corpus import N_SPECIAL, Vocabulary
from congdoan.text.vietnamese import fold

BITS = 12
PAD = 3
# Build order: least specific first. At run time the order is reversed.
TEMPLATES: tuple[tuple[int, ...], ...] = (
    (-1, 0),
    (0, 1),
    (-2, -1, 0),
    (0, 1, 2),
    (-1, 0, 1),
    (-2, -1, 0, 1),
    (-1, 0, 1, 2),
    (-2, -1, 0, 1, 2),
)


@dataclass
class FoldTables:
    folds: list[str]  # folded id → folded string (ids < N_SPECIAL are specials)
    candidates: list[list[str]]  # folded id → accented forms, most frequent first
    fold_of: np.ndarray  # accented id → folded id
    cand_of: np.ndarray  # accented id → index among its folded form's candidates
    n_cands: np.ndarray  # folded id → number of candidates


def fold_tables(vocab: Vocabulary, counts: np.ndarray) -> FoldTables:
    """Group the accented syllables by folded form, ordered by training frequency."""
    groups: dict[str, list[int]] = {}
    for i, syl in enumerate(vocab.syllables):
        groups.setdefault(fold(syl), []).append(i + N_SPECIAL)
    folds = ["<b>", "<foreign>", "<num>"]
    candidates: list[list[str]] = [[], [], []]
    fold_of = np.zeros(len(vocab.syllables) + N_SPECIAL, dtype=np.int64)
    fold_of[:N_SPECIAL] = np.arange(N_SPECIAL)
    cand_of = np.zeros_like(fold_of)
    for key in sorted(groups):
        ids = sorted(groups[key], key=lambda a: (-int(counts[a]), a))
        fid = len(folds)
        folds.append(key)
        candidates.append([vocab.syllables[a - N_SPECIAL] for a in ids])
        for rank, a in enumerate(ids):
            fold_of[a] = fid
            cand_of[a] = rank
    if len(folds) >= 1 << BITS:
        raise ValueError("too many folded syllables for the key layout")
    n_cands = np.array([len(c) for c in candidates], dtype=np.int64)
    return FoldTables(folds, candidates, fold_of, cand_of, n_cands)


def template_keys(padded: np.ndarray, positions: np.ndarray, offsets: Sequence[int]) -> np.ndarray:
    """Integer keys of the folded window ``offsets`` around each position of ``padded``."""
    key = np.zeros(len(positions), dtype=np.int64)
    for j, off in enumerate(offsets):
        key |= padded[positions + off].astype(np.int64) << (BITS * j)
    return key


@dataclass
class DecisionList:
    templates: tuple[tuple[int, ...], ...]
    keys: list[np.ndarray]  # per template: sorted int64 keys
    targets: list[np.ndarray]  # per template: uint8 candidate index


def learn(
    folded: np.ndarray,
    truth: np.ndarray,
    ambiguous: np.ndarray,
    *,
    min_count: int = 2,
    min_gain: int = 1,
    templates: Sequence[tuple[int, ...]] = TEMPLATES,
    progress: Iterable[int] | None = None,
) -> DecisionList:
    """Learn the decision list from a folded id stream and the true candidate indices."""
    padded = np.concatenate([np.zeros(PAD, np.int64), folded.astype(np.int64), np.zeros(PAD, np.int64)])
    positions = np.flatnonzero(ambiguous) + PAD
    y = truth[ambiguous].astype(np.int64)
    pred = np.zeros(len(positions), dtype=np.int64)
    keys_out: list[np.ndarray] = []
    targets_out: list[np.ndarray] = []
    steps = progress if progress is not None else range(len(templates))
    for step in steps:
        offsets = templates[step]
        keys = template_keys(padded, positions, offsets)
        uniq, ctx = np.unique(keys, return_inverse=True)
        combo = ctx * 64 + y
        combo_u, combo_n = np.unique(combo, return_counts=True)
        combo_ctx = combo_u // 64
        combo_t = combo_u % 64
        # Most frequent target per context (ties: the lower, i.e. more frequent, index).
        order = np.lexsort((combo_t, -combo_n, combo_ctx))
        first = np.ones(len(order), dtype=bool)
        first[1:] = combo_ctx[order][1:] != combo_ctx[order][:-1]
        best = order[first]
        top_t = np.zeros(len(uniq), dtype=np.int64)
        top_t[combo_ctx[best]] = combo_t[best]
        total = np.bincount(ctx, minlength=len(uniq))
        proposed = top_t[ctx]
        delta = (proposed == y).astype(np.int64) - (pred == y).astype(np.int64)
        gain = np.bincount(ctx, weights=delta, minlength=len(uniq))
        keep = (gain >= min_gain) & (total >= min_count)
        kept_pos = keep[ctx]
        pred[kept_pos] = proposed[kept_pos]
        keys_out.append(uniq[keep])
        targets_out.append(top_t[keep].astype(np.uint8))
    return DecisionList(tuple(templates), keys_out, targets_out)


def apply(dl: DecisionList, folded: np.ndarray, n_cands: np.ndarray) -> np.ndarray:
    """Candidate index chosen for every position of a folded id stream."""
    padded = np.concatenate([np.zeros(PAD, np.int64), folded.astype(np.int64), np.zeros(PAD, np.int64)])
    positions = np.arange(len(folded)) + PAD
    pred = np.zeros(len(folded), dtype=np.int64)
    decided = n_cands[folded] < 2
    for offsets, keys, targets in reversed(list(zip(dl.templates, dl.keys, dl.targets, strict=True))):
        if len(keys) == 0:
            continue
        q = template_keys(padded, positions, offsets)
        idx = np.searchsorted(keys, q)
        idx[idx >= len(keys)] = 0
        hit = (keys[idx] == q) & ~decided
        pred[hit] = targets[idx[hit]]
        decided |= hit
    return pred
