"""Risk, 0..1: how much an item or a narrative needs an officer's eyes.

An item's **harm** is the noisy-OR of its toxicity (probability not clean; hate counts more
than offensive), its hostility toward the union (a negative stance) and its match with a
claim already known to be false; the risk is that harm scaled by relevance (an item that is
not about workers or the union keeps a tenth of it) and by reach (log scale: 1 view keeps 60 %,
a million views 100 %). A harmless item is never risky however far it reaches.

A **narrative** starts from its riskiest item and is amplified by its total reach, its speed
of spread (items in the last 24 hours) and the number of sources it is in: the amplification
closes part of the gap to 1, and only for narratives whose items are harmful at all.
"""

from __future__ import annotations

import math

HATE_BONUS = 0.15
W_TOXIC = 0.6
W_HOSTILE = 0.5
W_CLAIM = 0.85
IRRELEVANT_SHARE = 0.1


def reach_factor(reach: int) -> float:
    """0..1 on a log scale: 0 at no view, 1 at a million or more."""
    return min(1.0, math.log10(1 + max(0, reach)) / 6.0)


def item_risk(
    *,
    relevance: float,
    relevant: bool,
    toxicity_score: float,
    hate: bool = False,
    stance_score: float = 0.0,
    negative: bool = False,
    claim_score: float = 0.0,
    reach: int = 0,
) -> float:
    """Risk of one item (see the module doc). ``claim_score`` is the strength of a known-claim
    match (0 when none), ``stance_score`` −1..1 toward the union."""
    toxic = min(1.0, max(0.0, toxicity_score) + (HATE_BONUS if hate else 0.0))
    hostile = max(0.0, -stance_score) if negative else 0.0
    claim = max(0.0, min(1.0, claim_score))
    harm = 1.0 - (1.0 - W_TOXIC * toxic) * (1.0 - W_HOSTILE * hostile) * (1.0 - W_CLAIM * claim)
    weight = max(relevance, 0.5) if relevant else IRRELEVANT_SHARE * relevance
    risk = harm * min(1.0, weight) * (0.6 + 0.4 * reach_factor(reach))
    return round(max(0.0, min(1.0, risk)), 4)


def narrative_risk(
    *,
    max_item_risk: float,
    total_reach: int,
    items_last_24h: int,
    item_count: int,
    source_count: int,
) -> float:
    """Risk of a narrative, 0..1 (see the module doc)."""
    base = max(0.0, min(1.0, max_item_risk))
    reach = reach_factor(total_reach)
    speed = min(1.0, math.log2(1 + max(0, items_last_24h)) / 5.0)  # 31 a day: full speed
    size = min(1.0, math.log2(1 + max(0, item_count)) / 7.0)  # 127 items: full size
    spread = min(1.0, math.log2(max(1, source_count)) / 3.0)  # 8 sources: full spread
    amplification = 0.3 * reach + 0.3 * speed + 0.15 * size + 0.25 * spread
    gate = min(1.0, base / 0.3)  # harmless narratives are not amplified
    risk = base + (1.0 - base) * 0.6 * amplification * gate
    return round(max(0.0, min(1.0, risk)), 4)
