"""The text side of the triage: one concern's words in, restoration, topic, urgency,
sentiment and "about the union" out. The database side (claiming rows, routing, clustering,
writing) is `batch.py`.

`analyse_many` is the one pipeline shared by `congdoan feedback classify`, the triage task
and the tests (its one database read: the names of the union's units, known words for
restoration). Steps, for a batch of texts:

1. restore the diacritics (a worker often types "cong ty tra luong cham"), with how sure
   the restorer was of each word: an unsure restoration is shown as a suggestion next to
   the worker's own words, never as them (`Concern.display_text`);
2. topic: the topic classifier (`classifiers.py`; features are folded text, so accents do
   not matter), or keyword rules when no model can be loaded;
3. urgency: rules over folded text (unpaid wages, accident, mass lay-off, stoppage,
   threats, suicide) decide "urgent", the urgency classifier may raise the rest, "many
   people / for months" markers raise "high", otherwise "normal" (`keywords.urgency_for`);
4. sentiment: the toolkit's model when shipped, else a small lexicon;
5. "about the union": the text complains about the grassroots union or its officers, so
   it must go to the upper level and stay hidden from the grassroots union.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db.models import Count, Max

from congdoan.feedback.models import RESTORATION_SURE, Sentiment
from congdoan.feedback.triage.classifiers import sentiments, topics, urgency_model
from congdoan.feedback.triage.keywords import is_about_union, urgency_for
from congdoan.orgs.models import Unit
from congdoan.text.restore import Lexicon, Restoration, default_restorer


@dataclass
class TriageResult:
    """What the triage found in one text (written on the concern by `batch.py`)."""

    restored: str
    topic: str
    topic_confidence: float
    urgency: str
    urgency_reasons: list[str] = field(default_factory=list)
    sentiment: str = Sentiment.NEUTRAL.value
    about_union: bool = False
    restoration_confidence: float = 1.0
    # [start, end, as typed] of each word in `restored` the restorer was unsure of.
    restoration_doubts: list[list[Any]] = field(default_factory=list)

    def as_json(self, text: str) -> dict[str, Any]:
        return {
            "text": text,
            "restored": self.restored,
            "topic": self.topic,
            "urgency": self.urgency,
            "sentiment": self.sentiment,
        }


# Unit names are re-read at most this often (seconds): units are renamed or added rarely.
LEXICON_MAX_AGE = 600


@lru_cache(maxsize=1)
def _lexicon_of(stamp: tuple[int, int, int]) -> Lexicon:
    names: list[str] = []
    for name, short, employer in Unit.objects.values_list("name", "short_name", "employer_name"):
        names += [n for n in (name, short, employer) if n]
    return Lexicon(names)


def unit_lexicon() -> Lexicon:
    """The names of the units of the tree (and their employers) as known words: a worker
    typing "may phu minh" means the company, not "may phụ mình"."""
    seen = Unit.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return _lexicon_of(
        (seen["n"] or 0, seen["last"] or 0, int(time.monotonic() // LEXICON_MAX_AGE))
    )


def restoration_doubts(result: Restoration) -> list[list[Any]]:
    """[start, end, as typed] of the changed words the restorer was not sure of."""
    return [[w.start, w.end, w.original] for w in result.doubtful(RESTORATION_SURE)]


def restore_scored_many(texts: list[str]) -> list[Restoration]:
    """Each text with its diacritics restored, and how sure the restorer was of each word."""
    restorer = default_restorer()
    lexicon = unit_lexicon()
    return [
        restorer.restore_text(t, lexicon=lexicon) if t.strip() else Restoration(t) for t in texts
    ]


def analyse_many(texts: list[str]) -> list[TriageResult]:
    """The five steps above for each text, each model run once over the whole batch."""
    scored = restore_scored_many(texts)
    restored = [r.text for r in scored]
    topic_rows = topics(texts)
    sentiment_rows = sentiments(restored)
    u_model = urgency_model()
    urgency_rows: list[tuple[str, float] | None] = (
        list(u_model.predict(texts)) if u_model is not None and texts else [None] * len(texts)
    )
    results = []
    for text, rest, (topic, prob), sent, u_pred in zip(
        texts, scored, topic_rows, sentiment_rows, urgency_rows, strict=True
    ):
        urgency, reasons = urgency_for(text, topic, u_pred)
        results.append(
            TriageResult(
                restored=rest.text,
                restoration_confidence=round(rest.confidence, 4),
                restoration_doubts=restoration_doubts(rest),
                topic=topic,
                topic_confidence=round(float(prob), 4),
                urgency=urgency,
                urgency_reasons=reasons,
                sentiment=sent,
                about_union=is_about_union(text),
            )
        )
    return results


def analyse(text: str) -> TriageResult:
    """`analyse_many` of one text."""
    return analyse_many([text])[0]
