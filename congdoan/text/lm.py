"""The syllable trigram language model and the Viterbi decoder used by restoration.

The model file (``models/syllable_lm.npz``) is written by
:mod:`congdoan_dev.textbuild.restore_model`. Keys are integers packing 13-bit syllable ids;
they are stored sorted and delta-coded and rebuilt with a cumulative sum at load time.
The decoder is compiled with numba (:mod:`congdoan.text.lmfast`) when it is installed;
the numpy decoder here (look-ups vectorised with ``numpy.searchsorted``) finds the same
paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import regex

from congdoan.text import lmfast
from congdoan.text.shipped import LM_FILE, MODELS_DIR

BITS = 13

BOUNDARY, FOREIGN, NUMBER, COMMA, SYMBOL = 0, 1, 2, 3, 4
N_SPECIAL = 5

# A token the model does not know (a garbled syllable, a foreign word) costs this many nats
# on top of the model's probability for "a foreign word" in `SyllableLM.mean_logprob`:
# otherwise a text full of garbled syllables would read as well as Vietnamese.
UNKNOWN_PENALTY = 8.0
_TOKEN = regex.compile(r"\p{L}+|\p{N}+|[.!?…\n]")
_END = frozenset(".!?…\n")


def _lookup(keys: np.ndarray, table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index, found) of ``keys`` in the sorted ``table``. The keys are deduplicated and
    sorted first: a lattice repeats its pairs many times, and numpy's binary search starts
    each sorted key where the previous one ended (2× faster on a batch of sentences)."""
    uniq, inverse = np.unique(keys, return_inverse=True)
    idx = np.searchsorted(table, uniq)
    np.minimum(idx, len(table) - 1, out=idx)
    return idx[inverse], (table[idx] == uniq)[inverse]


def _ranges(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For items with ``counts[i]`` sub-items each, listed item after item: the item of
    every sub-item and its index within the item."""
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(len(owner)) - starts[owner]


def _flatten(
    lattices: Sequence[Sequence[np.ndarray]],
    emissions: Sequence[Sequence[np.ndarray | None]] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidate ids of every position of every lattice, one after another, their
    log-bonus (0 where a position has none) and each position's number of candidates."""
    cands = [c for lat in lattices for c in lat]
    bonuses = [
        np.zeros(len(c)) if b is None else b
        for n, lat in enumerate(lattices)
        for c, b in zip(
            lat, emissions[n] if emissions is not None else [None] * len(lat), strict=True
        )
    ]
    sizes = np.fromiter((len(c) for c in cands), dtype=np.int64, count=len(cands))
    return (
        np.concatenate(cands).astype(np.int64, copy=False),
        np.concatenate(bonuses).astype(np.float64, copy=False),
        sizes,
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

    def mean_logprob(self, text: str, unknown_penalty: float = UNKNOWN_PENALTY) -> float | None:
        """Mean natural log-probability per token of ``text`` (higher reads better): words
        and numbers are tokens (a number: NUMBER; an unknown word: FOREIGN less
        ``unknown_penalty``), and a sentence end starts a new context. None without words."""
        ids: list[int] = []
        us: list[int] = []
        vs: list[int] = []
        penalties = 0.0
        u, v = BOUNDARY, BOUNDARY
        for token in _TOKEN.findall(text):
            if token in _END:
                u, v = BOUNDARY, BOUNDARY
                continue
            if token[0].isdigit():
                w = NUMBER
            else:
                w = self.index.get(token.lower(), FOREIGN)
                if w == FOREIGN:
                    penalties += unknown_penalty
            ids.append(w)
            us.append(u)
            vs.append(v)
            u, v = v, w
        if not ids:
            return None
        probs = self.prob(
            np.array(us, dtype=np.int64),
            np.array(vs, dtype=np.int64),
            np.array(ids, dtype=np.int64),
        )
        total = float(np.log(np.maximum(probs, 1e-12)).sum()) - penalties
        return total / len(ids)

    @cached_property
    def _jit_tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where each first id's keys start in the bigram and context tables, and each
        context's trigrams in the trigram table (for the compiled decoder; ~0.1 s)."""
        n_ids = 1 << BITS
        trigram_start = np.append(
            np.searchsorted(self.trigram_keys, self.trigram_context_keys << BITS),
            len(self.trigram_keys),
        ).astype(np.int64)
        return (
            lmfast.first_id_starts(self.bigram_keys, BITS, n_ids),
            lmfast.first_id_starts(self.trigram_context_keys, BITS, n_ids),
            trigram_start,
        )

    @cached_property
    def _same_tables(self) -> bool:
        """The trigram contexts are exactly the bigram keys (true of the built models)."""
        return bool(np.array_equal(self.bigram_keys, self.trigram_context_keys))

    def viterbi_many(
        self,
        lattices: Sequence[Sequence[np.ndarray]],
        emissions: Sequence[Sequence[np.ndarray | None]] | None = None,
        compiled: bool | None = None,
    ) -> list[list[int]]:
        """Second-order Viterbi for several lattices at once.

        A sentence boundary precedes the first position of each lattice. ``emissions``
        (optional, same shape as the lattices) adds a log-score per candidate, e.g. the
        penalty of a spelling correction. Returns, per lattice, the index of the chosen
        candidate at each position. ``compiled``: use the numba decoder
        (:mod:`congdoan.text.lmfast`; default: when numba is installed) or the numpy one;
        both find the same paths.
        """
        if compiled is None:
            compiled = lmfast.AVAILABLE
        if not compiled:
            return self._viterbi_numpy(lattices, emissions)
        lengths = np.fromiter((len(lat) for lat in lattices), dtype=np.int64, count=len(lattices))
        if not lengths.sum():
            return [[] for _ in lattices]
        flat, flat_bonus, sizes = _flatten(lattices, emissions)
        cand_off = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=cand_off[1:])
        lat_off = np.zeros(len(lattices) + 1, dtype=np.int64)
        np.cumsum(lengths, out=lat_off[1:])
        bigram_start, ctx_start, trigram_start = self._jit_tables
        chosen = lmfast.decode(
            flat,
            cand_off,
            flat_bonus,
            lat_off,
            BOUNDARY,
            BITS,
            self.p_unigram,
            self.bigram_backoff,
            self.bigram_keys,
            self.bigram_prob,
            bigram_start,
            self.trigram_context_keys,
            ctx_start,
            self.trigram_backoff,
            self.trigram_keys,
            self.trigram_prob,
            trigram_start,
            self._same_tables,
        ).tolist()
        return [chosen[lat_off[n] : lat_off[n + 1]] for n in range(len(lattices))]

    def _viterbi_numpy(
        self,
        lattices: Sequence[Sequence[np.ndarray]],
        emissions: Sequence[Sequence[np.ndarray | None]] | None,
    ) -> list[list[int]]:
        """The numpy decoder: every (u, v, w) triple of every position scored in one
        vectorised pass, then the dynamic programme step by step over all lattices at once
        (padded to the widest candidate list of each step)."""
        results: list[list[int]] = [[] for _ in lattices]
        lengths = np.fromiter((len(lat) for lat in lattices), dtype=np.int64, count=len(lattices))
        n_pos = int(lengths.sum())
        if n_pos == 0:
            return results
        # Global position 0 is the sentence boundary before every first position.
        flat, flat_bonus, sizes = _flatten(lattices, emissions)
        flat = np.concatenate([[BOUNDARY], flat])
        flat_bonus = np.concatenate([[0.0], flat_bonus])
        size = np.concatenate([[1], sizes])
        off = np.cumsum(size) - size
        # Lattices longest first: the ones still running at step i are the first n_i.
        order = np.argsort(-lengths, kind="stable")
        sorted_len = lengths[order]
        max_len = int(sorted_len[0])
        running = np.searchsorted(-sorted_len, -np.arange(max_len + 1), side="left")
        # Real positions step by step, then by rank: their global index.
        base = np.cumsum(lengths) - lengths  # first position of each lattice, minus one
        step, rank = _ranges(running[:-1])
        g = base[order[rank]] + step + 1
        p1 = np.where(step >= 1, g - 1, 0)
        p2 = np.where(step >= 2, g - 2, 0)
        na, nb, nc = size[p2], size[p1], size[g]
        # (v, w) pairs: bigram look-ups.
        pos, loc = _ranges(nb * nc)
        v = flat[off[p1[pos]] + loc // nc[pos]]
        w = flat[off[g[pos]] + loc % nc[pos]]
        idx, hit = _lookup((v << BITS) | w, self.bigram_keys)
        p2v = np.where(hit, self.bigram_prob[idx], 0.0) + self.bigram_backoff[v] * self.p_unigram[w]
        vw_off = np.cumsum(nb * nc) - nb * nc
        # (u, v) pairs: trigram contexts.
        pos, loc = _ranges(na * nb)
        ctx = (flat[off[p2[pos]] + loc // nb[pos]] << BITS) | flat[off[p1[pos]] + loc % nb[pos]]
        cidx, chit = _lookup(ctx, self.trigram_context_keys)
        backoff = np.where(chit, self.trigram_backoff[cidx], 1.0)
        uv_off = np.cumsum(na * nb) - na * nb
        # (u, v, w) triples, u-major.
        n_tri = na * nb * nc
        pos, t = _ranges(n_tri)
        ncp = nc[pos]
        bc = nb[pos] * ncp
        t_vw = vw_off[pos] + t % bc
        t_uv = uv_off[pos] + t // ncp
        prob = backoff[t_uv] * p2v[t_vw]
        seen = np.flatnonzero(chit[t_uv])
        if len(seen):
            keys = (ctx[t_uv[seen]] << BITS) | w[t_vw[seen]]
            tidx, thit = _lookup(keys, self.trigram_keys)
            prob[seen[thit]] += self.trigram_prob[tidx[thit]]
        logp = np.log(prob)
        # Padded layout per step: (n_i, Wa, Wb, Wc), the widths the largest in that step.
        width = np.zeros(max_len + 2, dtype=np.int64)
        np.maximum.at(width, step + 2, nc)
        width[:2] = 1
        wa, wb, wc = width[step], width[step + 1], width[step + 2]  # per position
        slot_t = (
            ((rank[pos] * wa[pos] + t // bc) * wb[pos] + (t // ncp) % nb[pos]) * wc[pos]
        ) + t % ncp
        pos_start = np.searchsorted(step, np.arange(max_len + 1))  # positions of each step
        tri_end = np.cumsum(n_tri)
        tri_start = tri_end - n_tri
        score = np.zeros((running[0], 1, 1))
        backs = []
        finals_v = np.zeros(len(lattices), dtype=np.int64)
        finals_w = np.zeros(len(lattices), dtype=np.int64)
        for i in range(max_len):
            n_i = int(running[i])
            a, b, c = int(width[i]), int(width[i + 1]), int(width[i + 2])
            ps, pe = pos_start[i], pos_start[i + 1]
            ts, te = tri_start[ps], tri_end[pe - 1]
            block = np.full(n_i * a * b * c, -np.inf)
            block[slot_t[ts:te]] = logp[ts:te]
            total = score[:n_i, :, :, None] + block.reshape(n_i, a, b, c)
            bon = np.zeros((n_i, c))
            own, loc = _ranges(nc[ps:pe])
            bon[own, loc] = flat_bonus[off[g[ps:pe]][own] + loc]
            total += bon[:, None, None, :]
            back = total.argmax(axis=1)
            backs.append(back)
            score = np.take_along_axis(total, back[:, None], axis=1)[:, 0]
            n_next = int(running[i + 1])
            if n_next < n_i:
                best = score[n_next:].reshape(n_i - n_next, -1).argmax(axis=1)
                finals_v[n_next:n_i] = best // c
                finals_w[n_next:n_i] = best % c
        chosen = np.zeros((max_len, len(lattices)), dtype=np.int64)
        cur_v = finals_v.copy()
        cur_w = finals_w.copy()
        for i in range(max_len - 1, -1, -1):
            n_i = int(running[i])
            n_next = int(running[i + 1])
            cur_v[n_next:n_i] = finals_v[n_next:n_i]
            cur_w[n_next:n_i] = finals_w[n_next:n_i]
            chosen[i, :n_i] = cur_w[:n_i]
            prev = backs[i][np.arange(n_i), cur_v[:n_i], cur_w[:n_i]]
            cur_w[:n_i] = cur_v[:n_i]
            cur_v[:n_i] = prev
        for r, n in enumerate(order):
            results[int(n)] = chosen[: int(sorted_len[r]), r].tolist()
        return results
