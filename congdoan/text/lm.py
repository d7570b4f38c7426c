"""The syllable trigram language model and the Viterbi decoder used by restoration.

The model file (``models/syllable_lm.npz``) is written by
:mod:`congdoan.text.build.restore_model`. Keys are integers packing 13-bit syllable ids;
they are stored sorted and delta-coded and rebuilt with a cumulative sum at load time.
Lookups are vectorised with ``numpy.searchsorted``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

BITS = 13
LM_FILE = "syllable_lm.npz"
MODELS_DIR = Path(__file__).resolve().parent / "models"

BOUNDARY, FOREIGN, NUMBER, COMMA, SYMBOL = 0, 1, 2, 3, 4
N_SPECIAL = 5


def _lookup(keys: np.ndarray, table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index, found) of ``keys`` in the sorted ``table``. The keys are deduplicated and
    sorted first: a lattice repeats its pairs many times, and numpy's binary search starts
    each sorted key where the previous one ended (2× faster on a batch of sentences)."""
    uniq, inverse = np.unique(keys, return_inverse=True)
    idx = np.searchsorted(table, uniq)
    np.minimum(idx, len(table) - 1, out=idx)
    return idx[inverse], (table[idx] == uniq)[inverse]


@lru_cache(maxsize=4096)
def _patterns(na: int, nb: int, nc: int) -> tuple[np.ndarray, ...]:
    """Index patterns that enumerate the (v, w) pairs, (u, v) pairs and (u, v, w) triples."""
    return (
        np.repeat(np.arange(nb), nc),  # v of each (v, w) pair
        np.tile(np.arange(nc), nb),  # w of each (v, w) pair
        np.repeat(np.arange(na), nb),  # u of each (u, v) pair
        np.tile(np.arange(nb), na),  # v of each (u, v) pair
        np.tile(np.arange(nb * nc), na),  # (v, w) pair of each triple
        np.repeat(np.arange(na * nb), nc),  # (u, v) pair of each triple
    )


class SyllableLM:
    """Trigram language model over accented syllables with interpolated back-off."""

    def __init__(self, path: Path) -> None:
        with np.load(path) as data:
            self.syllables: list[str] = data["syllables"].tobytes().decode("utf-8").split("\n")
            cand_text = data["candidates"].tobytes().decode("utf-8")
            self.unigram = data["unigram"].astype(np.float64)
            self.bigram_backoff = np.exp(data["bigram_backoff"].astype(np.float64))
            self.bigram_keys = np.cumsum(data["bigram_keys"]).astype(np.int64)
            self.bigram_prob = data["bigram_prob"].astype(np.float64)
            self.trigram_context_keys = np.cumsum(data["trigram_context_keys"]).astype(np.int64)
            self.trigram_backoff = np.exp(data["trigram_backoff"].astype(np.float64))
            self.trigram_keys = np.cumsum(data["trigram_keys"]).astype(np.int64)
            self.trigram_prob = data["trigram_prob"].astype(np.float64)
        self.p_unigram = np.exp(self.unigram)
        self.index = {s: i + N_SPECIAL for i, s in enumerate(self.syllables)}
        self.candidates: dict[str, np.ndarray] = {}
        for line in cand_text.split("\n"):
            key, _, ids = line.partition("\t")
            if key:
                self.candidates[key] = np.array([int(x) for x in ids.split()], dtype=np.int64)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> SyllableLM | None:
        path = MODELS_DIR / LM_FILE
        return cls(path) if path.exists() else None

    def forms(self, folded: str) -> list[str]:
        """Accented forms of a folded syllable, most frequent first."""
        return [self.word(int(i)) for i in self.candidates.get(folded, ())]

    def word(self, token_id: int) -> str:
        return self.syllables[token_id - N_SPECIAL]

    def prob(self, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> np.ndarray:
        """P(w | u v) for arrays of ids (broadcast together)."""
        p1 = self.p_unigram[w]
        idx, hit = _lookup((v << BITS) | w, self.bigram_keys)
        p2 = np.where(hit, self.bigram_prob[idx], 0.0) + self.bigram_backoff[v] * p1
        ctx = (u << BITS) | v
        cidx, chit = _lookup(ctx, self.trigram_context_keys)
        tidx, thit = _lookup((ctx << BITS) | w, self.trigram_keys)
        p3 = np.where(thit, self.trigram_prob[tidx], 0.0) + self.trigram_backoff[cidx] * p2
        return np.where(chit, p3, p2)

    def viterbi(self, lattice: Sequence[np.ndarray]) -> list[int]:
        """Best id sequence through ``lattice`` (candidate ids per position)."""
        return [int(lattice[i][j]) for i, j in enumerate(self.viterbi_many([lattice])[0])]

    def viterbi_many(
        self,
        lattices: Sequence[Sequence[np.ndarray]],
        emissions: Sequence[Sequence[np.ndarray | None]] | None = None,
    ) -> list[list[int]]:
        """Second-order Viterbi for several lattices at once.

        Steps: 1. list every (u, v, w) candidate triple of every position of every
        lattice and score them all in one vectorised call (the expensive part);
        2. run the dynamic programme per lattice over states (previous id, current id);
        3. backtrack. A sentence boundary precedes the first position.

        ``emissions`` (optional, same shape as the lattices) adds a log-score per
        candidate, e.g. the penalty of a spelling correction. Returns, per lattice, the
        index of the chosen candidate at each position.
        """
        start = np.array([BOUNDARY], dtype=np.int64)
        vw_v: list[np.ndarray] = []  # (v, w) pairs: bigram lookups
        vw_w: list[np.ndarray] = []
        uv_u: list[np.ndarray] = []  # (u, v) pairs: trigram contexts
        uv_v: list[np.ndarray] = []
        vw_index: list[np.ndarray] = []  # for each triple: its (v, w) pair and (u, v) pair
        uv_index: list[np.ndarray] = []
        shapes: list[list[tuple[int, int, int]]] = []
        n_vw = n_uv = 0
        for lattice in lattices:
            dims = []
            for i, c in enumerate(lattice):
                a = lattice[i - 2] if i >= 2 else start
                b = lattice[i - 1] if i >= 1 else start
                na, nb, nc = len(a), len(b), len(c)
                pat = _patterns(na, nb, nc)
                vw_v.append(b[pat[0]])
                vw_w.append(c[pat[1]])
                uv_u.append(a[pat[2]])
                uv_v.append(b[pat[3]])
                vw_index.append(pat[4] + n_vw)
                uv_index.append(pat[5] + n_uv)
                n_vw += nb * nc
                n_uv += na * nb
                dims.append((na, nb, nc))
            shapes.append(dims)
        if not vw_v:
            return [[] for _ in lattices]
        v = np.concatenate(vw_v)
        w = np.concatenate(vw_w)
        idx, hit = _lookup((v << BITS) | w, self.bigram_keys)
        p2 = np.where(hit, self.bigram_prob[idx], 0.0) + self.bigram_backoff[v] * self.p_unigram[w]
        ctx = (np.concatenate(uv_u) << BITS) | np.concatenate(uv_v)
        cidx, chit = _lookup(ctx, self.trigram_context_keys)
        backoff = np.where(chit, self.trigram_backoff[cidx], 1.0)
        t_vw = np.concatenate(vw_index)
        t_uv = np.concatenate(uv_index)
        prob = backoff[t_uv] * p2[t_vw]
        # Trigram look-ups only where the context (u, v) was seen at all.
        seen = np.flatnonzero(chit[t_uv])
        if len(seen):
            keys = (ctx[t_uv[seen]] << BITS) | w[t_vw[seen]]
            tidx, thit = _lookup(keys, self.trigram_keys)
            prob[seen[thit]] += self.trigram_prob[tidx[thit]]
        logp = np.log(prob)
        results: list[list[int]] = []
        offset = 0
        for n, dims in enumerate(shapes):
            if not dims:
                results.append([])
                continue
            extra = emissions[n] if emissions is not None else [None] * len(dims)
            score = np.zeros((1, 1))
            back: list[np.ndarray] = []
            for (na, nb, nc), bonus in zip(dims, extra, strict=True):
                size = na * nb * nc
                total = score[:, :, None] + logp[offset : offset + size].reshape(na, nb, nc)
                if bonus is not None:
                    total += bonus
                offset += size
                back.append(total.argmax(axis=0))
                score = total.max(axis=0)
            c_idx, n_idx = np.unravel_index(int(score.argmax()), score.shape)
            path = [int(n_idx), int(c_idx)]
            for step in range(len(back) - 1, 0, -1):
                path.append(int(back[step][path[-1], path[-2]]))
            path.reverse()
            # path[0] belongs to the boundary before the first position.
            results.append(path[1:])
        return results
