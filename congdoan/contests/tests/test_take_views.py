"""The participant's pages without JavaScript: the list, the contest, starting, one question a
page (a POST saves and moves on, a reload resumes), the review with the prediction, the
result (answers only once results are published), and 404s for tokens not one's own."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from congdoan.contests.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Contest,
    ContestStatus,
    Eligibility,
    Option,
    Participant,
    Question,
    Round,
)
from congdoan.contests.services import attempts

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client_of: Any, cast: Any, participant: Participant) -> Client:
    return client_of(cast.member_user)


def _start(client: Client, contest: Contest, round_: Round) -> Attempt:
    response = client.post(f"/cuoc-thi/{contest.slug}/vao-thi/", {"round": round_.pk})
    assert response.status_code == 302, response.content
    token = response["Location"].rstrip("/").split("/")[-1]
    return Attempt.objects.get(token=token)


def _options_shown(html: str) -> list[int]:
    return [int(v) for v in re.findall(r'name="option" value="(\d+)"', html)]


def _correct(qid: int) -> list[int]:
    return list(
        Option.objects.filter(question_id=qid, is_correct=True).values_list("pk", flat=True)
    )


def test_the_list_shows_member_contests_to_members_and_phone_contests_to_anyone(
    contest: Contest, round_open: Round, client_of: Any, cast: Any
) -> None:
    assert contest.title in client_of(cast.member_user).get("/cuoc-thi/").content.decode()
    assert contest.title not in Client().get("/cuoc-thi/").content.decode()
    assert contest.title not in client_of(cast.officer_b).get("/cuoc-thi/").content.decode()
    Contest.objects.filter(pk=contest.pk).update(eligibility=Eligibility.PHONE)
    assert contest.title in Client().get("/cuoc-thi/").content.decode()
    Contest.objects.filter(pk=contest.pk).update(status=ContestStatus.DRAFT)
    assert contest.title not in Client().get("/cuoc-thi/").content.decode()
    assert Client().get(f"/cuoc-thi/{contest.slug}/").status_code == 404


def test_the_contest_page_shows_rounds_in_vietnamese_and_the_button(
    contest: Contest, round_open: Round, member_client: Client
) -> None:
    html = member_client.get(f"/cuoc-thi/{contest.slug}/").content.decode()
    assert "Vòng 1" in html and "Vào thi" in html and " tháng " in html and " năm " in html
    assert contest.rules in html


def test_a_participant_takes_an_attempt_without_javascript(
    contest: Contest, round_open: Round, member_client: Client, participant: Participant
) -> None:
    attempt = _start(member_client, contest, round_open)
    url = f"/cuoc-thi/luot/{attempt.token}/"
    first = member_client.get(url).content.decode()
    assert "Câu 1/5" in first and "Còn lại" in first and "<script>" not in first
    q1 = Question.objects.get(pk=attempt.question_ids[0])
    assert q1.text in first
    # Never the explanation, never another question's text.
    for other in Question.objects.filter(contest=contest).exclude(pk=q1.pk):
        assert other.text not in first
    assert q1.explanation not in first
    assert _options_shown(first) == attempt.option_orders[str(q1.pk)]

    saved = member_client.post(url, {"number": 1, "option": _correct(q1.pk), "go": "next"})
    assert saved.status_code == 302 and saved["Location"].endswith("?q=2")
    assert Answer.objects.get(attempt=attempt).question_id == q1.pk
    # A reload of question 1 shows the choice kept; the list marks it answered.
    again = member_client.get(f"{url}?q=1").content.decode()
    assert f'value="{_correct(q1.pk)[0]}" checked' in again
    assert 'class="qnum done here"' in again

    # Answer the rest, jumping with the list's buttons, then review and hand in.
    for n, qid in enumerate(attempt.question_ids[1:], start=2):
        member_client.post(url, {"number": n, "option": _correct(qid)[:1], "go": str(n + 1)})
    review = member_client.get(f"{url}?step=review").content.decode()
    assert "Nộp bài" in review and contest.prediction_question in review
    missing = member_client.post(f"{url}nop-bai/", {})
    assert missing.status_code == 400
    done = member_client.post(f"{url}nop-bai/", {"prediction": "120"})
    assert done.status_code == 302 and done["Location"] == f"{url}ket-qua/"
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FINISHED and attempt.prediction == 120
    result = member_client.get(f"{url}ket-qua/").content.decode()
    assert f"{attempt.score}/5" in result
    assert "đáp án đúng" not in result and q1.explanation not in result
    # The attempt page of a finished attempt goes to the result.
    assert member_client.get(url)["Location"] == f"{url}ket-qua/"

    Contest.objects.filter(pk=contest.pk).update(status=ContestStatus.RESULTS)
    published = member_client.get(f"{url}ket-qua/").content.decode()
    assert "đáp án đúng" in published and q1.explanation in published


def test_starting_twice_resumes_the_same_attempt(
    contest: Contest, round_open: Round, member_client: Client
) -> None:
    first = _start(member_client, contest, round_open)
    second = _start(member_client, contest, round_open)
    assert first.pk == second.pk and Attempt.objects.count() == 1


def test_starting_without_joining_goes_to_the_join_page(
    contest: Contest, round_open: Round, client_of: Any, cast: Any
) -> None:
    response = client_of(cast.member_user).post(
        f"/cuoc-thi/{contest.slug}/vao-thi/", {"round": round_open.pk}
    )
    assert response["Location"] == f"/cuoc-thi/{contest.slug}/tham-gia/"
    assert not Attempt.objects.exists()


def test_someone_elses_or_a_tampered_token_is_not_found(
    contest: Contest, round_open: Round, member_client: Client, client_of: Any, cast: Any
) -> None:
    attempt = _start(member_client, contest, round_open)
    qid = attempt.question_ids[0]
    stranger = client_of(cast.officer_a)
    for client, token in [
        (stranger, attempt.token),
        (Client(), attempt.token),
        (member_client, attempt.token[:-2] + "zz"),
    ]:
        assert client.get(f"/cuoc-thi/luot/{token}/").status_code == 404
        assert client.get(f"/cuoc-thi/luot/{token}/ket-qua/").status_code == 404
        post = client.post(f"/cuoc-thi/luot/{token}/", {"number": 1, "option": _correct(qid)})
        assert post.status_code in (403, 404)
        assert client.post(f"/cuoc-thi/luot/{token}/nop-bai/", {"prediction": 1}).status_code in (
            403,
            404,
        )
    assert not Answer.objects.exists()
    assert Attempt.objects.get().status == AttemptStatus.ACTIVE


def test_an_answer_after_the_deadline_is_refused_with_a_clear_message(
    contest: Contest, round_open: Round, member_client: Client
) -> None:
    attempt = _start(member_client, contest, round_open)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(seconds=1))
    qid = attempt.question_ids[0]
    url = f"/cuoc-thi/luot/{attempt.token}/"
    response = member_client.post(url, {"number": 1, "option": _correct(qid)}, follow=True)
    html = response.content.decode()
    assert "Kết quả lượt thi" in html and "Hết giờ" in html
    assert "không được ghi nhận" in html
    assert not Answer.objects.exists()
    assert Attempt.objects.get().status == AttemptStatus.EXPIRED


def test_an_option_of_another_question_is_refused_on_the_page(
    contest: Contest, round_open: Round, member_client: Client
) -> None:
    attempt = _start(member_client, contest, round_open)
    _q1, q2 = attempt.question_ids[:2]
    url = f"/cuoc-thi/luot/{attempt.token}/"
    response = member_client.post(
        url, {"number": 1, "option": _correct(q2), "go": "next"}, follow=True
    )
    assert "không hợp lệ" in response.content.decode()
    assert not Answer.objects.exists()


def test_answers_are_rate_limited_per_participant(
    contest: Contest, round_open: Round, member_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attempts, "ANSWERS_PER_MINUTE", 2)
    attempt = _start(member_client, contest, round_open)
    url = f"/cuoc-thi/luot/{attempt.token}/"
    for n, qid in enumerate(attempt.question_ids[:3], start=1):
        response = member_client.post(url, {"number": n, "option": _correct(qid)[:1]}, follow=True)
    assert "quá nhanh" in response.content.decode()
    assert Answer.objects.count() == 2
