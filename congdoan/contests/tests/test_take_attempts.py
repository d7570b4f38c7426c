"""Attempts: the draw, shuffling, resuming, attempts allowed, the server's clock, answers stored
once, and every refusal the issue names (closed, not in the attempt, another question's options,
a tampered token)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from congdoan.contests.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Contest,
    ContestStatus,
    Option,
    Participant,
    Question,
    Round,
    Topic,
)
from congdoan.contests.services import attempts
from congdoan.contests.services.attempts import (
    AttemptClosed,
    AttemptNotFound,
    BankTooSmall,
    InvalidChoice,
    QuestionNotInAttempt,
    attempt_answer,
    attempt_finish,
    attempt_start,
)
from congdoan.contests.tests.conftest import add_question

pytestmark = pytest.mark.django_db


def _correct(qid: int) -> list[int]:
    return list(
        Option.objects.filter(question_id=qid, is_correct=True).values_list("pk", flat=True)
    )


def _wrong(qid: int) -> list[int]:
    return list(
        Option.objects.filter(question_id=qid, is_correct=False).values_list("pk", flat=True)[:1]
    )


def _answer(attempt: Attempt, qid: int, options: list[int], **kw: Any) -> attempts.AnswerResult:
    return attempt_answer(
        token=attempt.token,
        participant_id=attempt.participant_id,
        question_id=qid,
        option_ids=options,
        **kw,
    )


def test_draw_honours_the_topic_mix_and_keeps_each_questions_options(
    round_open: Round, participant: Participant, topics: tuple[Topic, Topic]
) -> None:
    contract, wages = topics
    attempt = attempt_start(participant=participant, round=round_open)
    assert len(attempt.question_ids) == 5 == len(set(attempt.question_ids))
    by_topic = dict(Question.objects.filter(pk__in=attempt.question_ids).values_list("pk", "topic"))
    assert sorted(by_topic.values()) == sorted([contract.pk] * 3 + [wages.pk] * 2)
    for qid in attempt.question_ids:
        shown = attempt.option_orders[str(qid)]
        assert sorted(shown) == sorted(
            Option.objects.filter(question_id=qid).values_list("pk", flat=True)
        )
    assert attempt.deadline_at == attempt.started_at + timedelta(seconds=600)
    assert attempt.status == AttemptStatus.ACTIVE and attempt.number == 1


def test_questions_and_options_are_shuffled_only_when_the_round_says_so(
    round_open: Round, participant: Participant, contest: Contest
) -> None:
    # 20 questions of 6 options, no mix: 20 draws in a row would never all come out in order.
    for i in range(20):
        add_question(contest, None, f"Thêm {i}", options=6)
    round_open.topic_mix = {}
    round_open.questions_per_attempt = 20
    round_open.attempts_allowed = 10
    round_open.save()
    attempt = attempt_start(participant=participant, round=round_open)
    ordered = [
        attempt.option_orders[str(q)] == sorted(attempt.option_orders[str(q)])
        for q in attempt.question_ids
    ]
    assert not all(ordered)
    assert attempt.question_ids != sorted(attempt.question_ids)

    attempt_finish(token=attempt.token, participant_id=participant.pk)
    Round.objects.filter(pk=round_open.pk).update(shuffle_questions=False, shuffle_options=False)
    round_open.refresh_from_db()
    plain = attempt_start(participant=participant, round=round_open)
    assert plain.question_ids == sorted(plain.question_ids)
    for qid in plain.question_ids:
        assert plain.option_orders[str(qid)] == list(
            Option.objects.filter(question_id=qid).values_list("pk", flat=True)
        )


def test_a_bank_too_small_for_the_mix_is_a_clear_error(
    round_open: Round, participant: Participant, topics: tuple[Topic, Topic]
) -> None:
    _contract, wages = topics
    round_open.topic_mix = {str(wages.pk): 4}
    round_open.save()
    with pytest.raises(BankTooSmall) as err:
        attempt_start(participant=participant, round=round_open)
    assert "Ngân hàng câu hỏi" in err.value.message
    assert not Attempt.objects.exists()


def test_inactive_questions_are_never_drawn(
    round_open: Round, participant: Participant, contest: Contest
) -> None:
    Question.objects.filter(contest=contest, text="Câu hợp đồng 1").update(is_active=False)
    round_open.topic_mix = {}
    round_open.questions_per_attempt = 6
    round_open.save()
    attempt = attempt_start(participant=participant, round=round_open)
    assert Question.objects.get(text="Câu hợp đồng 1").pk not in attempt.question_ids


def test_a_reload_or_second_tab_resumes_the_same_attempt(
    round_open: Round, participant: Participant
) -> None:
    first = attempt_start(participant=participant, round=round_open)
    again = attempt_start(participant=participant, round=round_open)
    assert again.pk == first.pk and again.token == first.token
    assert Attempt.objects.count() == 1


def test_the_database_refuses_a_second_active_attempt(
    round_open: Round, participant: Participant
) -> None:
    first = attempt_start(participant=participant, round=round_open)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(
            round=round_open, participant=participant, number=2, deadline_at=first.deadline_at
        )


def test_a_start_that_loses_the_race_resumes_the_winners_attempt(
    round_open: Round, participant: Participant, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The other tab inserted its attempt between this start's look and its insert.
    winner = attempt_start(participant=participant, round=round_open)
    looks = iter([None])
    real = attempts._active
    monkeypatch.setattr(attempts, "_active", lambda p, r: next(looks, None) or real(p, r))
    resumed = attempt_start(participant=participant, round=round_open)
    assert resumed.pk == winner.pk
    assert Attempt.objects.count() == 1


def test_attempts_allowed_are_counted(round_open: Round, participant: Participant) -> None:
    for _ in range(2):
        a = attempt_start(participant=participant, round=round_open)
        attempt_finish(token=a.token, participant_id=participant.pk)
    with pytest.raises(AttemptClosed) as err:
        attempt_start(participant=participant, round=round_open)
    assert "hết số lượt" in err.value.message
    assert list(Attempt.objects.values_list("number", flat=True).order_by("number")) == [1, 2]


def test_a_round_not_open_or_a_draft_contest_starts_nothing(
    round_open: Round, participant: Participant, contest: Contest
) -> None:
    with pytest.raises(AttemptClosed):
        attempt_start(participant=participant, round=round_open, now=round_open.closes_at)
    with pytest.raises(AttemptClosed):
        attempt_start(
            participant=participant,
            round=round_open,
            now=round_open.opens_at - timedelta(seconds=1),
        )
    Contest.objects.filter(pk=contest.pk).update(status=ContestStatus.DRAFT)
    round_open.contest.refresh_from_db()
    with pytest.raises(AttemptClosed):
        attempt_start(participant=participant, round=round_open)
    assert not Attempt.objects.exists()


def test_the_deadline_is_cut_at_the_rounds_close(
    round_open: Round, participant: Participant
) -> None:
    start = round_open.closes_at - timedelta(seconds=100)
    attempt = attempt_start(participant=participant, round=round_open, now=start)
    assert attempt.deadline_at == round_open.closes_at


def test_a_thousand_submissions_of_the_same_answer_store_one_row(
    round_open: Round, participant: Participant
) -> None:
    attempt = attempt_start(participant=participant, round=round_open)
    qid = attempt.question_ids[0]
    results = [_answer(attempt, qid, _correct(qid)) for _ in range(1000)]
    assert results[0].stored and not results[0].changed and results[0].answered == 1
    assert all(not r.stored and not r.changed and r.answered == 1 for r in results[1:])
    assert Answer.objects.filter(attempt=attempt).count() == 1
    assert results[-1].total == 5 and 0 < results[-1].remaining_seconds <= 600


def test_a_changed_answer_replaces_the_stored_one(
    round_open: Round, participant: Participant
) -> None:
    attempt = attempt_start(participant=participant, round=round_open)
    qid = attempt.question_ids[0]
    _answer(attempt, qid, _wrong(qid))
    changed = _answer(attempt, qid, _correct(qid))
    assert changed.stored and changed.changed and changed.answered == 1
    (row,) = Answer.objects.filter(attempt=attempt)
    assert row.option_ids == sorted(_correct(qid))


def test_answers_count_as_they_come(round_open: Round, participant: Participant) -> None:
    attempt = attempt_start(participant=participant, round=round_open)
    for n, qid in enumerate(attempt.question_ids, start=1):
        assert _answer(attempt, qid, _correct(qid)).answered == n
    finished = attempt_finish(token=attempt.token, participant_id=participant.pk, prediction=12)
    assert finished.status == AttemptStatus.FINISHED
    assert finished.score == finished.max_score == 5
    assert finished.prediction == 12


def test_a_question_not_in_the_attempt_is_refused(
    round_open: Round, participant: Participant, contest: Contest
) -> None:
    attempt = attempt_start(participant=participant, round=round_open)
    other = Question.objects.filter(contest=contest).exclude(pk__in=attempt.question_ids).first()
    assert other is not None
    with pytest.raises(QuestionNotInAttempt):
        _answer(attempt, other.pk, _correct(other.pk))
    assert not Answer.objects.exists()


def test_options_of_another_question_are_refused(
    round_open: Round, participant: Participant
) -> None:
    attempt = attempt_start(participant=participant, round=round_open)
    q1, q2 = attempt.question_ids[:2]
    with pytest.raises(InvalidChoice):
        _answer(attempt, q1, _correct(q2))
    with pytest.raises(InvalidChoice):
        _answer(attempt, q1, [])
    with pytest.raises(InvalidChoice):
        _answer(attempt, q1, ["x"])  # type: ignore[list-item]
    assert not Answer.objects.exists()


def test_a_single_choice_question_takes_exactly_one_option(
    round_open: Round, participant: Participant, topics: tuple[Topic, Topic]
) -> None:
    contract, wages = topics
    round_open.topic_mix = {str(contract.pk): 2, str(wages.pk): 3}
    round_open.save()
    attempt = attempt_start(participant=participant, round=round_open)
    single = Question.objects.filter(pk__in=attempt.question_ids, kind="single").first()
    assert single is not None
    two = attempt.option_orders[str(single.pk)][:2]
    with pytest.raises(InvalidChoice) as err:
        _answer(attempt, single.pk, two)
    assert "một phương án" in err.value.message
    multiple = Question.objects.get(text="Câu tiền lương nhiều đáp án")
    assert multiple.pk in attempt.question_ids
    assert _answer(attempt, multiple.pk, _correct(multiple.pk)).stored


def test_an_answer_after_the_deadline_is_refused_and_the_attempt_expires(
    round_open: Round, participant: Participant
) -> None:
    attempt = attempt_start(participant=participant, round=round_open)
    q1, q2 = attempt.question_ids[:2]
    _answer(attempt, q1, _correct(q1))
    late = attempt.deadline_at + timedelta(seconds=1)
    with pytest.raises(AttemptClosed) as err:
        _answer(attempt, q2, _correct(q2), now=late)
    assert "không được ghi nhận" in err.value.message
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    assert attempt.score == 1 and attempt.max_score == 5
    assert attempt.finished_at == attempt.deadline_at
    assert Answer.objects.filter(attempt=attempt).count() == 1
    with pytest.raises(AttemptClosed):
        _answer(attempt, q1, _wrong(q1))
    assert Answer.objects.get(attempt=attempt).option_ids == sorted(_correct(q1))


def test_an_answer_after_the_round_closes_is_refused(
    round_open: Round, participant: Participant
) -> None:
    attempt = attempt_start(participant=participant, round=round_open)
    Round.objects.filter(pk=round_open.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    qid = attempt.question_ids[0]
    with pytest.raises(AttemptClosed):
        _answer(attempt, qid, _correct(qid))
    assert not Answer.objects.exists()
    assert Attempt.objects.get().status == AttemptStatus.EXPIRED


def test_an_expired_attempt_is_noticed_on_start_and_a_new_one_may_begin(
    round_open: Round, participant: Participant
) -> None:
    first = attempt_start(participant=participant, round=round_open)
    later = first.deadline_at + timedelta(minutes=1)
    second = attempt_start(participant=participant, round=round_open, now=later)
    assert second.pk != first.pk and second.number == 2
    first.refresh_from_db()
    assert first.status == AttemptStatus.EXPIRED


def test_a_tampered_token_or_someone_elses_attempt_is_not_found(
    round_open: Round, participant: Participant, contest: Contest, cast: Any
) -> None:
    attempt = attempt_start(participant=participant, round=round_open)
    qid = attempt.question_ids[0]
    other = Participant.objects.create(
        contest=contest, member=cast.member_b, full_name="B", unit=cast.unit_b
    )
    for token, pid in [
        (attempt.token[:-1] + "x", participant.pk),
        ("", participant.pk),
        (attempt.token, other.pk),
    ]:
        with pytest.raises(AttemptNotFound):
            attempt_answer(
                token=token, participant_id=pid, question_id=qid, option_ids=_correct(qid)
            )
        with pytest.raises(AttemptNotFound):
            attempt_finish(token=token, participant_id=pid)
    assert not Answer.objects.exists()


def test_finishing_twice_changes_nothing_the_second_time(
    round_open: Round, participant: Participant
) -> None:
    attempt = attempt_start(participant=participant, round=round_open)
    qid = attempt.question_ids[0]
    _answer(attempt, qid, _correct(qid))
    first = attempt_finish(token=attempt.token, participant_id=participant.pk, prediction=5)
    second = attempt_finish(token=attempt.token, participant_id=participant.pk, prediction=99)
    assert first.finished_at == second.finished_at
    assert second.prediction == 5 and second.score == 1
    with pytest.raises(AttemptClosed):
        _answer(attempt, qid, _wrong(qid))


def test_the_prediction_is_kept_only_when_the_round_asks(
    round_open: Round, participant: Participant
) -> None:
    Round.objects.filter(pk=round_open.pk).update(ask_prediction=False)
    round_open.refresh_from_db()
    attempt = attempt_start(participant=participant, round=round_open)
    done = attempt_finish(token=attempt.token, participant_id=participant.pk, prediction=7)
    assert done.prediction is None


def test_answer_takes_at_most_three_queries(
    round_open: Round, participant: Participant, django_assert_max_num_queries: Any
) -> None:
    attempt = attempt_start(participant=participant, round=round_open)
    q1, q2 = attempt.question_ids[:2]
    wrong1, right1, right2 = _wrong(q1), _correct(q1), _correct(q2)
    with django_assert_max_num_queries(3):
        _answer(attempt, q1, wrong1)  # insert
    with django_assert_max_num_queries(3):
        _answer(attempt, q1, right1)  # update
    with django_assert_max_num_queries(2):
        _answer(attempt, q1, right1)  # the same again: no write
    with django_assert_max_num_queries(3):
        _answer(attempt, q2, right2)
    assert Answer.objects.filter(attempt=attempt).count() == 2


def test_the_sweep_expires_and_scores_only_attempts_whose_time_is_up(
    round_open: Round, participant: Participant, contest: Contest, cast: Any
) -> None:
    late = attempt_start(participant=participant, round=round_open)
    qid = late.question_ids[0]
    _answer(late, qid, _correct(qid))
    other = Participant.objects.create(
        contest=contest, member=cast.member_b, full_name="B", unit=cast.unit_b
    )
    running = attempt_start(participant=other, round=round_open)
    Attempt.objects.filter(pk=running.pk).update(deadline_at=late.deadline_at + timedelta(hours=1))
    at = late.deadline_at + timedelta(seconds=5)
    assert attempts.expire_overdue(now=at) == 1
    assert attempts.expire_overdue(now=at) == 0
    late.refresh_from_db()
    running.refresh_from_db()
    assert late.status == AttemptStatus.EXPIRED and late.score == 1
    assert running.status == AttemptStatus.ACTIVE


def test_an_answer_racing_its_hand_in_is_refused_not_stored_after_the_score(
    round_open: Round, participant: Participant
) -> None:
    """The attempt is handed in (another tab) between the answer's read and its write: the
    write finds it no longer running, stores nothing and says so."""
    attempt = attempt_start(participant=participant, round=round_open)
    qid = attempt.question_ids[0]

    def hand_in_first(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith("INSERT") and "_answer" in sql:
            Attempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.FINISHED)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(hand_in_first), pytest.raises(AttemptClosed):
        _answer(attempt, qid, _correct(qid))
    assert not Answer.objects.filter(attempt=attempt).exists()
