"""The fast classifier: TF-IDF over the features, multinomial logistic regression trained with
mini-batch Adam in numpy; one compressed ``.npz`` per model, prediction a sparse dot product."""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from congdoan.text.classify.features import (
    META_FILE,
    MODEL_FILE,
    FeatureConfig,
    _clean,
    char_features,
    extract,
    word_features,
)
from congdoan.text.metrics import macro_f1
from congdoan.text.storage import save_npz

log = logging.getLogger(__name__)


@dataclass
class TextClassifier:
    labels: list[str]
    vocab: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray  # (n_features, n_labels)
    bias: np.ndarray  # (n_labels,)
    config: FeatureConfig = field(default_factory=FeatureConfig)
    meta: dict[str, object] = field(default_factory=dict)
    _flags: np.ndarray | None = field(default=None, repr=False, compare=False)

    # -- features -------------------------------------------------------------------------
    def _matrix(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR arrays (indptr, indices, values) of the TF-IDF, L2-normalised features."""
        if self._flags is None or len(self._flags) != len(self.vocab):
            self._flags = word_flags(self.vocab)
        return _vectorize(texts, self.vocab, self.idf, self.config, self._flags)

    # -- prediction -----------------------------------------------------------------------
    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        indptr, indices, values = self._matrix(texts)
        scores = _sparse_dot(indptr, indices, values, self.weights) + self.bias
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """(label, probability) for each text, in order."""
        if not texts:
            return []
        proba = self.predict_proba(list(texts))
        best = proba.argmax(axis=1)
        return [(self.labels[int(b)], float(proba[i, b])) for i, b in enumerate(best)]

    # -- training -------------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        epochs: int = 12,
        l2: float = 1e-5,
        learning_rate: float = 0.02,
        min_count: int = 2,
        min_word_count: int = 1,
        max_features: int = 400_000,
        class_weight: str | None = "balanced",
        config: FeatureConfig | None = None,
        seed: int = 13,
        batch_size: int = 256,
        progress: bool = False,
        loss: str = "log",
    ) -> TextClassifier:
        """Train on (text, label) pairs and return the classifier.

        Steps: 1. count features; keep those seen in ``min_count`` texts (at most
        ``max_features``, most frequent first); 2. IDF; 3. mini-batch Adam on the softmax
        loss with L2 and optional balanced class weights.
        """
        if len(texts) != len(labels) or not texts:
            raise ValueError("texts and labels must be non-empty and of the same length")
        config = config or FeatureConfig()
        label_names = sorted(set(labels))
        label_index = {name: i for i, name in enumerate(label_names)}
        y = np.array([label_index[lab] for lab in labels], dtype=np.int64)

        doc_freq: Counter[str] = Counter()
        for text in texts:
            doc_freq.update(set(extract(text, config)))
        kept = [
            f
            for f, n in doc_freq.most_common(max_features)
            if n >= (min_word_count if f.startswith("w ") else min_count)
        ]
        if not kept:
            kept = [f for f, _ in doc_freq.most_common(max_features)]
        vocab = {f: i for i, f in enumerate(kept)}
        n_docs = len(texts)
        idf = np.array(
            [math.log((1 + n_docs) / (1 + doc_freq[f])) + 1.0 for f in kept], dtype=np.float32
        )
        indptr, indices, values = _vectorize(texts, vocab, idf, config, word_flags(vocab))

        n_labels = len(label_names)
        sample_w = sample_weights(y, n_labels, class_weight)
        weights, bias = _fit_softmax(
            indptr,
            indices,
            values,
            y,
            sample_w,
            len(vocab),
            n_labels,
            epochs=epochs,
            l2=l2,
            learning_rate=learning_rate,
            seed=seed,
            batch_size=batch_size,
            progress=progress,
            loss=loss,
        )
        return cls(
            labels=label_names,
            vocab=vocab,
            idf=idf,
            weights=weights.astype(np.float32),
            bias=bias.astype(np.float32),
            config=config,
            meta={
                "n_train": n_docs,
                "epochs": epochs,
                "l2": l2,
                "learning_rate": learning_rate,
                "min_count": min_count,
                "class_weight": class_weight,
                "loss": loss,
            },
        )

    def tune_biases(self, texts: Sequence[str], labels: Sequence[str], rounds: int = 3) -> float:
        """Shift the per-label biases to maximise macro-F1 on held-out (dev) data.

        Coordinate ascent over a grid of offsets, a few rounds; returns the dev macro-F1.
        Only ever call it with development data, never with the test split.
        """
        indptr, indices, values = self._matrix(list(texts))
        base = _sparse_dot(indptr, indices, values, self.weights)
        current, bias = _tune_bias(
            base, list(labels), self.labels, macro_f1, rounds, start=self.bias.astype(np.float64)
        )
        self.bias = bias.astype(np.float32)
        self.meta["dev_macro_f1"] = round(current, 2)
        return current

    # -- persistence ----------------------------------------------------------------------
    def _arrays(self) -> dict[str, np.ndarray]:
        vocab_text = "\n".join(sorted(self.vocab, key=self.vocab.__getitem__))
        return {
            "vocab": np.frombuffer(vocab_text.encode("utf-8"), dtype=np.uint8),
            "idf": self.idf.astype(np.float16),
            "weights": self.weights.astype(np.float16),
            "bias": self.bias.astype(np.float32),
        }

    def _meta_json(self) -> str:
        meta = {"labels": self.labels, "features": self.config.as_dict(), **self.meta}
        return json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def save(self, path: str | Path) -> None:
        """Write ``model.npz`` (vocabulary, IDF, float16 weights) and ``meta.json`` to a folder."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        save_npz(folder / MODEL_FILE, **self._arrays())
        (folder / META_FILE).write_text(self._meta_json(), "utf-8")

    def save_file(self, path: str | Path) -> None:
        """The same arrays and meta in one ``.npz`` (a second linear model beside the first)."""
        meta = np.frombuffer(self._meta_json().encode("utf-8"), dtype=np.uint8)
        save_npz(Path(path), meta=meta, **self._arrays())

    @classmethod
    def load(cls, path: str | Path) -> TextClassifier:
        folder = Path(path)
        meta = json.loads((folder / META_FILE).read_text("utf-8"))
        with np.load(folder / MODEL_FILE) as data:
            return cls._from(meta, data)

    @classmethod
    def load_file(cls, path: str | Path) -> TextClassifier:
        """A model written by :meth:`save_file`."""
        with np.load(Path(path)) as data:
            return cls._from(json.loads(data["meta"].tobytes().decode("utf-8")), data)

    @classmethod
    def _from(cls, meta: dict[str, Any], data: Any) -> TextClassifier:
        vocab_text = data["vocab"].tobytes().decode("utf-8")
        names = vocab_text.split("\n") if vocab_text else []
        vocab = dict(zip(names, range(len(names)), strict=True))
        feats = meta.get("features", {})
        extra = {k: v for k, v in meta.items() if k not in ("labels", "features")}
        return cls(
            labels=list(meta["labels"]),
            vocab=vocab,
            idf=data["idf"].astype(np.float32),
            weights=data["weights"].astype(np.float32),
            bias=data["bias"].astype(np.float32),
            config=FeatureConfig(**feats),
            meta=extra,
        )


def _vectorize(
    texts: Iterable[str],
    vocab: dict[str, int],
    idf: np.ndarray,
    config: FeatureConfig,
    flags: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    flat: list[int] = []
    lengths: list[int] = []
    get = vocab.get
    # Character features of a token are the same wherever it occurs: cache them.
    token_cache: dict[str, list[int]] = {}
    for text in texts:
        toks = _clean(text, config.marks).split()
        found = [j for j in map(get, word_features(toks, config)) if j is not None]
        for t in toks:
            cached = token_cache.get(t)
            if cached is None:
                cached = [j for j in map(get, char_features(t, config)) if j is not None]
                if len(token_cache) < 200_000:
                    token_cache[t] = cached
            found.extend(cached)
        flat.extend(found)
        lengths.append(len(found))
    # Counts per (row, feature) for the whole batch at once: one sort instead of a Counter
    # per text (a fifth of the time at 1,000 texts).
    n_rows, width = len(lengths), max(len(vocab), 1)
    rows = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
    keys, counts = np.unique(rows * width + np.asarray(flat, dtype=np.int64), return_counts=True)
    idx = keys % width
    ptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys // width, minlength=n_rows), out=ptr[1:])
    vals = (
        (1.0 + np.log(counts.astype(np.float32))) * idf[idx]
        if len(idx)
        else (np.zeros(0, dtype=np.float32))
    )
    # L2 normalise the word block and the character block of each row separately, so
    # the many character n-grams do not drown the word n-grams.
    if len(idx):
        rows = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
        block = rows * 2 + flags[idx]
        sq = np.bincount(block, weights=vals * vals, minlength=2 * (len(ptr) - 1))
        vals = vals / np.sqrt(np.maximum(sq[block], 1e-24))
    return ptr, idx, vals.astype(np.float32)


def sample_weights(y: np.ndarray, n_labels: int, class_weight: str | None) -> np.ndarray:
    """Per-example weights: "balanced" gives each class the same total weight; else all 1."""
    if class_weight != "balanced":
        return np.ones(len(y))
    counts = np.bincount(y, minlength=n_labels).astype(np.float64)
    return (len(y) / (n_labels * np.maximum(counts, 1)))[y]


def word_flags(vocab: dict[str, int]) -> np.ndarray:
    """1 for word n-gram features, 0 for character n-grams."""
    flags = np.zeros(len(vocab), dtype=np.int64)
    for f, j in vocab.items():
        if f.startswith("w "):
            flags[j] = 1
    return flags


def _sparse_dot(
    indptr: np.ndarray, indices: np.ndarray, values: np.ndarray, w: np.ndarray
) -> np.ndarray:
    n_rows = len(indptr) - 1
    out = np.zeros((n_rows, w.shape[1]), dtype=np.float32)
    if len(indices) == 0:
        return out
    contrib = w[indices] * values[:, None]
    lengths = np.diff(indptr)
    nonempty = lengths > 0
    sums = np.add.reduceat(contrib, indptr[:-1][nonempty], axis=0)
    out[nonempty] = sums
    return out


def _fit_softmax(
    indptr: np.ndarray,
    indices: np.ndarray,
    values: np.ndarray,
    y: np.ndarray,
    sample_w: np.ndarray,
    n_features: int,
    n_labels: int,
    *,
    epochs: int,
    l2: float,
    learning_rate: float,
    seed: int,
    batch_size: int,
    progress: bool,
    loss: str = "log",
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    w = np.zeros((n_features, n_labels), dtype=np.float64)
    b = np.zeros(n_labels, dtype=np.float64)
    m_w = np.zeros_like(w)
    v_w = np.zeros_like(w)
    m_b = np.zeros_like(b)
    v_b = np.zeros_like(b)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    n = len(y)
    step = 0
    epoch_iter: Iterable[int] = range(epochs)
    if progress:
        from tqdm import tqdm

        epoch_iter = tqdm(epoch_iter, desc="train", unit="epoch")
    onehot = np.eye(n_labels)[y]
    for _ in epoch_iter:
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            rows = order[start : start + batch_size]
            lengths = indptr[rows + 1] - indptr[rows]
            pos = (
                np.concatenate([np.arange(indptr[r], indptr[r + 1]) for r in rows])
                if len(rows)
                else (np.zeros(0, dtype=np.int64))
            )
            idx = indices[pos]
            vals = values[pos]
            row_of = np.repeat(np.arange(len(rows)), lengths)
            scores = np.zeros((len(rows), n_labels))
            np.add.at(scores, row_of, w[idx] * vals[:, None])
            scores += b
            scores_max = scores.max(axis=1, keepdims=True)
            scores -= scores_max
            if loss == "hinge":
                # One-vs-rest squared hinge (the LinearSVC loss).
                sign = 2.0 * onehot[rows] - 1.0
                slack = np.maximum(0.0, 1.0 - sign * (scores + scores_max))
                g_rows = -2.0 * sign * slack * sample_w[rows, None] / len(rows)
            else:
                p = np.exp(scores)
                p /= p.sum(axis=1, keepdims=True)
                g_rows = (p - onehot[rows]) * sample_w[rows, None] / len(rows)
            uniq, inv = np.unique(idx, return_inverse=True)
            g_w = np.zeros((len(uniq), n_labels))
            np.add.at(g_w, inv, g_rows[row_of] * vals[:, None])
            g_w += l2 * w[uniq]
            g_b = g_rows.sum(axis=0)
            step += 1
            # Lazy Adam: only the rows of features present in the batch move.
            m_w[uniq] = beta1 * m_w[uniq] + (1 - beta1) * g_w
            v_w[uniq] = beta2 * v_w[uniq] + (1 - beta2) * g_w * g_w
            corr = math.sqrt(1 - beta2**step) / (1 - beta1**step)
            w[uniq] -= learning_rate * corr * m_w[uniq] / (np.sqrt(v_w[uniq]) + eps)
            m_b = beta1 * m_b + (1 - beta1) * g_b
            v_b = beta2 * v_b + (1 - beta2) * g_b * g_b
            b -= learning_rate * corr * m_b / (np.sqrt(v_b) + eps)
    return w, b


def _tune_bias(
    base: np.ndarray,
    gold: list[str],
    names: list[str],
    metric: Any,
    rounds: int = 3,
    start: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """Coordinate ascent over per-label offsets (from `start`, else zeros) for the best
    ``metric`` (macro-F1) on dev; a grid of offsets, a few rounds."""

    def score(bias: np.ndarray) -> float:
        return float(metric(gold, [names[int(b)] for b in (base + bias).argmax(axis=1)]))

    bias = np.zeros(base.shape[1]) if start is None else start.copy()
    current = score(bias)
    grid = np.linspace(-2.0, 2.0, 41)
    for _ in range(rounds):
        improved = False
        for k in range(len(names)):
            for step in grid:
                trial = bias.copy()
                trial[k] += step
                value = score(trial)
                if value > current + 1e-9:
                    current, bias, improved = value, trial, True
        if not improved:
            break
    return current, bias
