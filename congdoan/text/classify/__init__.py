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

The package: `features` (what the model sees), `linear` (the fast model), `accurate` (the
encoder head and `load_classifier`).
"""

from __future__ import annotations

from congdoan.text.classify.accurate import (
    ACCENTED_FILE,
    HEAD_FILE,
    TUNED_FILE,
    AccurateClassifier,
    EncoderHead,
    _fingerprint,
    accurate_available,
    encode_prepared,
    encode_texts,
    encoder_texts,
    load_classifier,
    tuned_encoder,
)
from congdoan.text.classify.features import (
    META_FILE,
    MODEL_FILE,
    FeatureConfig,
    char_features,
    extract,
    word_features,
)
from congdoan.text.classify.linear import (
    TextClassifier,
    sample_weights,
    word_flags,
)

__all__ = [
    "ACCENTED_FILE",
    "HEAD_FILE",
    "META_FILE",
    "MODEL_FILE",
    "TUNED_FILE",
    "AccurateClassifier",
    "EncoderHead",
    "FeatureConfig",
    "TextClassifier",
    "_fingerprint",
    "accurate_available",
    "char_features",
    "encode_prepared",
    "encode_texts",
    "encoder_texts",
    "extract",
    "load_classifier",
    "sample_weights",
    "tuned_encoder",
    "word_features",
    "word_flags",
]
