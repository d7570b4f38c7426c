"""Relevance of an item to workers, the union, labour and the units of the union tree.

Three lists of phrases are looked for in the item's text, accent-insensitively (every phrase and
every text is normalised, teen-code written out, then folded: "CĐCS may Phú Xuyên",
"cdcs may phu xuyen" and "Công đoàn cơ sở May Phú Xuyên" read the same):

- a built-in vocabulary (:data:`VOCABULARY`), each phrase with a weight: "công đoàn",
  "người lao động", "đình công", "kinh phí công đoàn" weigh much, "công ty", "nhà máy" little;
- the source's own keywords (one a line), each weighing :data:`KEYWORD_WEIGHT`;
- the names of the units of the tree in their usual written forms (:func:`unit_phrases`:
  "Công đoàn cơ sở Công ty May Phú Xuyên" is also "cđcs may phú xuyên", "công đoàn công ty
  may phú xuyên", "cty may phú xuyên"; "LĐLĐ huyện Phú Xuyên" is also "ldld phu xuyen"), each
  weighing :data:`UNIT_WEIGHT` and naming the unit (``Item.matched_units``).

The relevance is the noisy-OR of the weights of the distinct phrases found
(``1 − Π(1 − w)``); an item is relevant at :data:`THRESHOLD` or above. The unit phrases are
built once per process and rebuilt when the units change (a cheap fingerprint of the unit
table, read at most every :data:`UNITS_CHECK_SECONDS`, and at once after a unit is saved in
this process).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Max, Sum
from django.db.models.functions import Length
from django.db.models.signals import post_delete, post_save

from congdoan.orgs.models import Unit
from congdoan.text.normalize import normalize
from congdoan.text.teencode import expand
from congdoan.text.vietnamese import fold

THRESHOLD = 0.5
KEYWORD_WEIGHT = 0.8
UNIT_WEIGHT = 0.9
UNITS_CHECK_SECONDS = 10.0
MAX_PHRASE_WORDS = 12

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


def canonical(text: str) -> str:
    """The form phrases and texts are compared in: normalised, teen-code written out, folded,
    words separated by single spaces (punctuation is a separator)."""
    return " ".join(_WORD_RE.findall(fold(expand(normalize(text)))))


_WORD_RE = re.compile(r"[^\W_]+")


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


@dataclass
class PhraseIndex:
    """Canonical phrases, looked up word by word: phrase → (weight, unit ids)."""

    phrases: dict[tuple[str, ...], tuple[float, frozenset[int]]] = field(default_factory=dict)
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

    def find(self, words: Sequence[str]) -> dict[tuple[str, ...], tuple[float, frozenset[int]]]:
        """The phrases found in a text's canonical words."""
        found: dict[tuple[str, ...], tuple[float, frozenset[int]]] = {}
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


def _vocabulary_index() -> PhraseIndex:
    index = PhraseIndex()
    for phrase, weight in VOCABULARY.items():
        index.add(canonical(phrase), weight)
    return index


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
    index = _vocabulary_index()
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


def assess(words: Sequence[Sequence[str]], keywords: Sequence[str]) -> list[Relevance]:
    """Relevance of each text (its canonical words) given its source's keywords."""
    base = _CACHE.index()
    out: list[Relevance] = []
    for text_words, kw in zip(words, keywords, strict=True):
        found = base.find(text_words)
        if kw:
            found.update(keyword_index(kw).find(text_words))
        out.append(_combine(found))
    return out


def _combine(found: dict[tuple[str, ...], tuple[float, frozenset[int]]]) -> Relevance:
    if not found:
        return Relevance(0.0, False, frozenset(), ())
    miss = 1.0
    units: set[int] = set()
    # A phrase inside a longer phrase found at the same place counts once: the longest wins
    # ("công đoàn" inside "kinh phí công đoàn" adds nothing of its own).
    keys = sorted(found, key=len, reverse=True)
    kept: list[tuple[str, ...]] = []
    for key in keys:
        if any(_inside(key, longer) for longer in kept):
            continue
        kept.append(key)
        weight, unit_ids = found[key]
        miss *= 1.0 - weight
        units.update(unit_ids)
    score = round(1.0 - miss, 4)
    return Relevance(score, score >= THRESHOLD, frozenset(units), tuple(" ".join(k) for k in kept))


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return n < len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))
