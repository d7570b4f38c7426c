"""The fast toxicity, sentiment and relevance models read together: all are the toolkit's
linear model over the same features (folded word 1–3-grams, character 1–5-grams), so each
text's features are extracted and counted once for all, and only the TF-IDF weights and the
dot product are each model's own.

The probabilities are exactly those of ``TextClassifier.predict_proba`` (the same features,
counts and sums in the same order); the three models cost little more than one. The
relevance model joins only when its file is there (:func:`.relevance.model`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from congdoan.monitoring.detection import relevance, stance, toxicity
from congdoan.text.classify import TextClassifier
from congdoan.text.classify.features import _clean, char_features, word_features
from congdoan.text.classify.linear import _sparse_dot, word_flags

# Tokens whose character features are remembered (per process, cleared when full).
TOKEN_CACHE = 200_000


@dataclass
class _Model:
    clf: TextClassifier
    local: np.ndarray  # global feature id → this model's index, −1 when it has none
    flags: np.ndarray  # this model's index → 1 for a word n-gram, 0 for a character n-gram


class Fused:
    """Several linear classifiers of one feature configuration, read in one pass."""

    def __init__(self, classifiers: Sequence[TextClassifier]) -> None:
        configs = {repr(c.config.as_dict()) for c in classifiers}
        if len(configs) != 1 or classifiers[0].config.marks:
            raise ValueError("fused classifiers need the same folded feature configuration")
        self.config = classifiers[0].config
        vocab: dict[str, int] = {}
        for clf in classifiers:
            for feature in clf.vocab:
                vocab.setdefault(feature, len(vocab))
        self.vocab = vocab
        self.models = []
        for clf in classifiers:
            local = np.full(len(vocab), -1, dtype=np.int64)
            for feature, j in clf.vocab.items():
                local[vocab[feature]] = j
            self.models.append(_Model(clf, local, word_flags(clf.vocab)))
        self._tokens: dict[str, list[int]] = {}

    def _features(self, texts: Sequence[str]) -> tuple[np.ndarray, list[int]]:
        get = self.vocab.get
        tokens = self._tokens
        flat: list[int] = []
        lengths: list[int] = []
        for text in texts:
            toks = _clean(text, False).split()
            found = [j for j in map(get, word_features(toks, self.config)) if j is not None]
            for t in toks:
                cached = tokens.get(t)
                if cached is None:
                    cached = [j for j in map(get, char_features(t, self.config)) if j is not None]
                    if len(tokens) >= TOKEN_CACHE:
                        tokens.clear()
                    tokens[t] = cached
                found.extend(cached)
            flat.extend(found)
            lengths.append(len(found))
        return np.asarray(flat, dtype=np.int64), lengths

    def predict_proba(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Each model's probabilities for the texts, in the models' order."""
        flat, lengths = self._features(texts)
        n_rows, width = len(lengths), max(len(self.vocab), 1)
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
        keys, counts = np.unique(rows * width + flat, return_counts=True)
        rows, ids = keys // width, keys % width
        logs = 1.0 + np.log(counts.astype(np.float32))
        out = []
        for model in self.models:
            out.append(self._predict(model, n_rows, rows, ids, logs))
        return out

    @staticmethod
    def _predict(
        model: _Model, n_rows: int, rows: np.ndarray, ids: np.ndarray, logs: np.ndarray
    ) -> np.ndarray:
        # As `linear._vectorize` for this model alone: its features, in (row, index) order.
        idx = model.local[ids]
        kept = idx >= 0
        idx, mine, logs = idx[kept], rows[kept], logs[kept]
        width = max(len(model.clf.vocab), 1)
        order = np.argsort(mine * width + idx, kind="stable")
        idx, mine, logs = idx[order], mine[order], logs[order]
        ptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(mine, minlength=n_rows), out=ptr[1:])
        vals = logs * model.clf.idf[idx] if len(idx) else np.zeros(0, dtype=np.float32)
        if len(idx):
            block = mine * 2 + model.flags[idx]
            sq = np.bincount(block, weights=vals * vals, minlength=2 * n_rows)
            vals = vals / np.sqrt(np.maximum(sq[block], 1e-24))
        clf = model.clf
        scores = _sparse_dot(ptr, idx, vals.astype(np.float32), clf.weights) + clf.bias
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores


@lru_cache(maxsize=1)
def fast_models() -> Fused:
    """The fast toxicity, sentiment and (when its file is there) relevance models, fused, in
    that order."""
    clf = relevance.model()
    return Fused([toxicity.fast_model(), stance.fast_model(), *([clf] if clf else [])])
