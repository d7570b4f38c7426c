"""The respondent's pages: the surveys open to the viewer, and one survey's form.

One plain form a survey (no JavaScript), checked on the server: a missing required answer
shows the form again with every answer kept. The form carries a submission key made when it
was shown, so a double tap or a retry stores one response. A public survey needs no login;
a browser gets a random cookie token (one response per browser) and an address at most
SUBMITS_PER_MINUTE submissions a minute. A members' survey asks the member to log in.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from congdoan.core import ratelimit
from congdoan.core.request_context import client_ip
from congdoan.surveys import rules, selectors
from congdoan.surveys.forms import AnswerForm, field_name
from congdoan.surveys.models import Kind, Question, Role, Survey
from congdoan.surveys.services.responses import (
    SubmitError,
    has_answered,
    is_stored,
    new_submission_key,
    response_submit,
)

COOKIE = "khaosat"
COOKIE_DAYS = 400
SUBMITS_PER_MINUTE = 20


def _visitor(request: HttpRequest) -> str:
    """The address as the rate limit counts it: a keyed hash, never the address itself."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip(request)}".encode()).hexdigest()[:32]


def _browser_token(request: HttpRequest) -> tuple[str, bool]:
    """The browser's random token (and whether it is new and must be set)."""
    token = request.COOKIES.get(COOKIE, "")
    if 20 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum():
        return token, False
    return secrets.token_urlsafe(24), True


def _with_cookie(response: HttpResponse, token: str, new: bool) -> HttpResponse:
    if new:
        response.set_cookie(
            COOKIE,
            token,
            max_age=COOKIE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=not settings.DEBUG,
        )
    return response


def index(request: HttpRequest) -> HttpResponse:
    """Open surveys for the viewer: public ones and their union's."""
    return render(
        request,
        "surveys/index.html",
        {"surveys": selectors.surveys_to_answer(request.user)},
    )


def blocks(form: AnswerForm, questions: list[Question]) -> list[dict[str, Any]]:
    """The questions as the template lays them out: section headings, the fields of each."""
    blocks = []
    section = ""
    for number, q in enumerate(questions, start=1):
        block: dict[str, Any] = {"question": q, "number": number, "heading": ""}
        if q.section and q.section != section:
            block["heading"] = q.section
        section = q.section or section
        if q.kind == Kind.MATRIX:
            block["cells"] = [
                form[field_name(q, c.pk)] for c in q.choices.all() if c.role == Role.ROW
            ]
            block["columns"] = [c.label for c in q.choices.all() if c.role == Role.COLUMN]
            block["errors"] = [e for cell in block["cells"] for e in cell.errors][:1]
        else:
            block["field"] = form[field_name(q)]
            block["errors"] = block["field"].errors
        blocks.append(block)
    return blocks


def _page(
    request: HttpRequest,
    survey: Survey,
    *,
    state: str,
    form: AnswerForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    questions = form.questions if form is not None else []
    return render(
        request,
        "surveys/take.html",
        {
            "survey": survey,
            "state": state,
            "form": form,
            "blocks": blocks(form, questions) if form is not None else [],
            "error": error,
        },
        status=status,
    )


def _outside_audience(request: HttpRequest, survey: Survey) -> HttpResponse | None:
    """A members' survey shows nothing, not even its title, outside its audience: a visitor
    is sent to log in, anyone else is told it is not for them."""
    if survey.is_public:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rules.is_in_audience(request.user, survey):
        return render(request, "surveys/not_for_you.html", status=403)
    return None


@never_cache
def take(request: HttpRequest, key: str) -> HttpResponse:
    survey = selectors.survey_by_key(key)
    token, new = _browser_token(request) if survey.is_public else ("", False)
    member = None if survey.is_public else rules.member_of_viewer(request.user)
    now = timezone.now()
    refused = _outside_audience(request, survey)
    if refused is not None:
        return refused
    if not survey.is_accepting(now):
        if request.method == "POST" and is_stored(survey, request.POST.get("submission_key", "")):
            return redirect("surveys:thanks", key=survey.key)  # a retry after the close
        return _page(request, survey, state="closed")
    questions = list(survey.questions.prefetch_related("choices"))
    if request.method != "POST":
        if has_answered(survey, member=member, browser_token=token):
            return _page(request, survey, state="answered")
        form = AnswerForm(
            initial={"submission_key": new_submission_key(survey)}, questions=questions
        )
        return _with_cookie(_page(request, survey, state="form", form=form), token, new)
    if survey.is_public and not ratelimit.hit(
        f"surveys:submit:{_visitor(request)}", limit=SUBMITS_PER_MINUTE
    ):
        return _page(
            request,
            survey,
            state="error",
            error=_("Bạn gửi quá nhiều lần trong một phút. Hãy đợi một chút rồi gửi lại."),
            status=429,
        )
    form = AnswerForm(request.POST, questions=questions)
    if not form.is_valid():
        return _with_cookie(
            _page(
                request,
                survey,
                state="form",
                form=form,
                error=_("Còn câu chưa trả lời hoặc chưa đúng: xem các dòng báo đỏ bên dưới."),
                status=400,
            ),
            token,
            new,
        )
    try:
        response_submit(
            survey=survey,
            submission_key=form.cleaned_data["submission_key"],
            values=form.values(),
            member=member,
            browser_token=token,
        )
    except SubmitError as exc:
        state = "answered" if exc.code == "already_answered" else "error"
        return _page(request, survey, state=state, error=exc.message, status=409)
    return _with_cookie(redirect("surveys:thanks", key=survey.key), token, new)


def thanks(request: HttpRequest, key: str) -> HttpResponse:
    survey = selectors.survey_by_key(key)
    refused = _outside_audience(request, survey)
    if refused is not None:
        return refused
    return render(request, "surveys/take.html", {"survey": survey, "state": "thanks"})
