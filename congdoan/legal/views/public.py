"""The worker's pages: ask in one's own words, read the laws and the union's curated answers.
No login, no JavaScript, light for a cheap phone on a slow connection.

Caching (core/page_cache.py): the pages without a query (the empty question page, the laws,
an article in force, a published answer) are kept for anonymous visitors; a page with a
question (`?q=`) or a day (`?ngay=`) is never kept (the cache keeps no query but `page`), so a
worker's question and its "did this help?" forms, which carry their CSRF token, are drawn for
them alone. Each question answered is recorded without who asked (services.record_question);
the forms that follow it carry a keyed token of its id, so no one marks questions they were not
given, and they are rate-limited per address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.dateparse import parse_date
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congdoan.core import ratelimit
from congdoan.core.page_cache import cache_public_page
from congdoan.core.request_context import client_ip
from congdoan.core.vndate import vn_number
from congdoan.legal import rules, selectors, services
from congdoan.legal.forms import MAX_QUESTION_FORM_CHARS, AskForm
from congdoan.legal.models import Article, ArticleVersion, AskedQuestion, CuratedAnswer, Law
from congdoan.legal.selectors import ArticleHit
from congdoan.legal.templatetags.legal import question_terms

ASK_TOP = 5
#: Questions recorded per address and minute (beyond, still answered, not recorded).
RECORDS_PER_MINUTE = 20
#: "Did this help?" and "send to the union" answers per address and minute.
VOTES_PER_MINUTE = 20
#: Questions offered as links on the empty page. Not translated: the search reads Vietnamese.
EXAMPLES = (
    "Nghỉ phép năm được bao nhiêu ngày?",
    "lam them gio tinh luong the nao",
    "Công ty giữ bằng gốc của em có đúng không?",
    "Bị đuổi việc có được trợ cấp không?",
    "Nghỉ thai sản được mấy tháng?",
    "Thử việc tối đa bao lâu?",
)


# ---------------------------------------------------------------- helpers


def _visitor(request: HttpRequest) -> str:
    """The address as rate limits count it: a keyed hash, never the address itself."""
    ip = client_ip(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:32]


def asked_token(asked_id: int) -> str:
    """The key that lets the worker who was given this question mark it (helpful, concern)."""
    return salted_hmac("congdoan.legal.asked", str(asked_id)).hexdigest()[:20]


def _token_ok(asked_id: int, token: str) -> bool:
    return constant_time_compare(asked_token(asked_id), token or "")


def concern_url(text: str) -> str:
    """The worker's concern form with the question written in (`noi_dung`)."""
    base = reverse("feedback:submit")
    text = (text or "").strip()[:MAX_QUESTION_FORM_CHARS]
    return f"{base}?{urlencode({'noi_dung': text})}" if text else base


@dataclass
class ShownHit:
    """An article found for a question, as the page draws it: the clause that answers (its
    dict from `ArticleVersion.clauses`) and the article's clauses to fold away."""

    hit: ArticleHit
    clause: dict[str, Any] | None
    clauses: list[dict[str, Any]]
    text: str


def _shown(hit: ArticleHit) -> ShownHit:
    version = hit.version
    clauses = list(version.clauses) if version is not None else []
    chosen = next((c for c in clauses if str(c.get("number", "")) == hit.clause), None)
    return ShownHit(hit, chosen, clauses, version.text if version is not None else "")


# ---------------------------------------------------------------- asking


def _number(value: int) -> str:
    """2.000 in Vietnamese, 2,000 in English (Django's Vietnamese format has no grouping)."""
    if (translation.get_language() or "vi").startswith("vi"):
        return vn_number(value)
    return number_format(value, force_grouping=True)


@require_safe
@cache_public_page
def ask(request: HttpRequest) -> HttpResponse:
    """The question page: without a question, the form and examples (kept for anonymous
    visitors); with one, the curated answers that fit, then the articles best first."""
    form = AskForm(request.GET or None)
    asked_text = request.GET.get("q")
    context: dict[str, Any] = {
        "form": form,
        "examples": EXAMPLES,
        "max_chars": _number(MAX_QUESTION_FORM_CHARS),
    }
    if asked_text is None:
        return render(request, "legal/ask.html", context)
    if form.is_valid():
        question = form.cleaned_data["q"]
    else:
        question = asked_text.strip()[:MAX_QUESTION_FORM_CHARS]
    result = selectors.ask(question, top=ASK_TOP)
    asked: AskedQuestion | None = None
    if (
        request.method == "GET"
        and result.question
        and ratelimit.hit(f"legal:record:{_visitor(request)}", limit=RECORDS_PER_MINUTE)
    ):
        asked = services.record_question(result)
    context.update(
        {
            "question": question,
            "result": result,
            "hits": [_shown(hit) for hit in result.articles],
            "terms": question_terms(result.question),
            "asked": asked,
            "asked_token": asked_token(asked.pk) if asked else "",
            "concern_url": concern_url(question),
        }
    )
    response = render(request, "legal/ask.html", context)
    # The worker's own question and forms: no shared cache on the way may keep them.
    patch_cache_control(response, private=True)
    return response


@require_POST
def helpful(request: HttpRequest, asked_id: int) -> HttpResponse:
    """The worker's "did this help?": once per question asked; a "no" offers the union."""
    if not _token_ok(asked_id, request.POST.get("k", "")):
        raise Http404
    asked = get_object_or_404(AskedQuestion, pk=asked_id)
    value = request.POST.get("helpful", "")
    context: dict[str, Any] = {
        "asked": asked,
        "asked_token": asked_token(asked.pk),
        "question": request.POST.get("q", "")[:MAX_QUESTION_FORM_CHARS] or asked.text,
    }
    if value not in ("1", "0"):
        context["message"] = _("Hãy chọn “Có” hoặc “Không”.")
        return render(request, "legal/thanks.html", context, status=400)
    if not ratelimit.hit(f"legal:vote:{_visitor(request)}", limit=VOTES_PER_MINUTE):
        context["message"] = _("Bạn đã gửi quá nhiều lần trong một phút. Xin đợi một lát.")
        return render(request, "legal/thanks.html", context, status=429)
    recorded = services.mark_helpful(asked.pk, value == "1")
    context.update({"recorded": recorded, "helped": value == "1"})
    if not recorded:
        context["message"] = _("Bạn đã trả lời câu này rồi. Cảm ơn bạn!")
    return render(request, "legal/thanks.html", context)


@require_POST
def to_concern(request: HttpRequest, asked_id: int) -> HttpResponse:
    """One tap from an answer that did not help to the union's concern form, the question
    written in; the question is marked as turned into a concern."""
    if not _token_ok(asked_id, request.POST.get("k", "")):
        raise Http404
    asked = get_object_or_404(AskedQuestion, pk=asked_id)
    if ratelimit.hit(f"legal:vote:{_visitor(request)}", limit=VOTES_PER_MINUTE):
        services.mark_turned_into_concern(asked.pk)
    # The worker's own words (the recorded text is masked: no phone numbers).
    return redirect(concern_url(request.POST.get("q", "") or asked.text))


# ---------------------------------------------------------------- laws and articles


def _law_or_404(slug: str) -> Law:
    law = selectors.law_by_slug(slug)
    if law is None:
        raise Http404
    return law


@require_safe
@cache_public_page
def law_list(request: HttpRequest) -> HttpResponse:
    return render(request, "legal/laws.html", {"laws": selectors.laws()})


@dataclass
class Section:
    title: str
    articles: list[tuple[Article, bool]]  # the article, and whether its text is imported


@dataclass
class Chapter:
    title: str
    sections: list[Section]


def _chapters(articles: list[Article]) -> list[Chapter]:
    """Articles by chapter and section, in the law's order."""
    chapters: list[Chapter] = []
    for article in articles:
        if not chapters or chapters[-1].title != article.chapter:
            chapters.append(Chapter(article.chapter, []))
        sections = chapters[-1].sections
        if not sections or sections[-1].title != article.section:
            sections.append(Section(article.section, []))
        version = article.version_on()
        sections[-1].articles.append((article, bool(version and version.text.strip())))
    return chapters


@require_safe
@cache_public_page
def law_detail(request: HttpRequest, slug: str) -> HttpResponse:
    law = _law_or_404(slug)
    articles = list(selectors.articles_of(law))
    return render(
        request,
        "legal/law.html",
        {"law": law, "chapters": _chapters(articles), "article_count": len(articles)},
    )


def _day(request: HttpRequest) -> tuple[dt.date, str]:
    """The day asked for (`?ngay=YYYY-MM-DD`), today by default; with a message for a day that
    could not be read."""
    text = request.GET.get("ngay", "").strip()
    if not text:
        return timezone.localdate(), ""
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None or not (1945 <= day.year <= 2100):
        return timezone.localdate(), _(
            "Không đọc được ngày “%(d)s”: đang xem nội dung hiện hành."
        ) % {"d": text[:20]}
    return day, ""


@require_safe
@cache_public_page
def article_detail(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    """An article in the version in force (today, or `?ngay=`), its versions, the curated
    answers that cite it, and the articles before and after it."""
    law = _law_or_404(slug)
    article = selectors.article_by_number(law, number)
    if article is None:
        raise Http404
    day, day_problem = _day(request)
    version: ArticleVersion | None = article.version_on(day)
    versions = article.versions_in_order()
    siblings = selectors.articles_of(law)
    return render(
        request,
        "legal/article.html",
        {
            "law": law,
            "article": article,
            "version": version,
            "in_force": version is not None and version.in_force_on(day),
            "day": day,
            "day_given": bool(request.GET.get("ngay")) and not day_problem,
            "day_problem": day_problem,
            "versions": versions,
            "answers": selectors.answers_citing(article).prefetch_related(
                "citations__article__law"
            )[:20],
            "previous": siblings.filter(sort_key__lt=article.sort_key).last(),
            "next": siblings.filter(sort_key__gt=article.sort_key).first(),
            "today": timezone.localdate(),
        },
    )


@require_safe
@cache_public_page
def answer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published curated answer, its citations linked to the exact clause; a draft only to
    the officers who may edit it (404 to anyone else)."""
    answer = get_object_or_404(
        CuratedAnswer.objects.select_related("unit").prefetch_related("citations__article__law"),
        pk=pk,
    )
    if not rules.can_see_answer(request.user, answer):
        raise Http404
    return render(
        request,
        "legal/answer.html",
        {"answer": answer, "can_edit": rules.can_edit_answer(request.user, answer)},
    )
