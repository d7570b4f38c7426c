"""Is a text about workers, labour and the union? The vocabulary and the classifier.

Two signals, combined (no Django: ``congdoan.monitoring.detection.relevance`` adds the
source's keywords and the units of the tree, and ``congdoan nlp eval --only relevance``
measures each part):

- the **vocabulary** (:data:`VOCABULARY`): phrases with a weight ("công đoàn", "người lao
  động", "đình công" weigh much, "công ty", "nhà máy" little), looked for in the text's
  canonical words (:func:`canonical`: normalised, teen-code written out, folded, so
  "cđcs" and "công đoàn cơ sở" read the same); the distinct phrases found are combined by
  noisy-OR (:func:`noisy_or`, ``1 − Π(1 − w)``; a phrase inside a longer one found counts once);
- the **classifier** (``shipped.RELEVANCE``, a linear model over folded word and character
  n-grams, the same feature configuration as the fast toxicity and sentiment models): the
  probability that the text is about labour, learnt from news paragraphs labelled by their
  article, social-media comments and workers' concerns (see ``MODEL_CARD.md``). It reads
  context the vocabulary cannot ("ca đêm bắt ở lại tới 11h mà không tính thêm đồng nào").

:func:`combine`: the classifier's probability is one more noisy-OR term, weighed by the
model's tuned ``weight``, the vocabulary's weights are scaled by the tuned ``vocabulary``
factor (the classifier reads context the words alone mistake: "công nhận" folds to "công
nhân", "lao động" is said of a footballer), and the text is relevant at the tuned
``threshold`` or above (all three chosen on the dev half of ``data/relevance.jsonl``, never on its test half; kept in the
model's ``meta.json`` under ``combination``). Without the model file, the vocabulary alone
at :data:`THRESHOLD` (:func:`load_model` logs once what is missing).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from congdoan.text import shipped
from congdoan.text.classify import META_FILE, MODEL_FILE, TextClassifier
from congdoan.text.normalize import normalize
from congdoan.text.teencode import expand
from congdoan.text.vietnamese import fold

log = logging.getLogger(__name__)

THRESHOLD = 0.5  # the vocabulary alone (no classifier)
MAX_PHRASE_WORDS = 12
RELEVANT = "relevant"  # the classifier's positive label (the other: "other")

# Phrase (as typed; folded when compiled) → weight.
VOCABULARY: dict[str, float] = {
    # the union
    "công đoàn": 0.9,
    "liên đoàn lao động": 0.9,
    "tổng liên đoàn": 0.9,
    "đoàn viên công đoàn": 0.9,
    "cán bộ công đoàn": 0.9,
    "chủ tịch công đoàn": 0.9,
    "kinh phí công đoàn": 0.95,
    "đoàn phí": 0.8,
    "đoàn viên": 0.4,
    "mái ấm công đoàn": 0.9,
    "tết sum vầy": 0.6,
    "chuyến xe công đoàn": 0.8,
    "thỏa ước lao động tập thể": 0.9,
    "thương lượng tập thể": 0.8,
    "đối thoại tại nơi làm việc": 0.8,
    # workers and work
    "người lao động": 0.8,
    "công nhân": 0.6,
    "công nhân viên chức": 0.7,
    "lao động": 0.3,
    "viên chức": 0.3,
    "đình công": 0.9,
    "ngừng việc": 0.7,
    "ngừng việc tập thể": 0.9,
    "lãn công": 0.8,
    "tăng ca": 0.5,
    "làm thêm giờ": 0.5,
    "tiền lương": 0.6,
    "trả lương": 0.6,
    "chậm lương": 0.8,
    "nợ lương": 0.8,
    "tăng lương": 0.6,
    "cắt lương": 0.7,
    "trừ lương": 0.7,
    "bảng lương": 0.5,
    "lương tối thiểu": 0.7,
    "lương cơ bản": 0.6,
    "lương thưởng": 0.5,
    "thưởng tết": 0.6,
    "bảo hiểm xã hội": 0.8,
    "bảo hiểm thất nghiệp": 0.7,
    "bảo hiểm y tế": 0.4,
    "nợ bảo hiểm": 0.8,
    "chốt sổ": 0.7,
    "rút bảo hiểm xã hội một lần": 0.9,
    "hợp đồng lao động": 0.7,
    "sa thải": 0.6,
    "cho nghỉ việc": 0.5,
    "cắt giảm lao động": 0.7,
    "mất việc": 0.5,
    "thất nghiệp": 0.4,
    "tai nạn lao động": 0.8,
    "an toàn vệ sinh lao động": 0.8,
    "bệnh nghề nghiệp": 0.7,
    "ngộ độc thực phẩm": 0.3,
    "bữa ăn ca": 0.8,
    "nhà trọ công nhân": 0.8,
    "khu công nghiệp": 0.4,
    "nhà máy": 0.2,
    "xí nghiệp": 0.2,
    "công ty": 0.1,
    "doanh nghiệp": 0.1,
    "chủ doanh nghiệp": 0.3,
    "chủ sử dụng lao động": 0.8,
    "bộ luật lao động": 0.8,
    "thanh tra lao động": 0.7,
}

_WORD_RE = re.compile(r"[^\W_]+")


def canonical(text: str) -> str:
    """The form phrases and texts are compared in: normalised, teen-code written out, folded,
    words separated by single spaces (punctuation is a separator)."""
    return " ".join(_WORD_RE.findall(fold(expand(normalize(text)))))


Found = dict[tuple[str, ...], tuple[float, frozenset[int]]]


@dataclass
class PhraseIndex:
    """Canonical phrases, looked up word by word: phrase → (weight, unit ids)."""

    phrases: Found = field(default_factory=dict)
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def add(self, phrase: str, weight: float, unit_id: int | None = None) -> None:
        words = tuple(phrase.split())
        if not words or len(words) > MAX_PHRASE_WORDS:
            return
        old_weight, old_units = self.phrases.get(words, (0.0, frozenset()))
        units = old_units | {unit_id} if unit_id is not None else old_units
        self.phrases[words] = (max(old_weight, weight), frozenset(units))
        sizes = set(self.lengths.get(words[0], ()))
        sizes.add(len(words))
        self.lengths[words[0]] = tuple(sorted(sizes))

    def find(self, words: Sequence[str]) -> Found:
        """The phrases found in a text's canonical words."""
        found: Found = {}
        lengths = self.lengths
        phrases = self.phrases
        n = len(words)
        for i, w in enumerate(words):
            sizes = lengths.get(w)
            if sizes is None:
                continue
            for size in sizes:
                if i + size > n:
                    break
                key = tuple(words[i : i + size])
                hit = phrases.get(key)
                if hit is not None:
                    found[key] = hit
        return found


def vocabulary_index(scale: float = 1.0) -> PhraseIndex:
    """A fresh index of :data:`VOCABULARY`, each weight times ``scale`` (the caller adds its
    own phrases to it)."""
    index = PhraseIndex()
    for phrase, weight in VOCABULARY.items():
        index.add(canonical(phrase), weight * scale)
    return index


@lru_cache(maxsize=32)
def _vocabulary(scale: float) -> PhraseIndex:
    return vocabulary_index(scale)


def noisy_or(found: Found) -> tuple[float, frozenset[int], tuple[tuple[str, ...], ...]]:
    """(score, unit ids, phrases kept) of the phrases found: ``1 − Π(1 − w)`` over the
    distinct phrases, a phrase inside a longer phrase found counting once ("công đoàn" inside
    "kinh phí công đoàn" adds nothing of its own)."""
    if not found:
        return 0.0, frozenset(), ()
    miss = 1.0
    units: set[int] = set()
    kept: list[tuple[str, ...]] = []
    for key in sorted(found, key=len, reverse=True):
        if any(_inside(key, longer) for longer in kept):
            continue
        kept.append(key)
        weight, unit_ids = found[key]
        miss *= 1.0 - weight
        units.update(unit_ids)
    return round(1.0 - miss, 4), frozenset(units), tuple(kept)


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return n < len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def vocabulary_score(text: str, scale: float = 1.0) -> float:
    """The vocabulary's noisy-OR for one raw text (no keywords, no units), each phrase's
    weight times ``scale``."""
    return noisy_or(_vocabulary(scale).find(canonical(text).split()))[0]


# -- the classifier ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Combination:
    """How the classifier's probability joins the phrases (see the module doc): the
    vocabulary's weights times ``vocabulary`` (a source's keywords and unit names keep
    theirs), the probability one more noisy-OR term of ``weight``, relevant at ``threshold``."""

    weight: float = 0.0
    threshold: float = THRESHOLD
    vocabulary: float = 1.0

    def score(self, phrases: float, probability: float | None) -> float:
        if probability is None:
            return phrases
        return round(1.0 - (1.0 - phrases) * (1.0 - self.weight * probability), 4)


def combination_of(clf: TextClassifier | None) -> Combination:
    """The tuned combination kept in the model's meta (the vocabulary alone without model)."""
    if clf is None:
        return Combination()
    raw = clf.meta.get("combination")
    if not isinstance(raw, dict):
        return Combination()
    return Combination(
        float(raw["weight"]), float(raw["threshold"]), float(raw.get("vocabulary", 1.0))
    )


_missing_logged: set[str] = set()


def load_model(folder: str | None = None) -> TextClassifier | None:
    """The relevance classifier, or None (logged once per folder) when its files are absent."""
    path = shipped.classifier_dir(shipped.RELEVANCE) if folder is None else Path(folder)
    if not (path / MODEL_FILE).exists() or not (path / META_FILE).exists():
        if str(path) not in _missing_logged:
            _missing_logged.add(str(path))
            log.warning(
                "relevance classifier missing (%s, %s not found): relevance from the vocabulary, "
                "keywords and unit names only; rebuild it with "
                "`python -m congdoan_dev.textbuild.relevance`",
                path / MODEL_FILE,
                META_FILE,
            )
        return None
    return TextClassifier.load(path)


@lru_cache(maxsize=1)
def shipped_model() -> TextClassifier | None:
    """The shipped relevance classifier (cached), or None when absent."""
    return load_model()


def probabilities(clf: TextClassifier, texts: Sequence[str]) -> list[float]:
    """P(relevant) of each text (as the fast models read them: see ``monitoring.detection``)."""
    if not texts:
        return []
    proba = clf.predict_proba(list(texts))
    return [float(p) for p in proba[:, clf.labels.index(RELEVANT)]]
