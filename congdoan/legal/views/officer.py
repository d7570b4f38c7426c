"""Officers' pages of the legal app: the curated answers (write, cite, publish, review), the
questions workers asked that found no good answer, and, for administrators, the law import.

Thin: authorise through the selectors (an answer outside `answers_for_officer` is a 404) and
the rules (one the viewer may not edit is a 403), call one service, render or redirect.

The import keeps the uploaded file between its preview and the confirmation in the shared
cache, under a random token bound to the administrator (never in the session, never on a
disk one process alone sees); confirming parses it again and imports all of it or nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core.vndate import vn_number
from congdoan.legal import rules, selectors, services
from congdoan.legal.forms import AnswerForm, ImportForm, format_citations
from congdoan.legal.models import AnswerStatus, CuratedAnswer, Law
from congdoan.legal.parsing import LawFormatError, ParsedLaw, parse_bytes
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import admin_required, officer_required
from congdoan.orgs.scoping import units_in_scope

PER_PAGE = 30
SUGGESTIONS = 6
#: How long an import preview waits for its confirmation.
IMPORT_PREVIEW_SECONDS = 3600
FILTERS = {
    "ra-soat": ("needs_review", True),
    "nhap": ("status", AnswerStatus.DRAFT),
    "da-dang": ("status", AnswerStatus.PUBLISHED),
}


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# ---------------------------------------------------------------- the officer's page


@officer_required
def manage(request: HttpRequest) -> HttpResponse:
    """Curated answers (all, flagged for review, drafts, published), the questions asked
    without a good answer, and the import for administrators."""
    shown = request.GET.get("loc", "")
    answers = selectors.answers_for_officer(request.user)
    if shown in FILTERS:
        name, value = FILTERS[shown]
        answers = answers.filter(**{name: value})
    else:
        shown = ""
    page = Paginator(answers, PER_PAGE).get_page(request.GET.get("page") or 1)
    rows = [(a, rules.can_edit_answer(request.user, a)) for a in page.object_list]
    return render(
        request,
        "legal/manage.html",
        {
            "page_obj": page,
            "rows": rows,
            "shown": shown,
            "filters": [
                ("", _("Tất cả")),
                ("ra-soat", _("Cần rà soát")),
                ("nhap", _("Bản nháp")),
                ("da-dang", _("Đã đăng")),
            ],
            "unanswered": selectors.unanswered_questions(limit=20),
            "can_import": rules.can_import_laws(request.user),
            "laws": selectors.laws() if rules.can_import_laws(request.user) else [],
        },
    )


# ---------------------------------------------------------------- curated answers


def _units(request: HttpRequest) -> QuerySet[Unit]:
    return units_in_scope(request.user).filter(is_active=True).order_by("path")


def _suggestions(question: str) -> list[tuple[str, str]]:
    """The articles the search finds for the question, as checkbox choices."""
    if not question.strip():
        return []
    result = selectors.ask(question, top=SUGGESTIONS)
    out = []
    for hit in result.articles:
        head = f"khoản {hit.clause} " if hit.clause else ""
        label = f"{head}Điều {hit.article.number}. {hit.article.title} ({hit.law.short_name})"
        out.append((f"{hit.article.pk}:{hit.clause}", label))
    return out


def _editable(request: HttpRequest, pk: int) -> CuratedAnswer:
    answer = selectors.answers_for_officer(request.user).filter(pk=pk).first()
    if answer is None:
        raise Http404
    if not rules.can_edit_answer(request.user, answer):
        raise PermissionDenied
    return answer


@officer_required
def answer_create(request: HttpRequest) -> HttpResponse:
    """A new curated answer; `?q=` writes in a question workers asked."""
    units = _units(request)
    if not units.exists():
        raise PermissionDenied
    question = request.POST.get("question") or request.GET.get("q", "")
    question = question.strip()[:500]
    form = AnswerForm(
        request.POST or None,
        units=units,
        suggestions=_suggestions(question),
        initial={"question": question},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            answer = services.answer_create(
                actor=request.user,
                unit=data["unit"],
                question=data["question"],
                answer=data["answer"],
                variants=data["variants"],
                cited=data["cited"],
                publish="publish" in request.POST,
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(
                request, _("Đã đăng câu trả lời.") if answer.is_published else _("Đã lưu bản nháp.")
            )
            return redirect("legal:answer_edit", answer.pk)
    return render(request, "legal/answer_form.html", {"form": form, "title": _("Viết câu trả lời")})


@officer_required
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _editable(request, pk)
    citations = list(answer.citations.select_related("article__law"))
    question = (request.POST.get("question") or answer.question).strip()[:500]
    form = AnswerForm(
        request.POST or None,
        units=None,
        suggestions=_suggestions(question),
        initial={
            "question": answer.question,
            "variants": answer.variants,
            "answer": answer.answer,
            "references": format_citations((c.article, c.clause) for c in citations),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_update(
                actor=request.user,
                answer=answer,
                question=data["question"],
                text=data["answer"],
                variants=data["variants"],
                cited=data["cited"],
            )
            if "publish" in request.POST and not answer.is_published:
                services.answer_publish(actor=request.user, answer=answer)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("legal:answer_edit", answer.pk)
    return render(
        request,
        "legal/answer_form.html",
        {
            "form": form,
            "title": _("Sửa câu trả lời"),
            "answer": answer,
            "citations": citations,
        },
    )


@officer_required
@require_POST
def answer_publish(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _editable(request, pk)
    try:
        services.answer_publish(actor=request.user, answer=answer)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã đăng câu trả lời: người lao động hỏi sẽ thấy."))
    return redirect("legal:answer_edit", answer.pk)


@officer_required
@require_POST
def answer_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _editable(request, pk)
    services.answer_unpublish(actor=request.user, answer=answer)
    messages.success(request, _("Đã gỡ câu trả lời: người lao động không còn thấy."))
    return redirect("legal:answer_edit", answer.pk)


@officer_required
@require_POST
def answer_review(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _editable(request, pk)
    try:
        services.answer_mark_reviewed(actor=request.user, answer=answer)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã ghi nhận: câu trả lời đã được rà soát theo văn bản mới."))
    if request.POST.get("next") == "manage":
        return redirect("legal:manage")
    return redirect("legal:answer_edit", answer.pk)


@officer_required
@require_POST
def answer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _editable(request, pk)
    services.answer_delete(actor=request.user, answer=answer)
    messages.success(request, _("Đã xóa câu trả lời."))
    return redirect("legal:manage")


# ---------------------------------------------------------------- importing laws


def _preview_key(token: str) -> str:
    return f"legal:import:{token}"


def _parse(stored: dict[str, Any]) -> list[ParsedLaw]:
    """The stored upload parsed; a LawFormatError names the file."""
    try:
        return parse_bytes(stored["data"], law_id=stored["law_id"], title=stored["title"])
    except LawFormatError as error:
        name = stored["filename"]
        raise LawFormatError(f"“{name}”: {error}" if name else str(error)) from error


def _summary(parsed: list[ParsedLaw]) -> list[dict[str, Any]]:
    """Per law: what it is, how many articles (and heading-only ones), whether it is new."""
    known = set(
        Law.objects.filter(law_id__in=[p.law_id for p in parsed]).values_list("law_id", flat=True)
    )
    return [
        {
            "law": p,
            "articles": len(p.articles),
            "headings_only": sum(1 for a in p.articles if not a.has_text),
            "exists": p.law_id in known,
        }
        for p in parsed
    ]


@admin_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a law (.md, .txt, .docx) and see what it holds before anything is written."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        effective: dt.date | None = data["effective_from"]
        stored = {
            "user": request.user.pk,
            "data": upload.read(),
            "filename": upload.name or "",
            "law_id": data["law_id"].strip(),
            "title": data["title"].strip(),
            "effective_from": effective.isoformat() if effective else "",
        }
        try:
            parsed = _parse(stored)
        except LawFormatError as exc:
            form.add_error("file", str(exc))
        else:
            token = secrets.token_urlsafe(16)
            cache.set(_preview_key(token), stored, timeout=IMPORT_PREVIEW_SECONDS)
            return render(
                request,
                "legal/import_preview.html",
                {
                    "token": token,
                    "laws": _summary(parsed),
                    "filename": stored["filename"],
                    "effective_from": effective,
                },
            )
    return render(request, "legal/import.html", {"form": form})


@admin_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Import what the preview showed: all of it or nothing (services.import_laws)."""
    token = request.POST.get("token", "")
    stored = cache.get(_preview_key(token)) if token else None
    if not isinstance(stored, dict) or stored.get("user") != request.user.pk:
        messages.error(request, _("Bản xem trước đã hết hạn hoặc không còn: hãy tải tệp lên lại."))
        return redirect("legal:import")
    effective = (
        dt.date.fromisoformat(stored["effective_from"]) if stored["effective_from"] else None
    )
    try:
        report = services.import_laws(
            _parse(stored), actor=request.user, effective_from=effective, source=stored["filename"]
        )
    except (LawFormatError, ValueError, ValidationError) as exc:
        message = _errors(exc) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, _("Chưa nhập gì: %(m)s") % {"m": message})
        return redirect("legal:import")
    cache.delete(_preview_key(token))
    messages.success(
        request,
        _(
            "Đã nhập %(laws)s: %(articles)s điều (%(new)s điều mới, %(versions)s phiên bản mới, "
            "%(corrected)s điều sửa nội dung); %(flagged)s câu trả lời cần rà soát."
        )
        % {
            "laws": ", ".join(report.laws),
            "articles": vn_number(report.articles),
            "new": vn_number(report.new_articles),
            "versions": vn_number(report.new_versions),
            "corrected": vn_number(report.corrected),
            "flagged": vn_number(report.flagged_answers),
        },
    )
    for warning in report.warnings[:20]:
        messages.warning(request, warning)
    return redirect("legal:manage")
