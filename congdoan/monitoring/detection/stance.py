"""Stance toward the union (negative / neutral / positive) of each item.

Two questions: is the union the target of the text, and what does the text feel?

- The target: the text names the union ("công đoàn", "cđcs", "lđlđ", "đoàn phí", "kinh phí
  công đoàn"…; a unit of the tree named with its union prefix does too; an enterprise named
  alone, "Công ty May A nợ lương", is the employer, not the union).
- The feeling: cue phrases said of the union on social media (:mod:`.stance_cues`: "công
  đoàn bù nhìn", "đóng đoàn phí làm gì", "cảm ơn công đoàn", "may có công đoàn đứng ra"…),
  read clause by clause (:func:`cue_score`): a cue after a negator is turned ("chưa bao giờ
  thấy công đoàn bảo vệ ai" blames, "công đoàn không hề im lặng" defends; "không có công đoàn
  thì …" is a condition, not a denial), a cue before "… là sai" too; praise beside blame is
  halved (sarcasm: "cảm ơn công đoàn đã im lặng suốt 3 tháng"); a general cue in a clause
  that names the employer and not the union is damped ("công ty bóc lột …, mai lên hỏi công
  đoàn"). To these the shipped sentiment classifier (``congdoan.text.shipped.SENTIMENT``, one
  call per batch) adds a little: it learnt on students' feedback and reads neutral union news
  as negative, so its log-probabilities are first corrected by their mean over neutral domain
  lines (:data:`CALIBRATION`, written for this module) and ``P(positive) − P(negative)`` is
  weighed by :data:`MODEL_WEIGHT`, less still for a question without any cue (a question
  about dues asks, the model reads it as negative); a toxic text is pushed down.

The cues and weights were tuned on the dev half of ``congdoan/text/data/union_stance.jsonl``
only; `congdoan nlp eval --only stance` reports the test half (macro-F1 50.1 before, 74.3
after; dev 59.7 before, 88.7 after, docs/monitoring.md).

A text that does not target the union is neutral toward it (its score is kept, damped, so that
it still orders). The score is in −1..1 (negative at −:data:`MARGIN` or below, positive at
:data:`MARGIN` or above).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from congdoan.monitoring.detection import stance_cues
from congdoan.monitoring.detection.relevance import PhraseIndex, Relevance, canonical
from congdoan.text import shipped
from congdoan.text.classify import AccurateClassifier, TextClassifier, load_classifier
from congdoan.text.vietnamese import fold

NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"
MARGIN = 0.15
MODEL_WEIGHT = 0.25  # the sentiment model is trained on students' feedback: a weak signal here
UNTARGETED_DAMPING = 0.3
TOXIC_PUSH = 0.5
NEGATION_WINDOW = 5  # words before a cue, in its clause, where a negator turns it
NEGATED_POSITIVE = 0.8  # "chưa bao giờ thấy công đoàn bảo vệ ai": a praise denied blames
NEGATED_NEGATIVE = 0.5  # "công đoàn không hề im lặng": a blame denied defends, less surely
MIXED_POSITIVE = 0.5  # praise beside blame is often sarcasm ("cảm ơn công đoàn đã im lặng")
EMPLOYER_DAMPING = 0.3  # a general cue in a clause about the employer, not the union
QUESTION_DAMPING = 0.3  # the model's feeling on a question without any cue

UNION_WORDS = stance_cues.UNION_WORDS
# Cue phrase → push on the score (said of the union on social media).
CUES: dict[str, float] = {
    **{p: -w for p, w in stance_cues.NEGATIVE_CUES.items()},
    **stance_cues.POSITIVE_CUES,
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


@dataclass(frozen=True)
class _Cues:
    by_first: dict[str, tuple[tuple[tuple[str, ...], float, bool], ...]]  # word → cues
    negators: frozenset[tuple[str, ...]]
    refuters: PhraseIndex
    questions: PhraseIndex
    union: PhraseIndex
    employer: PhraseIndex


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(canonical(phrase).split())


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    negators = frozenset(_words(p) for p in stance_cues.NEGATORS)
    by_first: dict[str, list[tuple[tuple[str, ...], float, bool]]] = {}
    for phrase, weight in CUES.items():
        key = _words(phrase)
        # A cue that starts with a negator ("không giúp gì") or asks "gì" ("tác dụng gì")
        # is not turned by a negator before it: "chả có tác dụng gì" blames all the same.
        negatable = not any(key[: len(n)] == n for n in negators) and "gi" not in key
        by_first.setdefault(key[0], []).append((key, weight, negatable))
    indexes = []
    for phrases in (
        stance_cues.REFUTERS,
        stance_cues.QUESTION_CUES,
        UNION_WORDS,
        stance_cues.EMPLOYER_WORDS,
    ):
        index = PhraseIndex()
        for phrase in phrases:
            index.add(" ".join(_words(phrase)), 1.0)
        indexes.append(index)
    return _Cues(
        {w: tuple(sorted(c, key=lambda c: -len(c[0]))) for w, c in by_first.items()},
        negators,
        *indexes,
    )


_CLAUSE_RE = re.compile(r"[.,;:!?…\n\"“”()]+")
_WORD_RE = re.compile(r"[^\W_]+")


def clauses(text: str) -> list[list[str]]:
    """The canonical words of a text's clauses (punctuation separates them)."""
    out = []
    for piece in _CLAUSE_RE.split(fold(text)):
        words = _WORD_RE.findall(piece)
        if words:
            out.append(words)
    return out


def _negated(words: Sequence[str], start: int, end: int, cues: _Cues, negatable: bool) -> bool:
    """A refuter after the cue ("… là sai"), or (``negatable``) a negator a few words before
    it, not a condition ("không có công đoàn thì …" praises)."""
    if cues.refuters.find(words[end:]):
        return True
    if not negatable:
        return False
    before = words[max(0, start - NEGATION_WINDOW) : start]
    negated = any(
        tuple(before[i : i + len(n)]) == n for n in cues.negators for i in range(len(before))
    )
    return negated and "thi" not in words[end:]


def cue_score(text: str) -> tuple[float, bool]:
    """The push of the cue phrases in a text (a phrase inside a longer one found counts once;
    a cue after a negator turned; a general cue in a clause about the employer damped; praise
    beside blame halved) and whether any cue was found."""
    cues = _cues()
    positive = negative = 0.0
    found = False
    for words in clauses(text):
        taken = [False] * len(words)
        hits: list[tuple[int, tuple[str, ...], float, bool]] = []
        for i, w in enumerate(words):
            for key, weight, negatable in cues.by_first.get(w, ()):
                if tuple(words[i : i + len(key)]) == key:
                    hits.append((i, key, weight, negatable))
        if not hits:
            continue
        about_employer = bool(cues.employer.find(words)) and not cues.union.find(words)
        for i, key, weight, negatable in sorted(hits, key=lambda h: (-len(h[1]), h[0])):
            if any(taken[i : i + len(key)]):
                continue
            taken[i : i + len(key)] = [True] * len(key)
            found = True
            if _negated(words, i, i + len(key), cues, negatable):
                weight = -weight * (NEGATED_POSITIVE if weight > 0 else NEGATED_NEGATIVE)
            if about_employer and not cues.union.find(key):
                weight *= EMPLOYER_DAMPING
            if weight > 0:
                positive += weight
            else:
                negative += weight
    if negative < 0:
        positive *= MIXED_POSITIVE
    return positive + negative, found


def is_question(text: str) -> bool:
    return "?" in text or bool(_cues().questions.find(_WORD_RE.findall(fold(text))))


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
        push, found = cue_score(texts[i])
        if not found and is_question(texts[i]):
            feeling *= QUESTION_DAMPING
        score = feeling + push - TOXIC_PUSH * max(0.0, toxicity_scores[i] - 0.5)
        score = max(-1.0, min(1.0, score))
        targeted = targets_union(text_words, relevances[i])
        if not targeted:
            out.append(StanceResult(NEUTRAL, round(UNTARGETED_DAMPING * score, 4), False))
            continue
        label = NEGATIVE if score <= -MARGIN else POSITIVE if score >= MARGIN else NEUTRAL
        out.append(StanceResult(label, round(score, 4), True))
    return out
