"""Relevance of an item to workers, the union, labour and the units of the union tree.

Two kinds of evidence (the toolkit's :mod:`congdoan.text.relevance` holds the vocabulary,
the classifier and how they combine; this module adds the source and the tree):

- phrases looked for in the item's text, accent-insensitively (every phrase and every text
  is normalised, teen-code written out, then folded: "CĐCS may Phú Xuyên", "cdcs may phu
  xuyen" and "Công đoàn cơ sở May Phú Xuyên" read the same):

  - the built-in vocabulary (:data:`VOCABULARY`), each phrase with a weight: "công đoàn",
    "người lao động", "đình công", "kinh phí công đoàn" weigh much, "công ty", "nhà máy"
    little; the weights are scaled by the classifier's tuned ``vocabulary`` factor;
  - the source's own keywords (one a line), each weighing :data:`KEYWORD_WEIGHT`;
  - the names of the units of the tree in their usual written forms (:func:`unit_phrases`:
    "Công đoàn cơ sở Công ty May Phú Xuyên" is also "cđcs may phú xuyên", "công đoàn công ty
    may phú xuyên", "cty may phú xuyên"; "LĐLĐ huyện Phú Xuyên" is also "ldld phu xuyen"),
    each weighing :data:`UNIT_WEIGHT` and naming the unit (``Item.matched_units``);

- the relevance classifier's probability (``congdoan/text/models/labour_relevance``, read in
  the fast models' single feature pass, :mod:`.fused`), which reads context the phrases
  miss ("ca đêm bắt ở lại tới 11h mà không tính thêm đồng nào") and tells "công nhận" (folded,
  "công nhân") or a footballer's "lao động" from the real thing.

The relevance is the noisy-OR of the weights of the distinct phrases found and of the
classifier's probability times its tuned weight (``1 − Π(1 − w)``); an item is relevant at
the tuned threshold or above (weight, vocabulary factor and threshold chosen on the dev half
of the project's relevance set; test figures in docs/monitoring.md, "Relevance"). Without the
model file the vocabulary, keywords and units alone decide, at :data:`THRESHOLD`, and the
missing file is logged once. The unit phrases are built once per process and rebuilt when
the units change (a cheap fingerprint of the unit table, read at most every
:data:`UNITS_CHECK_SECONDS`, and at once after a unit is saved in this process).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.db.models import Count, Max, Sum
from django.db.models.functions import Length
from django.db.models.signals import post_delete, post_save

from congdoan.orgs.models import Unit
from congdoan.text import relevance as toolkit
from congdoan.text.classify import TextClassifier
from congdoan.text.relevance import (
    MAX_PHRASE_WORDS,
    THRESHOLD,
    VOCABULARY,
    Combination,
    PhraseIndex,
    canonical,
    noisy_or,
)

__all__ = [
    "MAX_PHRASE_WORDS",
    "THRESHOLD",
    "VOCABULARY",
    "PhraseIndex",
    "Relevance",
    "assess",
    "canonical",
    "combination",
    "invalidate_units",
    "keyword_index",
    "model",
    "unit_phrases",
]

KEYWORD_WEIGHT = 0.8
UNIT_WEIGHT = 0.9
UNITS_CHECK_SECONDS = 10.0

_UNIT_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # folded prefix of a unit's name → its other written forms (folded, teen-code expanded)
    ("cong doan co so", ("cong doan co so", "cong doan")),
    ("cong doan nganh", ("cong doan nganh", "cong doan")),
    ("cong doan", ("cong doan",)),
    ("lien doan lao dong", ("lien doan lao dong",)),
)
_COMPANY_PREFIXES = (
    "cong ty trach nhiem huu han",
    "cong ty co phan",
    "cong ty",
    "doanh nghiep",
    "nha may",
    "xi nghiep",
)
_PLACE_WORDS = ("thanh pho", "tp", "tinh", "huyen", "quan", "thi xa", "xa", "phuong")


def _strip_prefix(name: str, prefixes: Iterable[str]) -> tuple[str, str]:
    for prefix in prefixes:
        if name == prefix:
            return prefix, ""
        if name.startswith(prefix + " "):
            return prefix, name[len(prefix) + 1 :]
    return "", name


def unit_phrases(name: str, employer_name: str = "", short_name: str = "") -> set[str]:
    """The canonical phrases a text may name a unit by (see the module doc)."""
    phrases: set[str] = set()
    full = canonical(name)
    if len(full.split()) >= 2:
        phrases.add(full)
    org, rest = _strip_prefix(full, [p for p, _ in _UNIT_PREFIXES])
    aliases = dict(_UNIT_PREFIXES).get(org, ())
    company, core = _strip_prefix(rest, _COMPANY_PREFIXES)
    place, bare_place = _strip_prefix(core, _PLACE_WORDS)
    cores = {rest, core} | ({bare_place} if place else set())
    for alias in aliases:
        for c in cores:
            if c:
                phrases.add(f"{alias} {c}")
    if company and core:
        phrases.update({f"cong ty {core}", f"{company} {core}"})
    # The bare core of an enterprise's name when it is long enough to be a name ("may phu xuyen").
    if company and len(core.split()) >= 3:
        phrases.add(core)
    if employer_name:
        employer = canonical(employer_name)
        if len(employer.split()) >= 3:
            phrases.add(employer)
        emp_company, emp_core = _strip_prefix(employer, _COMPANY_PREFIXES)
        if emp_company and emp_core:
            phrases.add(f"cong ty {emp_core}")
            if len(emp_core.split()) >= 3:
                phrases.add(emp_core)
            for alias in aliases:
                phrases.add(f"{alias} {emp_core}")
    if short_name:
        short = canonical(short_name)
        # A short name is a name only when it is not a lone generic word.
        if len(short) >= 4 and short not in _GENERIC:
            phrases.add(short)
    return {p for p in phrases if p and p not in _GENERIC}


_GENERIC = {
    "cong doan",
    "cong doan co so",
    "lien doan lao dong",
    "cong ty",
    "doanh nghiep",
    "nha may",
}


def model() -> TextClassifier | None:
    """The relevance classifier, or None when its file is absent (logged once)."""
    return toolkit.shipped_model()


def combination() -> Combination:
    """How the classifier joins the phrases (the vocabulary alone without the model)."""
    return toolkit.combination_of(model())


class _UnitCache:
    """The vocabulary and the unit phrases of this process, rebuilt when the units change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: PhraseIndex | None = None
        self._fingerprint: tuple[object, ...] | None = None
        self._checked = 0.0

    def invalidate(self) -> None:
        self._checked = 0.0
        self._fingerprint = None

    def index(self) -> PhraseIndex:
        now = time.monotonic()
        if self._index is not None and now - self._checked < UNITS_CHECK_SECONDS:
            return self._index
        with self._lock:
            fp = _units_fingerprint()
            self._checked = now
            if self._index is None or fp != self._fingerprint:
                self._index = _build_index()
                self._fingerprint = fp
            return self._index


def _units_fingerprint() -> tuple[object, ...]:
    """One aggregate query: how many active units, the newest id, and the total length of
    their folded names and short names (a rename of the same length slips through until a
    unit is saved in this process, which empties the cache at once: signals below)."""
    agg = Unit.objects.filter(is_active=True).aggregate(
        n=Count("id"),
        top=Max("id"),
        size=Sum(Length("search_text")),
        short=Sum(Length("short_name")),
    )
    return (agg["n"], agg["top"], agg["size"], agg["short"])


def _build_index() -> PhraseIndex:
    index = toolkit.vocabulary_index(combination().vocabulary)
    for unit_id, name, employer, short in Unit.objects.filter(is_active=True).values_list(
        "id", "name", "employer_name", "short_name"
    ):
        for phrase in unit_phrases(name, employer, short):
            index.add(phrase, UNIT_WEIGHT, unit_id)
    return index


_CACHE = _UnitCache()


def _units_changed(**_kwargs: object) -> None:
    _CACHE.invalidate()


post_save.connect(_units_changed, sender=Unit, dispatch_uid="monitoring-detection-units-save")
post_delete.connect(_units_changed, sender=Unit, dispatch_uid="monitoring-detection-units-del")


def invalidate_units() -> None:
    """Forget the unit phrases (rebuilt on the next call)."""
    _CACHE.invalidate()


@lru_cache(maxsize=512)
def keyword_index(keywords: str) -> PhraseIndex:
    """The phrases of a source's keywords (one a line; commas and semicolons separate too)."""
    index = PhraseIndex()
    for line in keywords.replace(";", "\n").replace(",", "\n").splitlines():
        phrase = canonical(line)
        if phrase:
            index.add(phrase, KEYWORD_WEIGHT)
    return index


@dataclass(frozen=True)
class Relevance:
    score: float
    relevant: bool
    unit_ids: frozenset[int]
    phrases: tuple[str, ...]
    probability: float | None = None  # the classifier's, None without the model


def assess(
    words: Sequence[Sequence[str]],
    keywords: Sequence[str],
    *,
    texts: Sequence[str] | None = None,
    probabilities: Sequence[float] | np.ndarray | None = None,
) -> list[Relevance]:
    """Relevance of each text (its canonical words) given its source's keywords; the
    classifier's ``probabilities`` when already known (:mod:`.fused`), else computed here
    from ``texts`` (as the fast models read them) when the model is there."""
    base = _CACHE.index()
    clf = model()
    comb = toolkit.combination_of(clf)
    if probabilities is None and clf is not None and texts is not None:
        probabilities = toolkit.probabilities(clf, texts)
    out: list[Relevance] = []
    for i, (text_words, kw) in enumerate(zip(words, keywords, strict=True)):
        found = base.find(text_words)
        if kw:
            found.update(keyword_index(kw).find(text_words))
        p = float(probabilities[i]) if probabilities is not None else None
        out.append(_combine(found, p, comb))
    return out


def _combine(
    found: dict[tuple[str, ...], tuple[float, frozenset[int]]],
    probability: float | None,
    comb: Combination,
) -> Relevance:
    phrases, units, kept = noisy_or(found)
    score = comb.score(phrases, probability)
    return Relevance(
        score,
        score >= comb.threshold,
        units,
        tuple(" ".join(k) for k in kept),
        None if probability is None else round(probability, 4),
    )
