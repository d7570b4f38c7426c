"""The trained classifiers of the triage, loaded once per process, and their fallbacks.

- topic: the `TextClassifier` shipped in `feedback/trained/topic`, or the one
  `congdoan feedback retrain` wrote under var/ (FEEDBACK_TRAINED_MODEL_DIR), which wins;
  keyword rules when neither can be loaded (with a warning);
- urgency: the same kind of model in `urgency` beside the topic one (the rules of
  `keywords.urgency_for` come first; the model only raises "normal");
- sentiment: the text toolkit's UIT-VSFC model (`congdoan.text.shipped.SENTIMENT`)
  when it is shipped, else a small lexicon (logged once).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from congdoan.feedback.models import Sentiment
from congdoan.feedback.triage.keywords import keyword_topic, lexicon_sentiment
from congdoan.text.classify import TextClassifier
from congdoan.text.shipped import SENTIMENT, classifier_dir

log = logging.getLogger("congdoan.feedback")

# The toolkit's sentiment model (trained on UIT-VSFC, students' feedback): named, not searched for.
SENTIMENT_MODEL_DIR = classifier_dir(SENTIMENT)


def model_dir() -> Path | None:
    """The retrained topic model when there is one, else the shipped one, else None."""
    for folder in (Path(settings.FEEDBACK_TRAINED_MODEL_DIR), Path(settings.FEEDBACK_MODEL_DIR)):
        if (folder / "model.npz").exists():
            return folder
    return None


def urgency_model_dir() -> Path | None:
    """The urgency model beside the topic model ("urgency" next to "topic"), retrained first."""
    for folder in (Path(settings.FEEDBACK_TRAINED_MODEL_DIR), Path(settings.FEEDBACK_MODEL_DIR)):
        sibling = folder.parent / "urgency"
        if (sibling / "model.npz").exists():
            return sibling
    return None


@lru_cache(maxsize=1)
def urgency_model() -> TextClassifier | None:
    folder = urgency_model_dir()
    return TextClassifier.load(folder) if folder is not None else None


@lru_cache(maxsize=1)
def topic_model() -> TextClassifier | None:
    folder = model_dir()
    if folder is None:
        log.warning("feedback: no topic model found; using keyword rules for topics")
        return None
    return TextClassifier.load(folder)


@lru_cache(maxsize=1)
def sentiment_model() -> TextClassifier | None:
    """The toolkit's sentiment model if it is shipped (SENTIMENT_MODEL_DIR), else None."""
    if (SENTIMENT_MODEL_DIR / "model.npz").exists():
        return TextClassifier.load(SENTIMENT_MODEL_DIR)
    log.warning("feedback: no sentiment model in congdoan/text/models; using a small lexicon")
    return None


def reset_models() -> None:
    """Forget the loaded models (after a retraining, or between tests)."""
    topic_model.cache_clear()
    urgency_model.cache_clear()
    sentiment_model.cache_clear()


def _sentiment_label(raw: str) -> str:
    value = raw.lower()
    if value in ("0", "neg", "negative", "tieu cuc"):
        return Sentiment.NEGATIVE.value
    if value in ("2", "pos", "positive", "tich cuc"):
        return Sentiment.POSITIVE.value
    return Sentiment.NEUTRAL.value


def sentiments(texts: list[str]) -> list[str]:
    """Negative, neutral or positive for each text: the model, else the lexicon."""
    model = sentiment_model()
    if model is not None:
        return [_sentiment_label(label) for label, _p in model.predict(texts)]
    return [lexicon_sentiment(text) for text in texts]


def topics(texts: list[str]) -> list[tuple[str, float]]:
    """(topic, confidence) for each text: the model, else keyword rules."""
    model = topic_model()
    if model is None:
        return [keyword_topic(t) for t in texts]
    return [(label, prob) for label, prob in model.predict(texts)]
