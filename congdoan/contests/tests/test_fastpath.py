"""The answer call's short road (contests/fastpath.py): served in front of the middleware only
when ordinary, with the same answers and headers as the full stack; everything else falls
through to the full stack, which answers as before."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from unittest import mock

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, close_old_connections
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.crypto import get_random_string

from congdoan.accounts.middleware import NOT_APPLICABLE, SEEN_AT
from congdoan.contests import api
from congdoan.contests.fastpath import AnswerFastPath
from congdoan.contests.models import Answer, Attempt, AttemptStatus, Participant, Round
from congdoan.contests.services import attempts as svc
from congdoan.contests.services.attempts import attempt_start
from congdoan.contests.session import SESSION_KEY

pytestmark = pytest.mark.django_db

CSRF = get_random_string(32)


class Spy:
    """The full stack, counting the calls that reach it."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def spy() -> Spy:
    return Spy()


@pytest.fixture
def app(spy: Spy) -> AnswerFastPath:
    return AnswerFastPath(spy)


@pytest.fixture
def attempt(participant: Participant, round_open: Round) -> Attempt:
    return attempt_start(participant=participant, round=round_open)


def _browser(user: Any = None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user, backend="congdoan.accounts.backends.EmailOrPhoneBackend")
    client.cookies["csrftoken"] = CSRF
    return client


def _opened(client: Client, attempt: Attempt) -> Client:
    """The attempt page's first call (the full stack): the session remembers the attempt."""
    assert client.get(f"/api/v1/contests/attempts/{attempt.token}").status_code == 200
    return client


def _call(
    app: Any,
    client: Client,
    attempt: Attempt,
    body: Any,
    *,
    csrf: str | None = CSRF,
    raw: bytes | None = None,
    **extra: str,
) -> tuple[int, dict[str, str], Any]:
    cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    headers: dict[str, Any] = {"HTTP_COOKIE": cookie, **extra}
    if csrf is not None:
        headers["HTTP_X_CSRFTOKEN"] = csrf
    data = raw if raw is not None else json.dumps(body)
    request = RequestFactory().post(
        f"/api/v1/contests/attempts/{attempt.token}/answers",
        data=data,
        content_type="application/json",
        **headers,
    )
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    # As Django's test client does around a request: the test's transaction keeps its
    # connection (request_started/finished would close it).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        content = b"".join(app(request.environ, start_response))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], json.loads(content) if content else None


def _choice(attempt: Attempt, i: int = 0, pick: int = 0) -> dict[str, Any]:
    qid = attempt.question_ids[i]
    return {"question": qid, "options": [attempt.option_orders[str(qid)][pick]]}


def test_an_ordinary_answer_is_served_in_front_of_the_stack_with_its_headers(
    app, spy, attempt, cast
):
    client = _opened(_browser(cast.member_user), attempt)
    assert client.session[SEEN_AT] == NOT_APPLICABLE  # a member: no idle limit
    status, headers, body = _call(app, client, attempt, _choice(attempt))
    assert status == 200 and spy.calls == 0
    assert body["stored"] is True and body["answered"] == 1
    assert Answer.objects.filter(attempt=attempt).count() == 1
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Cookie" in headers["Vary"]
    assert "no-store" in headers["Cache-Control"]
    assert headers["Content-Type"] == "application/json"


def test_the_short_road_and_the_full_stack_answer_alike(app, spy, attempt, participant, cast):
    client = _opened(_browser(cast.member_user), attempt)
    calls = [_choice(attempt, 0, 0), _choice(attempt, 0, 0), _choice(attempt, 0, 1)]
    fast = [_call(app, client, attempt, body)[2] for body in calls]
    assert spy.calls == 0
    # The same three calls on a second attempt, through the full stack only.
    Attempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.FINISHED)
    other_round = Round.objects.create(
        contest=attempt.round.contest,
        number=2,
        title="Vòng 2",
        opens_at=attempt.round.opens_at,
        closes_at=attempt.round.closes_at,
        questions_per_attempt=attempt.round.questions_per_attempt,
        topic_mix=attempt.round.topic_mix,
        time_limit_seconds=attempt.round.time_limit_seconds,
    )
    second = attempt_start(participant=participant, round=other_round)
    second.question_ids, second.option_orders = attempt.question_ids, attempt.option_orders
    second.save(update_fields=["question_ids", "option_orders"])
    full_app = spy
    full = [_call(full_app, client, second, body)[2] for body in calls]
    strip = [{k: v for k, v in r.items() if k != "remaining_seconds"} for r in fast]
    assert strip == [{k: v for k, v in r.items() if k != "remaining_seconds"} for r in full]
    assert [r["stored"] for r in fast] == [True, False, True]
    assert [r["changed"] for r in fast] == [False, False, True]


def test_a_phone_participant_takes_the_short_road_too(app, spy, contest, round_open, cast):
    phone = Participant.objects.create(
        contest=contest, full_name="Chị Lan", phone="+84912345678", unit=cast.unit_a
    )
    attempt = attempt_start(participant=phone, round=round_open)
    client = _browser()
    session = client.session
    session[SESSION_KEY] = {str(contest.pk): phone.pk}
    session.save()
    client.cookies["sessionid"] = str(session.session_key)
    _opened(client, attempt)
    status, _h, body = _call(app, client, attempt, _choice(attempt))
    assert (status, spy.calls, body["stored"]) == (200, 0, True)


@pytest.mark.parametrize(
    "case",
    ["no_csrf_header", "wrong_csrf", "bad_json", "wrong_shape", "bad_host", "too_long"],
)
def test_anything_unusual_goes_the_full_way_and_is_answered_there(app, spy, attempt, cast, case):
    client = _opened(_browser(cast.member_user), attempt)
    kwargs: dict[str, Any] = {}
    body: Any = _choice(attempt)
    if case == "no_csrf_header":
        kwargs["csrf"] = None
    elif case == "wrong_csrf":
        kwargs["csrf"] = get_random_string(32)
    elif case == "bad_json":
        kwargs["raw"] = b"{not json"
    elif case == "wrong_shape":
        body = {"question": "1", "options": [True]}
    elif case == "bad_host":
        kwargs["HTTP_HOST"] = "evil.example"
    elif case == "too_long":
        kwargs["raw"] = json.dumps({**body, "pad": "x" * (api.MAX_BODY + 10)}).encode()
    status, _h, _body = _call(app, client, attempt, body, **kwargs)
    assert spy.calls == 1
    expected = {
        "no_csrf_header": 403,
        "wrong_csrf": 403,
        "bad_json": 422,
        "wrong_shape": 422,
        "bad_host": 400,
        "too_long": 422,
    }[case]
    assert status == expected
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_a_session_that_never_opened_the_attempt_goes_the_full_way_once(app, spy, attempt, cast):
    client = _browser(cast.member_user)
    status, _h, _b = _call(app, client, attempt, _choice(attempt))
    assert (status, spy.calls) == (200, 1)  # the full stack checked the login and remembered
    status, _h, _b = _call(app, client, attempt, _choice(attempt, 1))
    assert (status, spy.calls) == (200, 1)


def test_another_persons_session_never_answers_on_the_short_road(app, spy, attempt, cast):
    _opened(_browser(cast.member_user), attempt)
    stranger = _browser(cast.officer_b)
    status, _h, _b = _call(app, stranger, attempt, _choice(attempt))
    assert (status, spy.calls) == (404, 1)
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_an_officers_session_goes_the_full_way_where_the_idle_limit_is_kept(
    app, spy, attempt, cast, settings
):
    client = _opened(_browser(cast.member_user), attempt)
    session = client.session
    session[SEEN_AT] = int(timezone.now().timestamp())  # as an officer's session is marked
    session.save()
    status, _h, _b = _call(app, client, attempt, _choice(attempt))
    assert status == 200 and spy.calls == 1


def test_refusals_are_answered_on_the_short_road_in_the_visitors_language(
    app, spy, attempt, cast, settings
):
    client = _opened(_browser(cast.member_user), attempt)
    with mock.patch.object(svc, "ANSWERS_PER_MINUTE", 1):
        assert _call(app, client, attempt, _choice(attempt))[0] == 200
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        status, headers, body = _call(app, client, attempt, _choice(attempt, 1))
    assert status == 429 and spy.calls == 0
    assert headers["Content-Language"] == "en"
    assert "Vui" not in body["detail"] and "Bạn" not in body["detail"]
    Attempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.FINISHED)
    status, _h, body = _call(app, client, attempt, _choice(attempt, 2))
    assert status == 409 and spy.calls == 0


def test_a_database_failure_is_handed_to_the_full_stack(app, spy, attempt, cast):
    client = _opened(_browser(cast.member_user), attempt)
    real = api.attempt_answer
    failures = iter([OperationalError("the database went away")])

    def flaky(**kwargs: Any) -> Any:
        error = next(failures, None)
        if error is not None:
            raise error
        return real(**kwargs)

    with mock.patch.object(api, "attempt_answer", flaky):
        status, _h, body = _call(app, client, attempt, _choice(attempt))
    assert (status, spy.calls, body["stored"]) == (200, 1, True)
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_the_setting_turns_the_short_road_off(app, spy, attempt, cast, settings):
    settings.CONTESTS_ANSWER_FAST_PATH = False
    client = _opened(_browser(cast.member_user), attempt)
    status, _h, _b = _call(app, client, attempt, _choice(attempt))
    assert (status, spy.calls) == (200, 1)


def test_the_proxys_address_counts_for_the_per_address_limit(app, spy, attempt, cast, settings):
    settings.PROXY_CLIENT_IP_HEADER = "X-Real-IP"
    client = _opened(_browser(cast.member_user), attempt)
    with mock.patch.object(api, "answer_allowed", wraps=svc.answer_allowed) as allowed:
        _call(app, client, attempt, _choice(attempt), HTTP_X_REAL_IP="203.0.113.7")
    assert allowed.call_args.kwargs["address"] == "203.0.113.7"
