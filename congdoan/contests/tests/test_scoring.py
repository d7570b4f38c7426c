"""Scoring from stored answers, rescoring, the ranking and its prediction tie-break, units'
rates, prizes, abuse flags, the review, and the plan's evidence of reach."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from congdoan.audit.models import AuditEntry
from congdoan.contests import selectors
from congdoan.contests.models import (
    Answer,
    Attempt,
    Contest,
    Option,
    PrizeKind,
    Question,
    ReviewOutcome,
    Round,
)
from congdoan.contests.services import abuse, prizes, scoring
from congdoan.contests.tests.manage_helpers import finished, person, right_options, wrong_option
from congdoan.orgs.tests.factories import member

pytestmark = pytest.mark.django_db


def _questions(contest: Contest) -> list[Question]:
    return list(Question.objects.filter(contest=contest).order_by("pk"))[:5]


def test_score_single_and_multiple_exact_set(
    contest: Contest, round_open: Round, cast: Any
) -> None:
    qs = list(Question.objects.filter(contest=contest).order_by("pk"))
    multiple = next(q for q in qs if q.kind == "multiple")
    single = qs[0]
    p = person(contest, cast.unit_a, "Lê Văn Hùng")
    attempt = finished(round_open, p, [single, multiple], right=2)
    assert (attempt.score, attempt.max_score) == (2, 2)
    # Only one of the two correct options of the multiple-choice question: wrong.
    answer = Answer.objects.get(attempt=attempt, question=multiple)
    answer.option_ids = right_options(multiple)[:1]
    answer.save()
    scoring.score_attempt(attempt)
    attempt.refresh_from_db()
    assert attempt.score == 1
    assert Answer.objects.get(pk=answer.pk).is_correct is False
    # Every option of it (the correct ones plus a wrong one): wrong too.
    answer.option_ids = sorted(
        Option.objects.filter(question=multiple).values_list("pk", flat=True)
    )
    answer.save()
    scoring.score_attempt(attempt)
    attempt.refresh_from_db()
    assert attempt.score == 1
    assert attempt.duration_ms == 120_000
    assert len(attempt.answers_digest) == 64


def test_duration_never_past_deadline_and_empty_attempt_has_no_digest(
    contest: Contest, round_open: Round, cast: Any
) -> None:
    p = person(contest, cast.unit_a, "Phạm Thu")
    attempt = finished(round_open, p, _questions(contest), right=0, seconds=5000)
    assert attempt.duration_ms == round_open.time_limit_seconds * 1000
    Answer.objects.filter(attempt=attempt).delete()
    scoring.score_attempt(attempt)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.answers_digest) == (0, "")


def test_rescore_round_after_a_corrected_answer_key(
    contest: Contest, round_open: Round, cast: Any
) -> None:
    qs = _questions(contest)
    a = finished(round_open, person(contest, cast.unit_a, "A"), qs, right=5)
    b = finished(round_open, person(contest, cast.unit_b, "B"), qs, right=3)
    assert (a.score, b.score) == (5, 3)
    # The key of the first question was wrong: the second option is the right one.
    first = qs[0]
    options = list(Option.objects.filter(question=first).order_by("position"))
    Option.objects.filter(pk=options[0].pk).update(is_correct=False)
    Option.objects.filter(pk=options[1].pk).update(is_correct=True)
    assert scoring.rescore_round(round=round_open) == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.score, b.score) == (4, 2)


def test_ranking_by_score_then_prediction_then_time(
    contest: Contest, round_open: Round, cast: Any
) -> None:
    qs = _questions(contest)
    # Two perfect scores: the actual number of perfect participants is 2.
    far = finished(
        round_open,
        person(contest, cast.unit_a, "Dự đoán xa"),
        qs,
        right=5,
        prediction=50,
        seconds=60,
    )
    near = finished(
        round_open,
        person(contest, cast.unit_a, "Dự đoán gần"),
        qs,
        right=5,
        prediction=3,
        seconds=200,
    )
    slow = finished(
        round_open,
        person(contest, cast.unit_b, "Gần nhưng chậm"),
        qs,
        right=4,
        prediction=2,
        seconds=300,
    )
    fast = finished(
        round_open,
        person(contest, cast.unit_b, "Gần và nhanh"),
        qs,
        right=4,
        prediction=2,
        seconds=100,
    )
    none = finished(
        round_open, person(contest, cast.unit_b, "Không dự đoán"), qs, right=4, seconds=10
    )
    rows, actual = selectors.ranking(contest, round_open)
    assert actual == 2
    assert [r.attempt_id for r in rows] == [near.pk, far.pk, fast.pk, slow.pk, none.pk]
    assert [r.rank for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].distance == 1 and rows[1].distance == 48


def test_best_attempt_per_participant_and_disqualified_left_out(
    contest: Contest, round_open: Round, cast: Any
) -> None:
    qs = _questions(contest)
    p = person(contest, cast.unit_a, "Hai lượt")
    finished(round_open, p, qs, right=2)
    best = finished(round_open, p, qs, right=4)
    other = finished(round_open, person(contest, cast.unit_b, "Bị loại"), qs, right=5)
    abuse.review_attempt(
        actor=cast.district_officer, attempt=other, outcome=ReviewOutcome.DISQUALIFIED
    )
    rows, actual = selectors.ranking(contest)
    assert [r.attempt_id for r in rows] == [best.pk]
    assert actual == 0
    assert AuditEntry.objects.filter(action="contests.attempt.review").count() == 1


def test_unit_rates_prizes_and_member_evidence(
    contest: Contest, round_open: Round, cast: Any
) -> None:
    qs = _questions(contest)
    # unit_a: member_a (from the cast) + 3 more = 4 members; unit_b: member_b + 1 = 2.
    a_members = [cast.member_a] + [member(cast.unit_a) for _ in range(3)]
    b_members = [cast.member_b, member(cast.unit_b)]
    for m in a_members[:1]:
        finished(
            round_open, person(contest, cast.unit_a, m.full_name, m), qs, right=5, prediction=1
        )
    for m in b_members:
        finished(round_open, person(contest, cast.unit_b, m.full_name, m), qs, right=3)
    table = selectors.unit_table(contest)
    by_code = {row.unit.code: row for row in table}
    assert (by_code["PX-A"].members, by_code["PX-A"].participants) == (4, 1)
    assert by_code["PX-A"].rate == pytest.approx(25.0)
    assert (by_code["PX-B"].members, by_code["PX-B"].participants, by_code["PX-B"].rate) == (
        2,
        2,
        100.0,
    )
    assert by_code["PX-B"].average_score == pytest.approx(3.0)
    assert table[0].unit.code == "PX-B"  # highest rate first

    prizes.prize_save(
        actor=cast.district_officer, contest=contest, kind=PrizeKind.RANK, name="Giải Nhất", count=1
    )
    prizes.prize_save(
        actor=cast.district_officer, contest=contest, kind=PrizeKind.RANK, name="Giải Nhì", count=1
    )
    prizes.prize_save(
        actor=cast.district_officer,
        contest=contest,
        kind=PrizeKind.UNIT,
        name="Giải tập thể",
        count=1,
    )
    rows, _ = selectors.ranking(contest)
    winners = selectors.awarded_rank_prizes(contest, rows)
    assert [w.prize.name for w in winners if w.prize] == ["Giải Nhất", "Giải Nhì"]
    assert winners[0].member_id == cast.member_a.pk
    units = selectors.awarded_unit_prizes(contest, table)
    assert [u.unit.code for u in units] == ["PX-B"]

    today = timezone.localdate()
    ids = set(selectors.participant_member_ids(start=today - timedelta(days=1), end=today))
    assert ids == {a_members[0].pk, *(m.pk for m in b_members)}
    only_a = set(
        selectors.participant_member_ids(
            start=today - timedelta(days=1), end=today, unit_ids=[cast.unit_a.pk]
        )
    )
    assert only_a == {a_members[0].pk}
    assert not selectors.participant_member_ids(
        start=date(2020, 1, 1), end=date(2020, 12, 31)
    ).exists()


def test_identical_sequences_flag_the_whole_group(
    contest: Contest, round_open: Round, cast: Any
) -> None:
    qs = _questions(contest)
    one = finished(round_open, person(contest, cast.unit_a, "Một"), qs, right=5)
    assert not one.flagged
    two = finished(round_open, person(contest, cast.unit_a, "Hai"), qs, right=5)
    three = finished(round_open, person(contest, cast.unit_b, "Ba"), qs, right=5)
    low = finished(round_open, person(contest, cast.unit_b, "Thấp"), qs, right=1)
    low2 = finished(round_open, person(contest, cast.unit_b, "Thấp 2"), qs, right=1)
    for a in (one, two, three):
        a.refresh_from_db()
        assert a.flagged
        assert {"code": abuse.SAME_ANSWERS, "group": 3} in a.flag_reasons
    assert one.answers_digest == two.answers_digest == three.answers_digest
    # Alike but low scores are not worth a review.
    low.refresh_from_db()
    low2.refresh_from_db()
    assert low.answers_digest == low2.answers_digest
    assert not low.flagged and not low2.flagged
    # Flagged and not reviewed: no prize until an officer says valid; it goes further down.
    prizes.prize_save(
        actor=cast.district_officer, contest=contest, kind=PrizeKind.RANK, name="Giải Nhất", count=1
    )
    rows, _ = selectors.ranking(contest)
    assert [w.attempt_id for w in selectors.awarded_rank_prizes(contest, rows)] in (
        [low.pk],
        [low2.pk],
    )
    abuse.review_attempt(actor=cast.district_officer, attempt=two, outcome=ReviewOutcome.VALID)
    rows, _ = selectors.ranking(contest)
    assert [w.attempt_id for w in selectors.awarded_rank_prizes(contest, rows)] == [two.pk]
    assert list(selectors.attempts_to_review(contest)) != []
    # One of them changes its answer (stored again, rescored): it leaves the group, whose
    # others keep their flag (a group of two is still a group).
    answer = Answer.objects.filter(attempt=three).order_by("pk").first()
    assert answer is not None
    answer.option_ids = wrong_option(answer.question)
    answer.save()
    scoring.score_attempt(three)
    three.refresh_from_db()
    assert not three.flagged and three.flag_reasons == []
    one.refresh_from_db()
    assert one.flagged


def test_impossible_times_are_flagged(contest: Contest, round_open: Round, cast: Any) -> None:
    qs = list(Question.objects.filter(contest=contest).order_by("pk"))[:6]
    fast = finished(
        round_open, person(contest, cast.unit_a, "Nhanh"), qs, right=2, seconds=6, gap=0.5
    )
    codes = {r["code"] for r in fast.flag_reasons}
    assert fast.flagged
    assert codes == {abuse.TOO_FAST, abuse.NO_READING}
    assert "giây" in abuse.reason_text(fast.flag_reasons[0])
    normal = finished(
        round_open, person(contest, cast.unit_a, "Bình thường"), qs, right=2, seconds=180
    )
    assert not normal.flagged
    # Rescoring keeps the flags it earns and no more.
    scoring.rescore_round(round=round_open)
    fast.refresh_from_db()
    assert {r["code"] for r in fast.flag_reasons} == codes


def test_active_attempt_is_not_flagged(contest: Contest, round_open: Round, cast: Any) -> None:
    qs = _questions(contest)
    attempt = finished(
        round_open, person(contest, cast.unit_a, "Đang thi"), qs, right=5, seconds=2, gap=0.1
    )
    Attempt.objects.filter(pk=attempt.pk).update(status="active", flagged=False, flag_reasons=[])
    attempt.refresh_from_db()
    scoring.score_attempt(attempt)
    attempt.refresh_from_db()
    assert attempt.score == 5 and not attempt.flagged
