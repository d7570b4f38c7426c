"""The contests API (mounted at /api/v1/contests): the attempt page's script, or a phone app,
answers through it one question at a time.

- `GET /attempts/{token}`: the attempt as its participant sees it: the questions in the shown
  order with their options (never which are correct), the answers stored so far, the seconds
  left by the server's clock;
- `POST /attempts/{token}/answers` `{"question": id, "options": [ids]}`: one answer, stored
  before anything else (`services.attempts.attempt_answer`); the same answer again stores
  nothing (`stored: false`), a different one replaces it (`changed: true`);
- `POST /attempts/{token}/finish` `{"prediction": n}` (optional): hands the attempt in.

Who is asking: the participant of the browser session (a member's login, or the phone verified
in this session: `session.participant_for`), never a bearer token. Unsafe calls need the CSRF
token (header X-CSRFToken), for phone participants as for logins. Answers count against the
limits of the attempt pages (`services.attempts.answer_allowed`: per participant and address).
Errors answer `{"detail": "…"}` in Vietnamese: 404 an unknown token or another's attempt,
400 a question not in the attempt or options not of it, 409 an attempt finished, 410 one whose
time is up (or the round closed), 422 a body that is not the JSON described, 429 too fast.

The answer call is the hot path of a contest (thousands of phones at once): no query to find
the participant when the session opened the attempt (the page remembers it), then the
service's three at most; `congdoan bench contest` measures it.
"""

from __future__ import annotations

import json
from typing import Any, TypeGuard

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.utils import check_csrf

from congdoan.contests.models import Answer, Attempt, AttemptStatus, Contest, Question
from congdoan.contests.services.attempts import (
    AttemptClosed,
    AttemptError,
    AttemptNotFound,
    answer_allowed,
    attempt_answer,
    attempt_finish,
    attempt_get,
    remaining_seconds,
)
from congdoan.contests.session import participant_for, participant_id_for_attempt, remember_attempt
from congdoan.core.request_context import client_ip

router = Router(tags=["Contests"])

#: The longest body the answer call reads (a question id and at most ten option ids).
MAX_BODY = 2000


class DetailOut(Schema):
    detail: str


class AnswerOut(Schema):
    stored: bool
    changed: bool
    answered: int
    total: int
    remaining_seconds: int


class OptionOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    image: str
    options: list[OptionOut]


class AttemptOut(Schema):
    status: str
    total: int
    remaining_seconds: int
    answered: list[int]
    answers: dict[str, list[int]]
    questions: list[QuestionOut]


class FinishOut(Schema):
    status: str
    answered: int
    total: int


ANSWER_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["question", "options"],
                    "properties": {
                        "question": {"type": "integer"},
                        "options": {"type": "array", "items": {"type": "integer"}},
                    },
                }
            }
        },
    }
}
FINISH_BODY = {
    "requestBody": {
        "required": False,
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"prediction": {"type": "integer"}}}
            }
        },
    }
}
ERRORS: dict[int, type[Schema]] = {code: DetailOut for code in (400, 403, 404, 409, 410, 422, 429)}


def _detail(message: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def _csrf_refusal(request: HttpRequest) -> JsonResponse | None:
    """Unsafe calls need the CSRF token: the API middleware checks it for logins, a phone
    participant's session is checked here."""
    if request.user.is_authenticated or check_csrf(request) is None:
        return None
    return _detail(
        _(
            "Thiếu mã CSRF: lệnh gửi bằng phiên của trình duyệt phải kèm mã CSRF"
            " (tiêu đề X-CSRFToken)."
        ),
        403,
    )


def _too_fast(request: HttpRequest, participant_id: int) -> JsonResponse | None:
    """The limits of the attempt pages (services.attempts.answer_allowed): per participant and
    per address, counted once whether the answer came through a form or here."""
    if answer_allowed(participant_id=participant_id, address=client_ip(request)):
        return None
    return _detail(_("Bạn gửi quá nhanh. Xin đợi một lát rồi gửi lại."), 429)


def _participant_id(request: HttpRequest, token: str) -> int | None:
    """The participant this session is, when the attempt of `token` is theirs (else None).

    No query when this session opened the attempt (the attempt page, or this API, remembered
    it: session.remember_attempt); the service checks the attempt is that participant's.
    Otherwise one query for a member, whose login is the proof; a phone participant's session
    says who they are (session.participant_for). Found, it is remembered for the next calls."""
    remembered = participant_id_for_attempt(request, token)
    if remembered is not None:
        return remembered
    # No ordering: the token is unique, and the models' orderings (attempt by round, round by
    # contest, contest by date) would join and sort three tables for one row.
    rows = list(
        Attempt.objects.filter(token=token[:32])
        .order_by()
        .values_list("participant_id", "participant__user_id", "round__contest_id")[:1]
    )
    if not rows:
        return None
    participant_id, user_id, contest_id = rows[0]
    user = request.user
    if not (user.is_authenticated and user_id == user.pk):
        contest = Contest.objects.filter(pk=contest_id).order_by().first()
        found = participant_for(request, contest) if contest is not None else None
        if found is None or found.pk != participant_id:
            return None
    remember_attempt(request, Attempt(token=token[:32], participant_id=participant_id))
    return int(participant_id)


def _closed(token: str, error: AttemptError) -> JsonResponse:
    """409 for an attempt handed in, 410 for one whose time ran out (or round closed)."""
    status = next(
        iter(Attempt.objects.filter(token=token[:32]).order_by().values_list("status", flat=True)),
        None,
    )
    if status == AttemptStatus.FINISHED:
        return _detail(_("Bạn đã nộp bài: câu trả lời không được ghi nhận thêm."), 409)
    return _detail(error.message, 410)


def _error(token: str, error: AttemptError) -> JsonResponse:
    if isinstance(error, AttemptNotFound):
        return _detail(error.message, 404)
    if isinstance(error, AttemptClosed):
        return _closed(token, error)
    return _detail(error.message, 400)  # QuestionNotInAttempt, InvalidChoice


def _json_body(request: HttpRequest) -> Any:
    if len(request.body) > MAX_BODY:
        raise ValueError("too long")
    return json.loads(request.body or b"{}")


def answer_input(data: Any) -> tuple[int, list[int]] | None:
    """(question id, option ids) from the body, or None when it is not that shape."""
    if not isinstance(data, dict):
        return None
    question, options = data.get("question"), data.get("options")
    if not _is_id(question) or not isinstance(options, list) or len(options) > 20:
        return None
    ids = [o for o in options if _is_id(o)]
    if len(ids) != len(options):
        return None
    return question, ids


def _is_id(value: Any) -> TypeGuard[int]:
    """A whole number a row's id can be (a bool is not one; nor is 10**30, past bigint)."""
    return type(value) is int and 0 < value < 2**63


@router.post(
    "/attempts/{token}/answers",
    auth=None,
    response={200: AnswerOut, **ERRORS},
    openapi_extra=ANSWER_BODY,
    url_name="answer",
    summary="Answer one question of an attempt",
)
def answer(request: HttpRequest, token: str) -> JsonResponse:
    """Store one answer (idempotent: a retry of the same answer stores nothing)."""
    refused = _csrf_refusal(request)
    if refused is not None:
        return refused
    # Whose attempt first: someone else's is a 404 whatever the body says.
    participant_id = _participant_id(request, token)
    if participant_id is None:
        return _detail(AttemptNotFound().message, 404)
    try:
        parsed = answer_input(_json_body(request))
    except ValueError:
        parsed = None
    if parsed is None:
        return _detail(_('Nội dung gửi phải là JSON {"question": số, "options": [số, …]}.'), 422)
    return answer_response(request, token, participant_id, *parsed)


def answer_response(
    request: HttpRequest, token: str, participant_id: int, question: int, options: list[int]
) -> JsonResponse:
    """Count the rate limits, store the answer, say what happened: the end of the answer call,
    on the full stack (`answer`) and on its short road (`contests.fastpath`) alike."""
    refused = _too_fast(request, participant_id)
    if refused is not None:
        return refused
    try:
        result = attempt_answer(
            token=token, participant_id=participant_id, question_id=question, option_ids=options
        )
    except AttemptError as error:
        return _error(token, error)
    return JsonResponse(
        {
            "stored": result.stored,
            "changed": result.changed,
            "answered": result.answered,
            "total": result.total,
            "remaining_seconds": result.remaining_seconds,
        }
    )


@router.get(
    "/attempts/{token}",
    auth=None,
    response={200: AttemptOut, **ERRORS},
    url_name="contest_attempt",
    summary="An attempt as its participant sees it (never the correct options)",
)
def attempt_state(request: HttpRequest, token: str) -> JsonResponse:
    participant_id = _participant_id(request, token)
    if participant_id is None:
        return _detail(AttemptNotFound().message, 404)
    try:
        attempt = attempt_get(token=token, participant_id=participant_id)
    except AttemptError as error:
        return _error(token, error)
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("options")
    }
    answers = {
        str(qid): sorted(ids)
        for qid, ids in Answer.objects.filter(attempt=attempt).values_list(
            "question_id", "option_ids"
        )
    }
    shown = []
    for qid in attempt.question_ids:
        q = questions.get(qid)
        if q is None:
            continue
        by_id = {o.pk: o for o in q.options.all()}
        order = attempt.option_orders.get(str(qid)) or list(by_id)
        shown.append(
            {
                "id": q.pk,
                "kind": q.kind,
                "text": q.text,
                "image": q.image.url if q.image else "",
                "options": [{"id": oid, "text": by_id[oid].text} for oid in order if oid in by_id],
            }
        )
    return JsonResponse(
        {
            "status": attempt.status,
            "total": len(attempt.question_ids),
            "remaining_seconds": (
                remaining_seconds(attempt) if attempt.status == AttemptStatus.ACTIVE else 0
            ),
            "answered": [int(qid) for qid in answers],
            "answers": answers,
            "questions": shown,
        }
    )


@router.post(
    "/attempts/{token}/finish",
    auth=None,
    response={200: FinishOut, **ERRORS},
    openapi_extra=FINISH_BODY,
    url_name="contest_attempt_finish",
    summary="Hand an attempt in (idempotent)",
)
def finish(request: HttpRequest, token: str) -> JsonResponse:
    refused = _csrf_refusal(request)
    if refused is not None:
        return refused
    participant_id = _participant_id(request, token)
    if participant_id is None:
        return _detail(AttemptNotFound().message, 404)
    try:
        data = _json_body(request)
    except ValueError:
        data = None
    prediction = data.get("prediction") if isinstance(data, dict) else None
    if not isinstance(data, dict) or (prediction is not None and type(prediction) is not int):
        return _detail(_('Nội dung gửi phải là JSON {"prediction": số} hoặc {}.'), 422)
    try:
        attempt = attempt_finish(token=token, participant_id=participant_id, prediction=prediction)
    except AttemptError as error:
        return _error(token, error)
    return JsonResponse(
        {
            "status": attempt.status,
            "answered": Answer.objects.filter(attempt=attempt).count(),
            "total": len(attempt.question_ids),
        }
    )
