"""Ranking law articles for a question in a worker's own words. Pure Python and numpy: no
Django here, so the index is built from rows by `legal.selectors` and from files by the bench.

How a question meets the law:
1. **Accent-insensitive words.** Both sides are folded (no marks, lower case, đ→d) and cut into
   syllables, so "nghi phep nam" and "nghỉ phép năm" are the same question.
2. **Word segmentation.** Runs of syllables that form a dictionary word (Viet74K: "hợp đồng",
   "làm thêm giờ") are terms of their own: every word of the segmentation lattice of the
   folded syllables, on both sides alike; a phrase then outranks its scattered syllables.
3. **The vocabulary workers use.** `synonyms.txt` maps what workers say ("đuổi việc", "nghỉ
   đẻ", "tăng ca", "giữ bằng gốc") to what the law says ("sa thải", "thai sản", "làm thêm giờ",
   "bản chính giấy tờ"); a question gains the law's terms at a lower weight.
4. **BM25** over passages: each article whole and each of its clauses, the article's title
   repeated (a title names what the article is about). An article scores by its best clause
   plus part of its whole text, so the clause that answers is also the one highlighted.
5. **Meaning**, where the embedding model is installed: the cosine of the question and each
   passage, fused with the lexical rank (reciprocal rank fusion).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from congdoan.text import fold
from congdoan.text.vietnamese import has_marks

_TOKEN_RE = re.compile(r"[a-z0-9]+")
_ACCENTED_RE = re.compile(r"[^\W\d_]+")
_ARTICLE_REF_RE = re.compile(r"\bdieu\s+(\d{1,3}[a-z]?)\b")
MAX_QUERY_CHARS = 1000
MAX_COMPOUND = 4


@dataclass(frozen=True)
class Passage:
    """A piece of an article that can answer: the whole article (`clause` "") or one clause."""

    key: int  # the article's id
    clause: str
    title: str
    text: str
    context: str = ""  # the chapter and section: a weak hint
    number: str = ""  # the article's number, for "Điều 113" typed in a question
    secondary: bool = False  # a decree's or circular's: it details a law and yields to it


@dataclass
class Hit:
    key: int
    score: float
    clause: str  # the clause that answers best ("" when the article as a whole does)
    coverage: float  # share of the question's weight the best passage matched, 0–1
    lexical: float = 0.0
    semantic: float = 0.0


@dataclass
class Params:
    """The ranking's few knobs, tuned on the development questions only (bench legal)."""

    k1: float = 1.2
    b: float = 0.75
    title_boost: int = 3
    context_boost: int = 1
    compound_weight: float = 1.0
    synonym_weight: float = 0.3
    whole_article_share: float = 0.4
    rrf_k: float = 20.0
    semantic_share: float = 0.5
    secondary_prior: float = 0.7
    fusion: str = "score"  # "score" (scaled scores added) or "rank" (reciprocal rank fusion)
    semantic_power: float = 2.0
    accent_weight: float = 0.5
    count_unknown: bool = True  # words no text holds lower the coverage (not the ranking)


@dataclass
class Synonyms:
    """Colloquial phrase (folded syllables) → the law's phrases it stands for."""

    rules: dict[tuple[str, ...], list[tuple[str, ...]]] = field(default_factory=dict)
    longest: int = 1

    @classmethod
    def parse(cls, lines: Iterable[str]) -> Synonyms:
        """Lines "law phrase; law phrase <= worker phrase, worker phrase" (# comments)."""
        out = cls()
        for raw in lines:
            line = raw.split("#", 1)[0].strip()
            if not line or "<=" not in line:
                continue
            left, right = line.split("<=", 1)
            targets = [tuple(_TOKEN_RE.findall(fold(t))) for t in left.split(";")]
            targets = [t for t in targets if t]
            for variant in right.split(","):
                key = tuple(_TOKEN_RE.findall(fold(variant)))
                if key and targets:
                    out.rules.setdefault(key, []).extend(targets)
                    out.longest = max(out.longest, len(key))
        return out

    def expand(self, syllables: Sequence[str]) -> list[tuple[str, ...]]:
        """The law's phrases for every colloquial phrase found in `syllables`."""
        found: list[tuple[str, ...]] = []
        n = len(syllables)
        for i in range(n):
            for size in range(min(self.longest, n - i), 0, -1):
                targets = self.rules.get(tuple(syllables[i : i + size]))
                if targets:
                    found.extend(targets)
        return found


def _toned(text: str) -> bool:
    """Marks other than đ (the toolkit's `has_marks` counts đ too): "đi", "đang" typed without
    tones are read as unmarked, the ranking was tuned so."""
    return has_marks(text.replace("đ", "d").replace("Đ", "D"))


def syllables(text: str) -> list[str]:
    return _TOKEN_RE.findall(fold(text))


class Analyzer:
    """Terms of a text: folded syllables (stop words out) and dictionary words joined by "_"."""

    def __init__(
        self,
        compounds: frozenset[str],
        stopwords: frozenset[str],
        shorthand: dict[str, str] | None = None,
    ) -> None:
        self.compounds = compounds
        self.stopwords = stopwords
        self.shorthand = shorthand or {}
        self._shorthand_re = (
            re.compile(r"(?<![\w])(" + "|".join(map(re.escape, self.shorthand)) + r")(?![\w])")
            if self.shorthand
            else None
        )

    def accented(self, text: str) -> list[str]:
        """Syllables with their marks ("~thưởng"), where the text has marks at all."""
        if not _toned(text):
            return []
        return [
            f"~{w}"
            for w in _ACCENTED_RE.findall(unicodedata.normalize("NFC", text.lower()))
            if _toned(w) and fold(w) not in self.stopwords
        ]

    def expand(self, question: str) -> str:
        """Chat shorthand spelled out ("cty ko tra lg" → "công ty không tra lương")."""
        if self._shorthand_re is None:
            return question
        return self._shorthand_re.sub(lambda m: self.shorthand[m.group(1)], question.lower())

    def terms(
        self, sylls: Sequence[str], *, compound_weight: float = 1.0
    ) -> list[tuple[str, float]]:
        """Syllables, then every dictionary word of the folded text: the whole lattice of
        words rather than one path through it, since folding makes segmentation ambiguous
        ("ky hop dong" holds both "kỳ họp" and "hợp đồng") and both sides get the same."""
        out: list[tuple[str, float]] = [(s, 1.0) for s in sylls if s not in self.stopwords]
        n = len(sylls)
        for i in range(n):
            for size in range(2, min(MAX_COMPOUND, n - i) + 1):
                if " ".join(sylls[i : i + size]) in self.compounds:
                    out.append(("_".join(sylls[i : i + size]), compound_weight))
        return out


class LegalIndex:
    """BM25 over passages, grouped by article, with optional passage vectors."""

    def __init__(
        self,
        passages: Sequence[Passage],
        analyzer: Analyzer,
        synonyms: Synonyms | None = None,
        params: Params | None = None,
        vectors: np.ndarray | None = None,
    ) -> None:
        self.passages = list(passages)
        self.analyzer = analyzer
        self.synonyms = synonyms or Synonyms()
        self.params = params or Params()
        self.vectors = vectors  # one row per passage (L2-normalised) or None
        self._by_number: dict[str, list[int]] = defaultdict(list)
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        lengths = np.zeros(len(self.passages), dtype=np.float64)
        p = self.params
        for i, passage in enumerate(self.passages):
            if passage.number and not passage.clause:
                self._by_number[passage.number].append(i)
            counts: Counter[str] = Counter()
            for term, _w in analyzer.terms(syllables(passage.text)):
                counts[term] += 1
            for term in analyzer.accented(passage.text):
                counts[term] += 1
            for term, _w in analyzer.terms(syllables(passage.title)):
                counts[term] += p.title_boost
            for term in analyzer.accented(passage.title):
                counts[term] += p.title_boost
            if passage.context and p.context_boost:
                for term, _w in analyzer.terms(syllables(passage.context)):
                    counts[term] += p.context_boost
            lengths[i] = sum(counts.values())
            for term, tf in counts.items():
                postings[term].append((i, float(tf)))
        self._lengths = lengths
        self._avg = float(lengths.mean()) if len(lengths) else 1.0
        n = max(len(self.passages), 1)
        self._postings = {
            t: (np.array([i for i, _ in ps], dtype=np.int64), np.array([f for _, f in ps]))
            for t, ps in postings.items()
        }
        self._idf = {
            t: math.log(1 + (n - len(ps) + 0.5) / (len(ps) + 0.5)) for t, ps in postings.items()
        }
        keys = np.array([ps.key for ps in self.passages], dtype=np.int64)
        self._keys = keys
        self._article_keys, self._passage_article = np.unique(keys, return_inverse=True)
        self._is_whole = np.array([not ps.clause for ps in self.passages], dtype=bool)
        self._prior = np.ones(len(self._article_keys))
        for i, ps in enumerate(self.passages):
            if ps.secondary:
                self._prior[self._passage_article[i]] = self.params.secondary_prior

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self._postings)

    def query_terms(self, question: str) -> dict[str, float]:
        """Each term of the question with its weight (synonyms lower), unknown terms dropped."""
        sylls = syllables(self.analyzer.expand(question[:MAX_QUERY_CHARS]))
        p = self.params
        weights: dict[str, float] = {}
        for term, w in self.analyzer.terms(sylls, compound_weight=p.compound_weight):
            if term in self._postings:
                weights[term] = max(weights.get(term, 0.0), w)
        for phrase in self.synonyms.expand(sylls):
            for term, w in self.analyzer.terms(phrase, compound_weight=p.compound_weight):
                if term in self._postings and term not in weights:
                    weights[term] = p.synonym_weight * w
        return weights

    def _best_passage(
        self, members: np.ndarray, scores: np.ndarray, query_vector: np.ndarray | None
    ) -> int:
        """The passage of an article that answers: by words, and by meaning where known (the
        clause that repeats the question's words is not always the one that answers it)."""
        words = scores[members]
        fit = words / words.max() if words.max() > 0 else np.zeros(len(members))
        if query_vector is not None and self.vectors is not None:
            cos = self.vectors[members] @ query_vector
            fit = fit + self.params.semantic_share * 4 * (cos - cos.max())
        return int(members[int(np.argmax(fit))])

    def _fuse(self, lexical: np.ndarray, semantic: np.ndarray) -> np.ndarray:
        """Words and meaning together: each scaled to its own best (`_scaled`), or by rank."""
        p = self.params
        if p.fusion == "rank":
            words = np.where(lexical > 0, _rrf(lexical, p.rrf_k), 0.0)
            return words + p.semantic_share * _rrf(semantic, p.rrf_k)
        return _scaled(lexical) + p.semantic_share * _scaled(semantic) ** p.semantic_power

    def unknown_weight(self, question: str) -> float:
        """The weight of the question's words the texts never use ("ngập", "mưa"), each as
        much as the rarest word: a question about something else then matches a small share
        of its weight, however well its one common word matches."""
        if not self.params.count_unknown or not self._idf:
            return 0.0
        stop = self.analyzer.stopwords
        unknown = {
            s
            for s in syllables(self.analyzer.expand(question[:MAX_QUERY_CHARS]))
            if s not in stop and s not in self._postings and not s.isdigit()
        }
        return len(unknown) * max(self._idf.values())

    def lexical(
        self, weights: dict[str, float], unknown: float = 0.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """(BM25 per passage, the share of the question's weight each passage matched;
        `unknown` is the weight of the words no passage holds)."""
        p = self.params
        scores = np.zeros(len(self.passages))
        matched = np.zeros(len(self.passages))
        norm = p.k1 * (1 - p.b + p.b * self._lengths / self._avg)
        total = 0.0
        for term, weight in weights.items():
            idx, tf = self._postings[term]
            idf = self._idf[term]
            scores[idx] += weight * idf * tf * (p.k1 + 1) / (tf + norm[idx])
            matched[idx] += weight * idf
            total += weight * idf
        total += unknown
        return scores, (matched / total if total else matched)

    def search(
        self,
        question: str,
        *,
        top: int = 5,
        query_vector: np.ndarray | None = None,
        accented: str = "",
    ) -> list[Hit]:
        """The best articles for `question`. `accented` is the question with its marks (as
        typed, or restored by the toolkit when typed without): its marked syllables tell
        "thưởng" from "thương" and "thường", which folding makes one word."""
        weights = self.query_terms(question)
        if weights and self.params.accent_weight:
            source = accented or (question if _toned(question) else "")
            for term in self.analyzer.accented(self.analyzer.expand(source[:MAX_QUERY_CHARS])):
                if term in self._postings:
                    weights[term] = max(weights.get(term, 0.0), self.params.accent_weight)
        if not weights and query_vector is None:
            return []
        p = self.params
        scores, coverage = (
            self.lexical(weights, self.unknown_weight(question))
            if weights
            else (
                np.zeros(len(self.passages)),
                np.zeros(len(self.passages)),
            )
        )
        n_articles = len(self._article_keys)
        # Per article: its best clause (or whole text) plus a share of the whole text's score.
        best = np.full(n_articles, -1.0)
        np.maximum.at(best, self._passage_article, scores)
        whole = np.zeros(n_articles)
        whole[self._passage_article[self._is_whole]] = scores[self._is_whole]
        lexical = (best + p.whole_article_share * whole) * self._prior
        for number in {m.group(1) for m in _ARTICLE_REF_RE.finditer(fold(question))}:
            for i in self._by_number.get(number, []):
                lexical[self._passage_article[i]] += max(float(lexical.max()), 1.0)
        semantic = np.zeros(n_articles)
        final = lexical.copy()
        if query_vector is not None and self.vectors is not None and len(self.vectors):
            cos = self.vectors @ query_vector
            semantic = np.full(n_articles, -1.0)
            np.maximum.at(semantic, self._passage_article, cos)
            final = self._fuse(lexical, semantic)
        order = np.argsort(-final, kind="stable")[:top]
        hits: list[Hit] = []
        for a in order:
            if final[a] <= 0:
                break
            members = np.flatnonzero(self._passage_article == a)
            best_passage = self._best_passage(members, scores, query_vector)
            hits.append(
                Hit(
                    key=int(self._article_keys[a]),
                    score=round(float(final[a]), 4),
                    clause=self.passages[best_passage].clause,
                    coverage=round(float(coverage[members].max()), 3),
                    lexical=round(float(lexical[a]), 4),
                    semantic=round(float(semantic[a]), 4),
                )
            )
        return hits


def _scaled(values: np.ndarray) -> np.ndarray:
    """0 at the median, 1 at the best: how far above the crowd each article stands."""
    top, mid = float(values.max()), float(np.median(values))
    if top <= mid:
        return np.zeros(len(values))
    return np.clip((values - mid) / (top - mid), 0.0, None)


def _rrf(values: np.ndarray, k: float) -> np.ndarray:
    """Reciprocal rank fusion term: 1/(k + rank), rank 1 for the largest value."""
    ranks = np.empty(len(values))
    ranks[np.argsort(-values, kind="stable")] = np.arange(1, len(values) + 1)
    return 1.0 / (k + ranks)
