"""Helpers of the officer side's tests: finished attempts with stored answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from congdoan.contests.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Contest,
    Option,
    Participant,
    Question,
    Round,
)
from congdoan.contests.services.scoring import score_attempt
from congdoan.orgs.models import Member, Unit


def right_options(question: Question) -> list[int]:
    return sorted(o.pk for o in Option.objects.filter(question=question, is_correct=True))


def wrong_option(question: Question) -> list[int]:
    return [Option.objects.filter(question=question, is_correct=False).order_by("pk")[0].pk]


def person(contest: Contest, unit: Unit, name: str, member: Member | None = None) -> Participant:
    return Participant.objects.create(contest=contest, member=member, full_name=name, unit=unit)


def finished(
    round: Round,
    participant: Participant,
    questions: Sequence[Question],
    *,
    right: int,
    seconds: float = 120,
    prediction: int | None = None,
    started: datetime | None = None,
    gap: float | None = None,
) -> Attempt:
    """A finished attempt answering `questions`, the first `right` of them correctly, in
    `seconds`; answers spread evenly (or `gap` seconds apart); scored."""
    start = started or (timezone.now() - timedelta(hours=2))
    n = Attempt.objects.filter(participant=participant, round=round).count() + 1
    attempt = Attempt.objects.create(
        round=round,
        participant=participant,
        number=n,
        question_ids=[q.pk for q in questions],
        option_orders={},
        status=AttemptStatus.FINISHED,
        started_at=start,
        deadline_at=start + timedelta(seconds=round.time_limit_seconds),
        finished_at=start + timedelta(seconds=seconds),
        prediction=prediction,
    )
    step = gap if gap is not None else seconds / (len(questions) + 1)
    for i, q in enumerate(questions):
        Answer.objects.create(
            attempt=attempt,
            question=q,
            option_ids=right_options(q) if i < right else wrong_option(q),
            answered_at=start + timedelta(seconds=step * (i + 1)),
        )
    score_attempt(attempt)
    attempt.refresh_from_db()
    return attempt
