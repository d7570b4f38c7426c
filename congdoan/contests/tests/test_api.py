"""The answer API: idempotent answers, every refusal the issue names with its status, the
session and its CSRF token, the rate limit, and the hot path's queries."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from congdoan.contests.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Option,
    Participant,
    QuestionKind,
    Round,
)
from congdoan.contests.services import attempts as svc
from congdoan.contests.services.attempts import attempt_start
from congdoan.contests.session import SESSION_KEY

pytestmark = pytest.mark.django_db

CSRF = get_random_string(32)


def _client(user: Any = None, *, csrf: bool = True) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user, backend="congdoan.accounts.backends.EmailOrPhoneBackend")
    if csrf:
        client.cookies["csrftoken"] = CSRF
    return client


def _post(client: Client, path: str, body: Any, *, raw: bool = False) -> Any:
    data = body if raw else json.dumps(body)
    return client.post(path, data, content_type="application/json", HTTP_X_CSRFTOKEN=CSRF)


def _url(attempt: Attempt, what: str = "answers") -> str:
    return f"/api/v1/contests/attempts/{attempt.token}/{what}"


@pytest.fixture
def attempt(participant: Participant, round_open: Round) -> Attempt:
    return attempt_start(participant=participant, round=round_open)


@pytest.fixture
def member_client(cast: Any) -> Client:
    return _client(cast.member_user)


def _options(attempt: Attempt, qid: int) -> list[int]:
    return list(attempt.option_orders[str(qid)])


def _single(attempt: Attempt) -> int:
    kinds = dict(
        Option.objects.filter(question_id__in=attempt.question_ids).values_list(
            "question_id", "question__kind"
        )
    )
    return next(q for q in attempt.question_ids if kinds[q] == QuestionKind.SINGLE)


def test_an_answer_is_stored_once_and_a_retry_stores_nothing(member_client, attempt):
    qid = attempt.question_ids[0]
    body = {"question": qid, "options": _options(attempt, qid)[:1]}
    first = _post(member_client, _url(attempt), body)
    assert first.status_code == 200, first.content
    assert first.json() == {
        "stored": True,
        "changed": False,
        "answered": 1,
        "total": 5,
        "remaining_seconds": first.json()["remaining_seconds"],
    }
    assert 590 <= first.json()["remaining_seconds"] <= 600
    again = _post(member_client, _url(attempt), body)
    assert again.status_code == 200
    assert (again.json()["stored"], again.json()["changed"], again.json()["answered"]) == (
        False,
        False,
        1,
    )
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_a_different_answer_before_the_end_replaces_the_first(member_client, attempt):
    qid = _single(attempt)
    a, b = _options(attempt, qid)[:2]
    assert _post(member_client, _url(attempt), {"question": qid, "options": [a]}).status_code == 200
    changed = _post(member_client, _url(attempt), {"question": qid, "options": [b]})
    assert changed.json()["changed"] is True and changed.json()["answered"] == 1
    assert list(Answer.objects.filter(attempt=attempt).values_list("option_ids", flat=True)) == [
        [b]
    ]


def test_a_thousand_identical_submissions_store_one_answer(member_client, attempt, monkeypatch):
    monkeypatch.setattr(svc, "ANSWERS_PER_MINUTE", 0)  # no limit: every call reaches the service
    qid = attempt.question_ids[1]
    body = {"question": qid, "options": _options(attempt, qid)[:1]}
    stored: Counter[bool] = Counter()
    for _ in range(1000):
        answer = _post(member_client, _url(attempt), body)
        assert answer.status_code == 200
        stored[answer.json()["stored"]] += 1
    assert stored == {True: 1, False: 999}
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_a_flood_is_refused_with_429_and_still_counts_once(member_client, attempt, monkeypatch):
    monkeypatch.setattr(svc, "ANSWERS_PER_MINUTE", 30)
    qid = attempt.question_ids[0]
    body = {"question": qid, "options": _options(attempt, qid)[:1]}
    statuses = [_post(member_client, _url(attempt), body).status_code for _ in range(40)]
    assert statuses.count(200) == 30 and statuses.count(429) == 10
    refused = _post(member_client, _url(attempt), body)
    assert refused.status_code == 429 and "quá nhanh" in refused.json()["detail"]
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_the_rate_limit_leaves_room_for_a_person_on_a_bad_line() -> None:
    # 20 questions, each sent three times, and a second tab: well under the minute's limit.
    assert svc.ANSWERS_PER_MINUTE >= 20 * 3 + 20


def test_an_unknown_or_tampered_token_is_404(member_client, attempt):
    qid = attempt.question_ids[0]
    body = {"question": qid, "options": _options(attempt, qid)[:1]}
    for token in ("khong-co-luot-nay", attempt.token[:-1] + "x", attempt.token + "zz"):
        answer = _post(member_client, f"/api/v1/contests/attempts/{token}/answers", body)
        assert answer.status_code == 404, token
        assert answer.json()["detail"] == "Không tìm thấy lượt thi."
    assert not Answer.objects.exists()


def test_another_participants_attempt_is_404(cast, contest, round_open, attempt):
    other = Participant.objects.create(
        contest=contest, user=cast.officer_b, full_name="Người khác", unit=cast.unit_b
    )
    theirs = attempt_start(participant=other, round=round_open)
    qid = theirs.question_ids[0]
    body = {"question": qid, "options": _options(theirs, qid)[:1]}
    answer = _post(_client(cast.member_user), _url(theirs), body)
    assert answer.status_code == 404
    # Whatever the body: someone else's attempt is not found, before the body is read.
    assert _post(_client(cast.member_user), _url(theirs), "{", raw=True).status_code == 404
    assert (
        _post(_client(cast.member_user), _url(theirs, "finish"), "x", raw=True).status_code == 404
    )
    assert (
        _client(cast.member_user).get(f"/api/v1/contests/attempts/{theirs.token}").status_code
        == 404
    )
    # Logged in as nobody in this contest, or not at all: the same 404, nothing stored.
    assert _post(_client(cast.officer_a), _url(attempt), body).status_code == 404
    assert _post(_client(), _url(attempt), body).status_code == 404
    assert not Answer.objects.exists()


def test_a_question_not_in_the_attempt_or_options_not_of_it_are_400(
    member_client, attempt, contest
):
    drawn = set(attempt.question_ids)
    outside = (
        Option.objects.filter(question__contest=contest).exclude(question_id__in=drawn).first()
    )
    assert outside is not None
    qid = _single(attempt)
    other_qid = next(q for q in attempt.question_ids if q != qid)
    cases = [
        {"question": outside.question_id, "options": [outside.pk]},
        {"question": 10**9, "options": [1]},
        {"question": qid, "options": _options(attempt, other_qid)[:1]},
        {"question": qid, "options": []},
        {"question": qid, "options": _options(attempt, qid)[:2]},  # two for a single choice
    ]
    for body in cases:
        answer = _post(member_client, _url(attempt), body)
        assert answer.status_code == 400, (body, answer.content)
        assert answer.json()["detail"]
    assert not Answer.objects.exists()


def test_a_body_that_is_not_the_json_described_is_422(member_client, attempt):
    qid = attempt.question_ids[0]
    bodies = [
        "{không phải json",
        "[]",
        json.dumps({"question": str(qid), "options": [1]}),
        json.dumps({"question": qid, "options": "1"}),
        json.dumps({"question": qid}),
        json.dumps({"question": qid, "options": [1.5]}),
        json.dumps({"question": True, "options": [1]}),
        json.dumps({"question": 10**30, "options": [1]}),
        json.dumps({"question": qid, "options": [-1]}),
        json.dumps({"question": qid, "options": list(range(50))}),
        json.dumps({"question": qid, "options": [1], "x": "y" * 5000}),
    ]
    for body in bodies:
        answer = _post(member_client, _url(attempt), body, raw=True)
        assert answer.status_code == 422, body[:40]
        assert "JSON" in answer.json()["detail"]
    assert not Answer.objects.exists()


def test_answers_after_the_end_are_refused_409_or_410(member_client, attempt, round_open):
    qid = attempt.question_ids[0]
    body = {"question": qid, "options": _options(attempt, qid)[:1]}
    # Past the deadline by the server's clock: expired (and scored), 410.
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(seconds=1))
    late = _post(member_client, _url(attempt), body)
    assert late.status_code == 410 and late.json()["detail"]
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    assert not Answer.objects.exists()


def test_answers_after_the_round_closed_are_410(member_client, attempt, round_open):
    Round.objects.filter(pk=round_open.pk).update(
        opens_at=timezone.now() - timedelta(hours=2),
        closes_at=timezone.now() - timedelta(seconds=1),
    )
    qid = attempt.question_ids[0]
    late = _post(
        member_client, _url(attempt), {"question": qid, "options": _options(attempt, qid)[:1]}
    )
    assert late.status_code == 410
    assert not Answer.objects.exists()


def test_finish_is_idempotent_and_closes_the_attempt_to_answers(member_client, attempt):
    qid = attempt.question_ids[0]
    body = {"question": qid, "options": _options(attempt, qid)[:1]}
    assert _post(member_client, _url(attempt), body).status_code == 200
    done = _post(member_client, _url(attempt, "finish"), {"prediction": 12})
    assert done.status_code == 200, done.content
    assert done.json() == {"status": "finished", "answered": 1, "total": 5}
    assert _post(member_client, _url(attempt, "finish"), {}).json()["status"] == "finished"
    attempt.refresh_from_db()
    assert (attempt.status, attempt.prediction) == (AttemptStatus.FINISHED, 12)
    other = next(q for q in attempt.question_ids if q != qid)
    late = _post(
        member_client, _url(attempt), {"question": other, "options": _options(attempt, other)[:1]}
    )
    assert late.status_code == 409 and "nộp bài" in late.json()["detail"]
    assert _post(member_client, _url(attempt, "finish"), {"prediction": "12"}).status_code == 422
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_the_state_shows_the_draw_and_own_answers_never_the_correct_options(member_client, attempt):
    qid = attempt.question_ids[2]
    chosen = _options(attempt, qid)[-1:]
    _post(member_client, _url(attempt), {"question": qid, "options": chosen})
    state = member_client.get(f"/api/v1/contests/attempts/{attempt.token}")
    assert state.status_code == 200
    data = state.json()
    assert [q["id"] for q in data["questions"]] == attempt.question_ids
    for question in data["questions"]:
        assert [o["id"] for o in question["options"]] == attempt.option_orders[str(question["id"])]
        assert all(set(o) == {"id", "text"} for o in question["options"])
    assert (data["answered"], data["answers"]) == ([qid], {str(qid): chosen})
    assert data["status"] == "active" and data["total"] == 5 and data["remaining_seconds"] > 0
    assert "correct" not in state.content.decode() and "explanation" not in state.content.decode()


def test_a_session_call_without_the_csrf_token_is_refused(cast, attempt):
    qid = attempt.question_ids[0]
    body = json.dumps({"question": qid, "options": _options(attempt, qid)[:1]})
    no_cookie = _client(cast.member_user, csrf=False)
    answer = no_cookie.post(_url(attempt), body, content_type="application/json")
    assert answer.status_code == 403 and "CSRF" in answer.json()["detail"]
    wrong = _client(cast.member_user)
    answer = wrong.post(
        _url(attempt), body, content_type="application/json", HTTP_X_CSRFTOKEN="x" * 32
    )
    assert answer.status_code == 403
    cross_site = _client(cast.member_user)
    answer = cross_site.post(
        _url(attempt), body, content_type="text/plain", HTTP_ORIGIN="https://evil.example"
    )
    assert answer.status_code == 403
    anonymous = Client(enforce_csrf_checks=True).post(
        _url(attempt), body, content_type="application/json"
    )
    assert anonymous.status_code == 403
    assert not Answer.objects.exists()


def test_the_answer_call_makes_few_queries(member_client, attempt):
    qid = attempt.question_ids[0]
    body = {"question": qid, "options": _options(attempt, qid)[:1]}
    # The first call finds the attempt's participant and remembers it in the session (as the
    # attempt page does), with the time the session was seen.
    _post(member_client, _url(attempt), body)
    with CaptureQueriesContext(connection) as first:
        assert _post(member_client, _url(attempt), body).status_code == 200
    other = attempt.question_ids[1]
    with CaptureQueriesContext(connection) as new:
        answer = _post(
            member_client,
            _url(attempt),
            {"question": other, "options": _options(attempt, other)[:1]},
        )
        assert answer.json()["stored"] is True
    # The session and the user; then the service's three at most (two for a repeat).
    assert len(first) <= 4, [q["sql"] for q in first.captured_queries]
    assert len(new) <= 5, [q["sql"] for q in new.captured_queries]


def _phone_client(participant: Participant) -> Client:
    """A browser whose session verified `participant`'s phone (no login)."""
    client = _client()
    session = client.session
    session[SESSION_KEY] = {str(participant.contest_id): participant.pk}
    session.save()
    client.cookies["sessionid"] = str(session.session_key)
    return client


def test_a_phone_participant_answers_through_the_session_with_its_csrf_token(
    cast, contest, round_open
):
    phone = Participant.objects.create(
        contest=contest, full_name="Chị Lan", phone="+84912345678", unit=cast.unit_a
    )
    attempt = attempt_start(participant=phone, round=round_open)
    qid = attempt.question_ids[0]
    body = {"question": qid, "options": _options(attempt, qid)[:1]}
    client = _phone_client(phone)
    answer = _post(client, _url(attempt), body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["stored"] is True
    assert client.get(f"/api/v1/contests/attempts/{attempt.token}").json()["answered"] == [qid]
    # The same session without the token: refused, as a page on another site would be.
    refused = client.post(_url(attempt), json.dumps(body), content_type="application/json")
    assert refused.status_code == 403
    # Another phone's session: not theirs.
    other = Participant.objects.create(
        contest=contest, full_name="Anh Nam", phone="+84987654321", unit=cast.unit_a
    )
    assert _post(_phone_client(other), _url(attempt), body).status_code == 404
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_the_attempt_page_finds_the_answer_call_by_its_name(attempt):
    assert reverse("api:answer", kwargs={"token": attempt.token}) == _url(attempt)
