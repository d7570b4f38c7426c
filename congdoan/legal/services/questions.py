"""What workers asked: kept without who asked (no account, no address), masked (no phone
numbers or e-mail addresses), so officers learn what to answer next."""

from __future__ import annotations

import datetime as dt

import regex
from django.utils import timezone

from congdoan.legal.models import AskedQuestion
from congdoan.legal.search import resources
from congdoan.legal.search.engine import syllables
from congdoan.legal.selectors import AskResult

_EMAIL_RE = regex.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_PHONE_RE = regex.compile(r"(?<!\d)(?:\+?84|0)[\d .-]{8,12}\d(?!\d)")
_LONG_NUMBER_RE = regex.compile(r"\d{7,}")


def mask(text: str) -> str:
    """Phone numbers, e-mail addresses and long numbers (ID cards, accounts) become "…"."""
    text = _EMAIL_RE.sub("…", text)
    text = _PHONE_RE.sub("…", text)
    return _LONG_NUMBER_RE.sub("…", text)


def question_key(text: str) -> str:
    """The same question in other words or marks: its words folded, common words out, sorted."""
    stop = resources.stopwords()
    words = sorted({w for w in syllables(text) if w not in stop})
    key = " ".join(words)[:200].strip()
    return key or " ".join(syllables(text))[:200] or "?"


def record_question(result: AskResult) -> AskedQuestion | None:
    """Keep what was asked and what it was given; nothing for an empty question."""
    if not result.question or not syllables(result.question):
        return None
    top = result.articles[0] if result.articles else None
    direct = next((a for a in result.answers if a.direct), None)
    text = mask(result.question)[:500]
    return AskedQuestion.objects.create(
        text=text,
        key=question_key(text),
        top_article=top.article if top else None,
        top_score=top.score if top else 0.0,
        answer=direct.answer if direct else None,
        confident=result.confident,
    )


def mark_helpful(asked_id: int, helpful: bool) -> bool:
    """The worker's "did this help?": once per question, within a day of asking."""
    since = timezone.now() - dt.timedelta(days=1)
    return bool(
        AskedQuestion.objects.filter(pk=asked_id, helpful__isnull=True, asked_at__gte=since).update(
            helpful=helpful
        )
    )


def mark_turned_into_concern(asked_id: int) -> None:
    AskedQuestion.objects.filter(pk=asked_id).update(turned_into_concern=True)
