"""Detection: what each monitored item is about and how much it matters.

``score_items(items)`` fills, for a batch of items, with the fast models only (one call for
the whole batch: the toxicity, sentiment and relevance models share their features,
extracted once, :mod:`.fused`): relevance, relevant, matched_units (:mod:`.relevance`:
phrases, the source's keywords, unit names and the relevance classifier),
toxicity and its score (:mod:`.toxicity`), stance toward the union and its score
(:mod:`.stance`), the known false claim it repeats and the score (:mod:`.claims`, lexical
way), risk (:mod:`.risk`) and scored_at; saved with one prepared UPDATE run for all rows
(:func:`write_fields`), matched units replaced. Idempotent: scoring again overwrites. Speed:
``congdoan bench monitoring`` (items ingested and scored a second on one core). ``accurate.rescore(items)`` re-reads the candidates with the toolkit's
accurate mode.

Every text is read as :func:`prepare` gives it: title and text, cleaned (NFC, legacy fonts
converted), teen-code and chat shorthand written out (``congdoan.text.teencode``; on ViHSD dev
this moved the toxicity model's macro-F1 from 64.76 to 64.97 fast, 72.16 to 72.53 accurate on
1,200 of its texts), cut at :data:`MAX_CHARS`; phrases are looked for in its folded words, so
text typed without diacritics reads the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Field
from django.utils import timezone

from congdoan.monitoring.detection import claims, fused, relevance, risk, stance, toxicity
from congdoan.monitoring.detection.relevance import Relevance
from congdoan.monitoring.models import Item, Source, Toxicity
from congdoan.text.legacy import convert_legacy
from congdoan.text.lexicon import is_syllable
from congdoan.text.relevance import RELEVANT
from congdoan.text.teencode import expand
from congdoan.text.vietnamese import fold

__all__ = ["Scores", "prepare", "score_items", "score_texts"]

MAX_CHARS = 4000  # read for phrases (relevance, stance cues, claims)
# The classifiers read the start only (title and lead): they learnt on comments, and their time
# grows with the length (a 2,000-character article costs as much as forty comments).
MODEL_CHARS = 1000

SCORED_FIELDS = [
    "relevance",
    "relevant",
    "toxicity",
    "toxicity_score",
    "stance",
    "stance_score",
    "claim",
    "claim_score",
    "risk",
    "scored_at",
]


def prepare(title: str, text: str) -> str:
    """The text the models read (see the module doc)."""
    body = text or ""
    if title and not body.startswith(title[:60]):
        body = f"{title}\n{body}"
    return expand(clean(body[:MAX_CHARS]))


def clean(text: str) -> str:
    """NFC, zero-width characters dropped, a text typed in a legacy font (VNI, TCVN3)
    converted. Tone-mark placement is not moved (``normalize`` does it, at ten times the
    cost): every comparison here is on folded text, and the accurate mode prepares its own."""
    text = _ZERO_WIDTH_RE.sub("", unicodedata.normalize("NFC", text))
    return text if text.isascii() else convert_legacy(text, is_syllable)


_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_WORD_RE = re.compile(r"[^\W_]+")


def words_of(prepared: str) -> list[str]:
    """The canonical words of a prepared text (folded; punctuation separates)."""
    return _WORD_RE.findall(fold(prepared))


@dataclass(frozen=True)
class Scores:
    relevance: Relevance
    toxicity: toxicity.Toxic
    stance: stance.StanceResult
    claim_id: int | None
    claim_score: float
    risk: float


def score_texts(
    texts: Sequence[str],
    *,
    keywords: Sequence[str] | None = None,
    reaches: Sequence[int] | None = None,
    accurate: bool = False,
    semantic_claims: bool = False,
) -> list[Scores]:
    """Scores of prepared texts (:func:`prepare`), without touching the database rows."""
    n = len(texts)
    if not n:
        return []
    folded = [fold(t) for t in texts]
    words = [_WORD_RE.findall(f) for f in folded]
    # The fast models see folded text only (their features are folded): fold once for all.
    model_texts = [t[:MODEL_CHARS] for t in (texts if accurate else folded)]
    # The fast models share their features: read together (one extraction for all three).
    tox_p = sent_p = rel_p = None
    if not accurate:
        tox_p, sent_p, *rest = fused.fast_models().predict_proba(model_texts)
        clf = relevance.model()
        if rest and clf is not None:
            rel_p = rest[0][:, clf.labels.index(RELEVANT)]
    rels = relevance.assess(
        words,
        list(keywords) if keywords is not None else [""] * n,
        texts=[t[:MODEL_CHARS] for t in folded],
        probabilities=rel_p,
    )
    toxic = toxicity.classify(model_texts, accurate=accurate, proba=tox_p)
    stances = stance.assess(
        model_texts, words, rels, [t.score for t in toxic], accurate=accurate, proba=sent_p
    )
    matches = claims.match_prepared(texts, words, semantic=semantic_claims)
    out = []
    for i in range(n):
        claim_id, claim_score = matches[i]
        item_risk = risk.item_risk(
            relevance=rels[i].score,
            relevant=rels[i].relevant,
            toxicity_score=toxic[i].score,
            hate=toxic[i].label == Toxicity.HATE,
            stance_score=stances[i].score,
            negative=stances[i].label == stance.NEGATIVE,
            claim_score=claim_score if claim_id is not None else 0.0,
            reach=reaches[i] if reaches is not None else 0,
        )
        out.append(Scores(rels[i], toxic[i], stances[i], claim_id, claim_score, item_risk))
    return out


def _apply(item: Item, s: Scores, now: object) -> None:
    item.relevance = s.relevance.score
    item.relevant = s.relevance.relevant
    item.toxicity = s.toxicity.label
    item.toxicity_score = s.toxicity.score
    item.stance = s.stance.label
    item.stance_score = s.stance.score
    item.claim_id = s.claim_id
    item.claim_score = s.claim_score
    item.risk = s.risk
    item.scored_at = now  # type: ignore[assignment]


def score_items(items: Sequence[Item], *, batch_size: int = 1000) -> None:
    """Score the items (fast models) and save them (see the module doc)."""
    items = list(items)
    for start in range(0, len(items), batch_size):
        _score_batch(items[start : start + batch_size])


def _score_batch(items: list[Item]) -> None:
    if not items:
        return
    source_ids = {it.source_id for it in items}
    keywords = dict(Source.objects.filter(id__in=source_ids).values_list("id", "keywords"))
    texts = [prepare(it.title, it.text) for it in items]
    scores = score_texts(
        texts,
        keywords=[keywords.get(it.source_id, "") for it in items],
        reaches=[it.reach or 0 for it in items],
    )
    now = timezone.now()
    for item, s in zip(items, scores, strict=True):
        _apply(item, s, now)
    with transaction.atomic(using=router.db_for_write(Item)):
        write_fields(items, SCORED_FIELDS)
        save_units(items, [s.relevance.unit_ids for s in scores])


def write_fields(items: Sequence[Item], fields: Sequence[str]) -> None:
    """Save ``fields`` of the items: one prepared UPDATE run for every row (``executemany``),
    many times faster than ``bulk_update``'s CASE WHEN on thousands of rows."""
    if not items:
        return
    connection = connections[router.db_for_write(Item)]
    qn = connection.ops.quote_name
    opts = Item._meta
    columns: list[Field[Any, Any]] = []
    for name in fields:
        field = opts.get_field(name)
        assert isinstance(field, Field)
        columns.append(field)
    sql = (
        f"UPDATE {qn(opts.db_table)} SET "
        + ", ".join(f"{qn(str(c.column))} = %s" for c in columns)
        + f" WHERE {qn(str(opts.pk.column))} = %s"
    )
    rows = [
        [c.get_db_prep_save(getattr(it, c.attname), connection) for c in columns] + [it.pk]
        for it in items
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def save_units(items: Sequence[Item], unit_ids: Sequence[frozenset[int]]) -> None:
    """Replace the matched units of the items (one delete, one insert)."""
    through = Item.matched_units.through
    through.objects.filter(item_id__in=[it.pk for it in items]).delete()
    rows = [
        through(item_id=it.pk, unit_id=u)
        for it, ids in zip(items, unit_ids, strict=True)
        for u in sorted(ids)
    ]
    if rows:
        through.objects.bulk_create(rows, batch_size=1000)
