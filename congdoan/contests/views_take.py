"""The participant's pages: open contests, one contest, joining (login or phone code), the
attempt one question at a time, the result. Plain forms and redirects: nothing needs
JavaScript (take.js only saves answers as they are ticked and counts the time down).

Anyone who is not the attempt's participant, or holds a tampered token, gets a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congdoan.accounts.models import User
from congdoan.contests import selectors_take as sel
from congdoan.contests import session
from congdoan.contests.forms_take import CodeForm, FinishForm, PhoneForm, PlaceForm
from congdoan.contests.models import (
    Attempt,
    AttemptStatus,
    Contest,
    ContestStatus,
    Eligibility,
    Participant,
)
from congdoan.contests.services import attempts as svc
from congdoan.contests.services import participants as join
from congdoan.core import ratelimit
from congdoan.core.request_context import client_ip

#: The phone join waiting for its code, in the session: {contest id: {phone, name, unit, place}}.
PENDING_KEY = "contests.pending_join"


def _viewer(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _contest_or_404(slug: str) -> Contest:
    contest = sel.visible_contest(slug)
    if contest is None:
        raise Http404
    return contest


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    contests = sel.open_contests(viewer=_viewer(request))
    return render(request, "contests/take/index.html", {"contests": contests})


@require_GET
def contest_page(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest_or_404(slug)
    participant = session.participant_for(request, contest)
    now = timezone.now()
    rounds = list(sel.rounds_of(contest))
    return render(
        request,
        "contests/take/contest.html",
        {
            "contest": contest,
            "rounds": rounds,
            "now": now,
            "participant": participant,
            "attempts": _attempts_now(participant) if participant else [],
            "may_enter": participant is not None or join.may_enter(contest, _viewer(request)),
            "accepting": contest.status == ContestStatus.PUBLISHED,
            "root": join.participation_unit(contest),
        },
    )


def _attempts_now(participant: Participant) -> list[Attempt]:
    """The participant's attempts, an overdue active one expired (and scored) on the way."""
    found = list(sel.attempts_of(participant))
    for attempt in found:
        svc.attempt_expire(attempt)
    return found


def _next_or_contest(request: HttpRequest, contest: Contest) -> HttpResponseRedirect:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("contests:contest", slug=contest.slug)


def _join_limited(request: HttpRequest) -> bool:
    return not ratelimit.hit(
        f"contests:join_ip:{client_ip(request)}", limit=join.JOINS_PER_ADDRESS_MINUTE
    )


@never_cache
@require_http_methods(["GET", "POST"])
def join_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Join: a member with one click, a phone participant with the SMS code (two steps: the
    number, then the code; the step waiting is kept in the session)."""
    contest = _contest_or_404(slug)
    if session.participant_for(request, contest) is not None:
        return _next_or_contest(request, contest)
    user = _viewer(request)
    context: dict[str, Any] = {"contest": contest, "root": join.participation_unit(contest)}
    if contest.status != ContestStatus.PUBLISHED:
        context["closed"] = True
        return render(request, "contests/take/join.html", context)
    if contest.eligibility == Eligibility.MEMBERS:
        return _join_member(request, contest, user, context)
    return _join_phone(request, contest, user, context)


def _join_member(
    request: HttpRequest, contest: Contest, user: User | None, context: dict[str, Any]
) -> HttpResponse:
    context["member"] = join.eligible_member(contest, user) if user else None
    if request.method == "POST" and user is not None and context["member"] is not None:
        if _join_limited(request):
            messages.error(request, _("Bạn thao tác quá nhanh. Xin thử lại sau ít phút."))
        else:
            try:
                participant = join.join_with_login(contest=contest, user=user)
            except join.JoinError as err:
                messages.error(request, err.message)
            else:
                session.remember(request, participant)
                return _next_or_contest(request, contest)
    return render(request, "contests/take/join.html", context)


def _join_phone(
    request: HttpRequest, contest: Contest, user: User | None, context: dict[str, Any]
) -> HttpResponse:
    units = join.unit_choices(contest)
    pending = request.session.get(PENDING_KEY, {}).get(str(contest.pk))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    member = join.eligible_member(contest, user) if user else None
    context.update(member=member, account_phone=user.phone if user else None)

    # A logged-in account with a phone number joins without a code.
    if user is not None and user.phone:
        place = PlaceForm(request.POST if action == "account" else None, units=units)
        if action == "account" and (member is not None or place.is_valid()):
            try:
                data = place.cleaned_data if member is None else {}
                participant = join.join_with_login(
                    contest=contest,
                    user=user,
                    unit=data.get("unit"),
                    workplace=data.get("workplace") or "",
                )
            except join.JoinError as err:
                messages.error(request, err.message)
            else:
                session.remember(request, participant)
                return _next_or_contest(request, contest)
        context.update(place_form=place)
        return render(request, "contests/take/join.html", context)

    form = PhoneForm(request.POST if action == "send" else None, units=units)
    code_form = CodeForm(request.POST if action == "verify" else None)
    if action == "send" and form.is_valid():
        if _join_limited(request):
            messages.error(request, _("Bạn thao tác quá nhanh. Xin thử lại sau ít phút."))
        else:
            try:
                join.phone_code_send(
                    contest=contest, phone=form.cleaned_data["phone"], address=client_ip(request)
                )
            except join.JoinError as err:
                messages.error(request, err.message)
            else:
                unit = form.cleaned_data.get("unit")
                _keep_pending(
                    request,
                    contest,
                    {
                        "phone": form.cleaned_data["phone"],
                        "full_name": form.cleaned_data["full_name"],
                        "unit": unit.pk if unit else None,
                        "workplace": form.cleaned_data.get("workplace") or "",
                    },
                )
                messages.success(request, _("Đã gửi mã xác nhận tới số điện thoại của bạn."))
                return redirect("contests:join", slug=contest.slug)
    elif action == "verify" and pending and code_form.is_valid():
        unit_obj = next((u for u in units if u.pk == pending.get("unit")), None)
        try:
            participant = join.phone_join(
                contest=contest,
                phone=pending["phone"],
                code=code_form.cleaned_data["code"],
                full_name=pending["full_name"],
                unit=unit_obj,
                workplace=pending.get("workplace", ""),
                user=user,
            )
        except join.JoinError as err:
            messages.error(request, err.message)
        else:
            _keep_pending(request, contest, None)
            session.remember(request, participant)
            return _next_or_contest(request, contest)
    elif action == "restart":
        _keep_pending(request, contest, None)
        return redirect("contests:join", slug=contest.slug)
    context.update(form=form, code_form=code_form, pending=pending)
    return render(request, "contests/take/join.html", context)


def _keep_pending(request: HttpRequest, contest: Contest, data: dict[str, Any] | None) -> None:
    kept = dict(request.session.get(PENDING_KEY, {}))
    if data is None:
        kept.pop(str(contest.pk), None)
    else:
        kept[str(contest.pk)] = data
    request.session[PENDING_KEY] = kept


@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Vào thi": resume the running attempt of the round, or draw a new one."""
    contest = _contest_or_404(slug)
    participant = session.participant_for(request, contest)
    if participant is None:
        return redirect("contests:join", slug=contest.slug)
    round_ = (
        sel.rounds_of(contest)
        .select_related("contest")
        .filter(pk=_number(request.POST.get("round"), 0))
        .first()
    )
    if round_ is None:
        raise Http404
    if not svc.start_allowed(participant_id=participant.pk, address=client_ip(request)):
        messages.error(request, _("Bạn thao tác quá nhanh. Xin thử lại sau ít phút."))
        return redirect("contests:contest", slug=contest.slug)
    try:
        attempt = svc.attempt_start(participant=participant, round=round_)
    except svc.AttemptError as err:
        messages.error(request, err.message)
        return redirect("contests:contest", slug=contest.slug)
    session.remember(request, participant)
    session.remember_attempt(request, attempt)
    return redirect("contests:attempt", token=attempt.token)


def _own_attempt(request: HttpRequest, token: str) -> tuple[Attempt, Participant]:
    """The attempt of this token when it is this request's participant's (expired on the way
    when its time is up); 404 otherwise, the same for a tampered token and another's."""
    attempt = sel.attempt_by_token(token)
    if attempt is None:
        raise Http404
    participant = session.participant_for(request, attempt.round.contest)
    if participant is None or participant.pk != attempt.participant_id:
        raise Http404
    svc.attempt_expire(attempt)
    session.remember_attempt(request, attempt)
    return attempt, participant


def _clock(seconds: int) -> str:
    """12:05, or 1:02:03 past an hour."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _number(raw: str | None, default: int = 1) -> int:
    try:
        return int(raw or default)
    except ValueError:
        return default


@never_cache
@require_http_methods(["GET", "POST"])
def attempt_page(request: HttpRequest, token: str) -> HttpResponse:
    """One question of the attempt (?q=N), or the review before handing in (?step=review).

    A POST stores the ticked options (when any) and goes where its button says: the previous
    or next question, one chosen from the list, or the review. A reload shows the same page.
    """
    attempt, participant = _own_attempt(request, token)
    if attempt.status != AttemptStatus.ACTIVE:
        if request.method == "POST" and request.POST.getlist("option"):
            messages.error(request, svc.AttemptClosed().message)
        return redirect("contests:result", token=attempt.token)
    total = len(attempt.question_ids)
    here = reverse("contests:attempt", args=[attempt.token])
    if request.method == "POST":
        number = min(max(_number(request.POST.get("number")), 1), total)
        chosen = request.POST.getlist("option")
        if chosen:
            if not svc.answer_allowed(participant_id=participant.pk, address=client_ip(request)):
                messages.error(request, _("Bạn gửi quá nhanh. Câu trả lời chưa được lưu."))
                return redirect(f"{here}?q={number}")
            try:
                svc.attempt_answer(
                    token=attempt.token,
                    participant_id=participant.pk,
                    question_id=int(attempt.question_ids[number - 1]),
                    option_ids=[_number(c, 0) for c in chosen],
                )
            except svc.AttemptClosed as err:
                messages.error(request, err.message)
                return redirect("contests:result", token=attempt.token)
            except svc.AttemptError as err:
                messages.error(request, err.message)
                return redirect(f"{here}?q={number}")
        go = request.POST.get("go", "next")
        if go == "review":
            return redirect(f"{here}?step=review")
        if go == "prev":
            target = number - 1
        elif go == "next":
            target = number + 1
        else:
            target = _number(go, number)
        if target > total:
            return redirect(f"{here}?step=review")
        return redirect(f"{here}?q={max(target, 1)}")
    remaining = svc.remaining_seconds(attempt)
    if request.GET.get("step") == "review":
        return render(
            request,
            "contests/take/review.html",
            _review_context(attempt, FinishForm(**_finish_kwargs(attempt)), remaining),
        )
    page = sel.question_page(attempt, _number(request.GET.get("q")))
    return render(
        request,
        "contests/take/question.html",
        {
            "attempt": attempt,
            "contest": attempt.round.contest,
            "page": page,
            "numbers": range(1, total + 1),
            "remaining": remaining,
            "clock": _clock(remaining),
            "api_url": reverse("api:answer", kwargs={"token": attempt.token}),
        },
    )


def _finish_kwargs(attempt: Attempt) -> dict[str, Any]:
    return {
        "ask": attempt.round.ask_prediction,
        "question": attempt.round.contest.prediction_question,
    }


def _review_context(attempt: Attempt, form: FinishForm, remaining: int) -> dict[str, Any]:
    answered = sel.answered_count(attempt)
    page = sel.question_page(attempt, 1)
    return {
        "attempt": attempt,
        "contest": attempt.round.contest,
        "form": form,
        "answered": answered,
        "total": len(attempt.question_ids),
        "unanswered": len(attempt.question_ids) - answered,
        "answered_numbers": page.answered_numbers,
        "numbers": range(1, len(attempt.question_ids) + 1),
        "remaining": remaining,
        "clock": _clock(remaining),
    }


@require_POST
def finish(request: HttpRequest, token: str) -> HttpResponse:
    """ "Nộp bài": hand the attempt in (once), with the prediction when the round asks."""
    attempt, participant = _own_attempt(request, token)
    if attempt.status != AttemptStatus.ACTIVE:
        return redirect("contests:result", token=attempt.token)
    form = FinishForm(request.POST, **_finish_kwargs(attempt))
    if not form.is_valid():
        return render(
            request,
            "contests/take/review.html",
            _review_context(attempt, form, svc.remaining_seconds(attempt)),
            status=400,
        )
    try:
        svc.attempt_finish(
            token=attempt.token,
            participant_id=participant.pk,
            prediction=form.cleaned_data.get("prediction"),
        )
    except svc.AttemptError as err:
        messages.error(request, err.message)
    return redirect("contests:result", token=attempt.token)


@never_cache
@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    """The score and time of a handed-in attempt; the correct answers with their explanations
    only once the contest's results are published."""
    attempt, participant = _own_attempt(request, token)
    if attempt.status == AttemptStatus.ACTIVE:
        return redirect("contests:attempt", token=attempt.token)
    contest = attempt.round.contest
    published = contest.status == ContestStatus.RESULTS
    again = (
        contest.status == ContestStatus.PUBLISHED
        and attempt.round.is_open()
        and svc.attempts_left(participant, attempt.round) > 0
    )
    return render(
        request,
        "contests/take/result.html",
        {
            "attempt": attempt,
            "contest": contest,
            "published": published,
            "reviewed": sel.reviewed_questions(attempt) if published else [],
            "again": again,
            "clock": _clock((attempt.duration_ms or 0) // 1000),
        },
    )
