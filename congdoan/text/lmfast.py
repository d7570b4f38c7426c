"""The Viterbi decoder of :mod:`congdoan.text.lm` compiled with numba (optional).

Same search and same scores as :meth:`SyllableLM.viterbi_many`'s numpy path, written as
loops: look-ups search a short range of the sorted key tables (the keys that share the
first id, found by direct indexing) instead of the whole table, candidates in id order so
that each search starts where the previous one ended, and nothing is padded. Restoration
runs ≈ 2.4× faster with it than with the numpy path. The numpy path is used when numba is not
installed or ``CONGDOAN_NO_JIT=1`` is set; compiled code is cached on disk (numba's cache:
``__pycache__`` beside this file, or ``NUMBA_CACHE_DIR``), so only the first run on a
machine pays the compilation (a few seconds).
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np


def _not_compiled(*args: Any, **kwargs: Any) -> Any:
    return lambda f: f


njit: Any = _not_compiled
try:
    if os.environ.get("CONGDOAN_NO_JIT") == "1":
        raise ImportError("CONGDOAN_NO_JIT=1")
    import numba

    njit = numba.njit
    AVAILABLE = True
except ImportError:  # exercised where numba is absent
    AVAILABLE = False


def compiled(func: Any) -> Any:
    """``func`` compiled, its machine code cached on disk; compiled in memory (again in each
    process) when numba finds no writable cache directory."""
    try:
        return njit(cache=True, nogil=True)(func)
    except RuntimeError:  # "cannot cache function …: no locator available"
        return njit(nogil=True)(func)


def first_id_starts(keys: np.ndarray, bits: int, n_ids: int) -> np.ndarray:
    """For a sorted table of keys ``(a << bits) | b``: where the keys of each ``a`` start
    (``n_ids + 1`` offsets)."""
    return np.searchsorted(keys, np.arange(n_ids + 1, dtype=np.int64) << bits).astype(np.int64)


@compiled
def _lower_bound(keys: np.ndarray, lo: int, hi: int, key: int) -> int:
    """The first index in ``keys[lo:hi]`` (sorted) whose key is not below ``key`` (``hi``
    when there is none)."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if keys[mid] < key:
            lo = mid + 1
        else:
            hi = mid
    return lo


@compiled
def decode(
    cand: np.ndarray,
    cand_off: np.ndarray,
    bonus: np.ndarray,
    lat_off: np.ndarray,
    boundary: int,
    bits: int,
    p_unigram: np.ndarray,
    bigram_backoff: np.ndarray,
    bigram_keys: np.ndarray,
    bigram_prob: np.ndarray,
    bigram_start: np.ndarray,
    ctx_keys: np.ndarray,
    ctx_start: np.ndarray,
    trigram_backoff: np.ndarray,
    trigram_keys: np.ndarray,
    trigram_prob: np.ndarray,
    trigram_start: np.ndarray,
    same_tables: bool,
) -> np.ndarray:
    """Second-order Viterbi over many lattices (see ``SyllableLM.viterbi_many``).

    ``cand[cand_off[p]:cand_off[p + 1]]`` are the candidate ids of position ``p`` (all
    lattices one after another), ``bonus`` their log-bonus, lattice ``n`` has positions
    ``lat_off[n]`` to ``lat_off[n + 1]``. Returns the chosen candidate index per position.
    ``same_tables``: the trigram contexts are the bigram keys (as the build writes them),
    so a context's index is its pair's, found one position earlier.
    """
    n_pos = len(cand_off) - 1
    chosen = np.zeros(n_pos, dtype=np.int64)
    start = np.array([boundary], dtype=np.int64)
    for n in range(len(lat_off) - 1):
        s, e = lat_off[n], lat_off[n + 1]
        length = e - s
        if length == 0:
            continue
        # Back-pointers: one (v, w) table per position.
        back_off = np.zeros(length + 1, dtype=np.int64)
        for i in range(length):
            nb = 1 if i == 0 else cand_off[s + i] - cand_off[s + i - 1]
            nc = cand_off[s + i + 1] - cand_off[s + i]
            back_off[i + 1] = back_off[i] + nb * nc
        back = np.zeros(back_off[length], dtype=np.int32)
        score = np.zeros(1)
        prev_pair = np.full(1, -1, dtype=np.int64)
        for i in range(length):
            p = s + i
            a = start if i < 2 else cand[cand_off[p - 2] : cand_off[p - 1]]
            b = start if i < 1 else cand[cand_off[p - 1] : cand_off[p]]
            c = cand[cand_off[p] : cand_off[p + 1]]
            c_bonus = bonus[cand_off[p] : cand_off[p + 1]]
            na, nb, nc = len(a), len(b), len(c)
            # Candidates in increasing id order: each search in a table range starts where
            # the previous one ended.
            order = np.argsort(c)
            p2 = np.empty(nb * nc)
            pair = np.full(nb * nc, -1, dtype=np.int64)  # bigram index of each (v, w)
            for vi in range(nb):
                v = b[vi]
                lo, hi = bigram_start[v], bigram_start[v + 1]
                bo = bigram_backoff[v]
                for wi in order:
                    w = c[wi]
                    key = (v << bits) | w
                    lo = _lower_bound(bigram_keys, lo, hi, key)
                    hit = 0.0
                    if lo < hi and bigram_keys[lo] == key:
                        hit = bigram_prob[lo]
                        pair[vi * nc + wi] = lo
                    p2[vi * nc + wi] = hit + bo * p_unigram[w]
            new = np.full(nb * nc, -np.inf)
            bk = back[back_off[i] : back_off[i + 1]]
            for ui in range(na):
                u = a[ui]
                for vi in range(nb):
                    v = b[vi]
                    ctx = (u << bits) | v
                    if same_tables and i > 0:
                        # The context (u, v) was the previous position's pair (v, w).
                        cj = prev_pair[ui * nb + vi]
                    else:
                        cj = _lower_bound(ctx_keys, ctx_start[u], ctx_start[u + 1], ctx)
                        if cj >= ctx_start[u + 1] or ctx_keys[cj] != ctx:
                            cj = -1
                    prev = score[ui * nb + vi]
                    if cj >= 0:
                        bo = trigram_backoff[cj]
                        tlo, thi = trigram_start[cj], trigram_start[cj + 1]
                    else:
                        bo = 1.0
                        tlo, thi = 0, 0
                    for wi in order:
                        prob = bo * p2[vi * nc + wi]
                        if tlo < thi:
                            key = (ctx << bits) | c[wi]
                            tlo = _lower_bound(trigram_keys, tlo, thi, key)
                            if tlo < thi and trigram_keys[tlo] == key:
                                prob += trigram_prob[tlo]
                        total = prev + math.log(prob) if prob > 0.0 else -np.inf
                        total += c_bonus[wi]
                        k = vi * nc + wi
                        if total > new[k]:
                            new[k] = total
                            bk[k] = ui
            score = new
            prev_pair = pair
        # The best final state, then back along the pointers.
        nc = cand_off[e] - cand_off[e - 1]
        best = 0
        for k in range(len(score)):
            if score[k] > score[best]:
                best = k
        v_idx, w_idx = best // nc, best % nc
        for i in range(length - 1, 0, -1):
            chosen[s + i] = w_idx
            nc_i = cand_off[s + i + 1] - cand_off[s + i]
            u_idx = back[back_off[i] + v_idx * nc_i + w_idx]
            w_idx = v_idx
            v_idx = u_idx
        chosen[s] = w_idx
    return chosen
