"""The legal API (public, no login; rate-limited per address):

- `GET /api/v1/legal/ask?q=&top=`: the articles best first, as `congdoan legal ask --json`
  prints them (`law_id`, `article`, `title`, `score`, `clause`, `url`), and the union's curated
  answers that fit;
- `GET /api/v1/legal/laws/{slug}/articles/{number}?ngay=`: an article in the version in force
  (today, or on `ngay`), with its clauses and points.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from congdoan.core import ratelimit
from congdoan.core.request_context import client_ip
from congdoan.legal import selectors
from congdoan.legal.forms import MAX_QUESTION_FORM_CHARS

router = Router(tags=["Labour law"])

#: Calls per address and minute, both routes together.
CALLS_PER_MINUTE = 60


class ArticleHitOut(Schema):
    law_id: str
    article: str
    title: str
    score: float
    clause: str
    url: str


class CitationOut(Schema):
    law_id: str
    article: str
    clause: str
    label: str
    url: str


class AnswerOut(Schema):
    id: int
    question: str
    answer: str
    unit: str
    url: str
    citations: list[CitationOut]


class AskOut(Schema):
    question: str
    articles: list[ArticleHitOut]
    answers: list[AnswerOut]
    confident: bool
    problem: str
    notice: str


class PointOut(Schema):
    letter: str
    text: str


class ClauseOut(Schema):
    number: str
    text: str
    points: list[PointOut]


class ArticleOut(Schema):
    law_id: str
    law_title: str
    article: str
    title: str
    chapter: str
    section: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    in_force: bool
    text: str
    clauses: list[ClauseOut]
    url: str


class ErrorOut(Schema):
    detail: Any


class AskQuery(Schema):
    q: str = ""
    top: int = 5


class DayQuery(Schema):
    ngay: dt.date | None = None


def _throttled(request: HttpRequest) -> bool:
    key = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip(request)}".encode()).hexdigest()[:32]
    return not ratelimit.hit(f"legal:api:{key}", limit=CALLS_PER_MINUTE)


def _too_many() -> Status:
    return Status(429, {"detail": _("Quá nhiều yêu cầu trong một phút. Xin đợi một lát.")})


@router.get(
    "/ask",
    auth=None,
    url_name="legal_ask",
    response={200: AskOut, 429: ErrorOut},
    summary="Answer a worker's question from the law (no login needed)",
    description="The articles in force that answer `q` best first (at most `top`, 1–20), the union's published answers that fit, and `problem`/`notice` messages for the worker. Rate-limited per address.",
)
def ask(request: HttpRequest, params: Query[AskQuery]) -> Any:
    if _throttled(request):
        return _too_many()
    result = selectors.ask(params.q[:MAX_QUESTION_FORM_CHARS], top=max(1, min(params.top, 20)))
    return {
        "question": result.question,
        "articles": [hit.as_json() for hit in result.articles],
        "answers": [
            {
                "id": found.answer.pk,
                "question": found.answer.question,
                "answer": found.answer.answer,
                "unit": found.answer.unit.name,
                "url": found.answer.get_absolute_url(),
                "citations": [
                    {
                        "law_id": c.article.law.law_id,
                        "article": c.article.number,
                        "clause": c.clause,
                        "label": selectors.citation_label(c.article, c.clause),
                        "url": c.article.clause_url(c.clause),
                    }
                    for c in found.answer.citations.all()
                ],
            }
            for found in result.answers
        ],
        "confident": result.confident,
        "problem": result.problem,
        "notice": result.notice,
    }


@router.get(
    "/laws/{slug}/articles/{number}",
    auth=None,
    url_name="legal_article",
    response={200: ArticleOut, 404: ErrorOut, 429: ErrorOut},
    summary="An article of a law, in the version in force (no login needed)",
    description="`slug` as in the law's page address (`45-2019-qh14`); `ngay` (YYYY-MM-DD) for the text in force on another day. Rate-limited per address.",
)
def article(request: HttpRequest, slug: str, number: str, params: Query[DayQuery]) -> Any:
    if _throttled(request):
        return _too_many()
    law = selectors.law_by_slug(slug)
    found = selectors.article_by_number(law, number) if law is not None else None
    if law is None or found is None:
        return Status(404, {"detail": _("Không tìm thấy điều luật này.")})
    day = params.ngay or timezone.localdate()
    version = found.version_on(day)
    return {
        "law_id": law.law_id,
        "law_title": law.title,
        "article": found.number,
        "title": found.title,
        "chapter": found.chapter,
        "section": found.section,
        "effective_from": version.effective_from if version else None,
        "effective_to": version.effective_to if version else None,
        "in_force": bool(version and version.in_force_on(day)),
        "text": version.text if version else "",
        "clauses": [
            {
                "number": str(c.get("number", "")),
                "text": str(c.get("text", "")),
                "points": [
                    {"letter": str(p.get("letter", "")), "text": str(p.get("text", ""))}
                    for p in c.get("points", [])
                ],
            }
            for c in (version.clauses if version else [])
        ],
        "url": found.get_absolute_url(),
    }
