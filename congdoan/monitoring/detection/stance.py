"""Stance toward the union (negative / neutral / positive) of each item.

Two questions: is the union the target of the text, and what does the text feel?

- The target: the text names the union ("công đoàn", "cđcs", "lđlđ", "đoàn phí", "kinh phí
  công đoàn"…; a unit of the tree named with its union prefix does too; an enterprise named
  alone, "Công ty May A nợ lương", is the employer, not the union).
- The feeling: the shipped sentiment classifier (``congdoan.text.shipped.SENTIMENT``, one call
  per batch). It learnt on students' feedback and reads neutral union news as negative, so its
  log-probabilities are first corrected by their mean over neutral domain lines
  (:data:`CALIBRATION`, written for this module) and ``P(positive) − P(negative)`` is weighed
  by :data:`MODEL_WEIGHT`; cue phrases said of the union on social media move it ("công đoàn
  bù nhìn", "đóng đoàn phí làm gì", "cảm ơn công đoàn"…, :data:`CUES`), and a toxic text is
  pushed down.

A text that does not target the union is neutral toward it (its score is kept, damped, so that
it still orders). The score is in −1..1 (negative at −:data:`MARGIN` or below, positive at
:data:`MARGIN` or above).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from congdoan.monitoring.detection.relevance import PhraseIndex, Relevance, canonical
from congdoan.text import shipped
from congdoan.text.classify import AccurateClassifier, TextClassifier, load_classifier

NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"
MARGIN = 0.25
MODEL_WEIGHT = 0.5  # the sentiment model is trained on students' feedback: a weak signal here
UNTARGETED_DAMPING = 0.3
TOXIC_PUSH = 0.5

UNION_WORDS = (
    "công đoàn",
    "liên đoàn lao động",
    "tổng liên đoàn",
    "đoàn phí",
    "kinh phí công đoàn",
    "cán bộ công đoàn",
    "chủ tịch công đoàn",
)

# Cue phrase → push on the score (said of the union on social media).
CUES: dict[str, float] = {
    # negative
    "công đoàn bù nhìn": -0.8,
    "công đoàn làm gì": -0.5,
    "công đoàn ở đâu": -0.5,
    "công đoàn đâu": -0.4,
    "công đoàn vô dụng": -0.8,
    "công đoàn ăn hại": -0.8,
    "công đoàn ăn bám": -0.8,
    "công đoàn tay sai": -0.8,
    "công đoàn bảo kê": -0.8,
    "công đoàn chỉ biết thu": -0.8,
    "chỉ biết thu tiền": -0.6,
    "chỉ biết thu": -0.5,
    "công đoàn chỉ biết": -0.5,
    "công đoàn phe chủ": -0.8,
    "đứng về phía chủ": -0.6,
    "bênh chủ": -0.6,
    "ăn chặn": -0.6,
    "ăn chặn tiền": -0.7,
    "ăn tiền": -0.5,
    "tham nhũng": -0.6,
    "làm ngơ": -0.5,
    "im lặng": -0.3,
    "không lên tiếng": -0.5,
    "không giúp được gì": -0.6,
    "không giúp gì": -0.6,
    "không làm được gì": -0.5,
    "vô tích sự": -0.8,
    "vô dụng": -0.6,
    "bù nhìn": -0.6,
    "hình thức": -0.3,
    "đóng đoàn phí làm gì": -0.8,
    "đóng làm gì": -0.4,
    "mất tiền": -0.3,
    "lừa đảo": -0.6,
    "bỏ công đoàn": -0.6,
    "rút khỏi công đoàn": -0.6,
    "giải tán công đoàn": -0.7,
    "thất vọng": -0.5,
    # positive
    "cảm ơn công đoàn": 0.8,
    "cám ơn công đoàn": 0.8,
    "nhờ công đoàn": 0.6,
    "nhờ có công đoàn": 0.7,
    "công đoàn đã giúp": 0.7,
    "công đoàn giúp": 0.4,
    "công đoàn hỗ trợ": 0.5,
    "công đoàn tặng": 0.5,
    "công đoàn thăm": 0.4,
    "công đoàn bảo vệ": 0.5,
    "công đoàn đứng ra": 0.5,
    "công đoàn kịp thời": 0.6,
    "ủng hộ công đoàn": 0.6,
    "tin tưởng công đoàn": 0.6,
    "ấm lòng": 0.5,
    "cảm ơn": 0.3,
    "rất tốt": 0.3,
    "thiết thực": 0.4,
    "tặng quà": 0.4,
    "trao quà": 0.4,
    "suất quà": 0.4,
    "hỗ trợ": 0.25,
    "thăm hỏi": 0.3,
    "chăm lo": 0.4,
    "kịp thời": 0.3,
    "bảo vệ quyền lợi": 0.4,
    "quan tâm": 0.25,
    "phấn khởi": 0.4,
    "vui mừng": 0.4,
    "ý nghĩa": 0.3,
    "vô lý": -0.3,
    "bức xúc": -0.3,
    "phẫn nộ": -0.5,
    "bất công": -0.4,
    "bóc lột": -0.4,
    "chán": -0.3,
    "nhục": -0.4,
    "tệ": -0.3,
    "thu tiền": -0.3,
    "đâu hết rồi": -0.4,
    "ở đâu": -0.2,
}


# Neutral news about the union and work, written for this module (not test data): the sentiment
# model, trained on students' feedback, reads such text as negative (P ≈ 0.8); its mean
# log-probabilities over these lines are subtracted, so that neutral domain text reads neutral.
CALIBRATION = (
    "Công đoàn cơ sở Công ty May A tổ chức đại hội nhiệm kỳ 2026 - 2031",
    "Liên đoàn Lao động huyện triển khai kế hoạch công tác năm 2027",
    "Hội nghị ban chấp hành công đoàn huyện lần thứ 5",
    "Công nhân khu công nghiệp làm việc ca đêm từ 22 giờ",
    "Thông báo lịch nghỉ Tết Nguyên đán của công ty",
    "Mức đóng bảo hiểm xã hội năm nay được điều chỉnh theo lương cơ sở",
    "Công đoàn ngành giáo dục tổ chức tập huấn nghiệp vụ cho cán bộ",
    "Người lao động được nghỉ 4 ngày dịp 30/4 và 1/5",
    "Công ty tuyển 200 công nhân may, làm việc tại khu công nghiệp",
    "Ban nữ công công đoàn họp bàn kế hoạch tháng 3",
    "Quy định về kinh phí công đoàn và đoàn phí công đoàn",
    "Đoàn viên công đoàn đăng ký tham gia giải bóng đá công nhân",
    "Lương tối thiểu vùng áp dụng từ ngày 1 tháng 7",
    "Công đoàn đối thoại với ban giám đốc về bữa ăn ca",
    "Hướng dẫn thủ tục hưởng bảo hiểm thất nghiệp",
    "cong doan co so hop ban chap hanh thang 9",
    "ldld huyen to chuc hoi nghi tong ket",
)


@dataclass(frozen=True)
class StanceResult:
    label: str
    score: float  # −1..1
    targeted: bool


@lru_cache(maxsize=1)
def _union_index() -> PhraseIndex:
    index = PhraseIndex()
    for phrase in UNION_WORDS:
        index.add(canonical(phrase), 1.0)
    return index


@lru_cache(maxsize=1)
def _cue_index() -> dict[tuple[str, ...], float]:
    return {tuple(canonical(p).split()): w for p, w in CUES.items()}


@lru_cache(maxsize=1)
def _cue_phrases() -> PhraseIndex:
    index = PhraseIndex()
    for phrase in CUES:
        index.add(canonical(phrase), 1.0)
    return index


@lru_cache(maxsize=1)
def fast_model() -> TextClassifier:
    return TextClassifier.load(shipped.classifier_dir(shipped.SENTIMENT))


@lru_cache(maxsize=1)
def accurate_model() -> TextClassifier | AccurateClassifier:
    return load_classifier(shipped.classifier_dir(shipped.SENTIMENT), mode="accurate")


def _correction(clf: TextClassifier | AccurateClassifier) -> np.ndarray:
    key = id(clf)
    if key not in _CORRECTIONS:
        from congdoan.monitoring.detection import prepare  # lazy: the package imports this module

        proba = clf.predict_proba([prepare("", t) for t in CALIBRATION])
        logp = np.log(np.maximum(proba, 1e-9)).mean(axis=0)
        _CORRECTIONS[key] = (logp - logp.mean()).astype(np.float32)
    return _CORRECTIONS[key]


_CORRECTIONS: dict[int, np.ndarray] = {}


def sentiment(
    texts: Sequence[str], *, accurate: bool = False, proba: np.ndarray | None = None
) -> tuple[np.ndarray, list[str]]:
    """Probabilities of the sentiment model on the texts, corrected for the domain (see
    :data:`CALIBRATION`), and the labels; ``proba``: the fast model's own probabilities when
    they are already known (:mod:`.fused`)."""
    clf = accurate_model() if accurate else fast_model()
    if proba is None:
        proba = clf.predict_proba(list(texts))
    logp = np.log(np.maximum(proba, 1e-9)) - _correction(clf)
    logp -= logp.max(axis=1, keepdims=True)
    out = np.exp(logp)
    out /= out.sum(axis=1, keepdims=True)
    return out, list(clf.labels)


def cue_push(words: Sequence[str]) -> float:
    """The summed push of the cue phrases in a text (a cue inside a longer cue counts once)."""
    found = _cue_phrases().find(words)
    if not found:
        return 0.0
    weights = _cue_index()
    keys = sorted(found, key=len, reverse=True)
    kept: list[tuple[str, ...]] = []
    total = 0.0
    for key in keys:
        if any(_inside(key, longer) for longer in kept):
            continue
        kept.append(key)
        total += weights[key]
    return total


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return n < len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def targets_union(words: Sequence[str], relevance: Relevance | None = None) -> bool:
    """True when the text names the union (a unit named with its union prefix names it too;
    an enterprise named alone, "Công ty May A nợ lương", is the employer, not the union)."""
    return bool(_union_index().find(words))


def assess(
    texts: Sequence[str],
    words: Sequence[Sequence[str]],
    relevances: Sequence[Relevance | None],
    toxicity_scores: Sequence[float],
    *,
    accurate: bool = False,
    proba: np.ndarray | None = None,
) -> list[StanceResult]:
    """Stance of each text (prepared text, its canonical words, relevance, toxicity score;
    ``proba``: the sentiment model's probabilities when already known)."""
    if not texts:
        return []
    proba, labels = sentiment(texts, accurate=accurate, proba=proba)
    pos, neg = labels.index(POSITIVE), labels.index(NEGATIVE)
    out: list[StanceResult] = []
    for i, text_words in enumerate(words):
        feeling = MODEL_WEIGHT * float(proba[i, pos] - proba[i, neg])
        score = feeling + cue_push(text_words) - TOXIC_PUSH * max(0.0, toxicity_scores[i] - 0.5)
        score = max(-1.0, min(1.0, score))
        targeted = targets_union(text_words, relevances[i])
        if not targeted:
            out.append(StanceResult(NEUTRAL, round(UNTARGETED_DAMPING * score, 4), False))
            continue
        label = NEGATIVE if score <= -MARGIN else POSITIVE if score >= MARGIN else NEUTRAL
        out.append(StanceResult(label, round(score, 4), True))
    return out
