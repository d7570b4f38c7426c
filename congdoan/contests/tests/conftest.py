"""Fixtures of the contests' tests: a published contest of the district for its members, a
bank of two topics, an open round drawing 3 + 2 questions, member A as a participant; and the
browser fixtures of core (congdoan/core/tests/test_browser.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from congdoan.contests.models import (
    Contest,
    ContestStatus,
    Eligibility,
    Option,
    Participant,
    Question,
    QuestionKind,
    Round,
    Topic,
)
from congdoan.core.tests.test_browser import browser, phone, phone_no_js  # noqa: F401  (browser fixtures)


def add_question(
    contest: Contest, topic: Topic | None, text: str, *, multiple: bool = False, options: int = 4
) -> Question:
    """A question with `options` options; the first is correct (the first two for multiple)."""
    q = Question.objects.create(
        contest=contest,
        topic=topic,
        text=text,
        kind=QuestionKind.MULTIPLE if multiple else QuestionKind.SINGLE,
        explanation=f"Giải thích: {text}",
    )
    for i in range(options):
        Option.objects.create(
            question=q,
            position=i,
            text=f"Phương án {'ABCDEFGHIJ'[i]} của {text}",
            is_correct=i == 0 or (multiple and i == 1),
        )
    return q


@pytest.fixture
def contest(cast: Any) -> Contest:
    return Contest.objects.create(
        unit=cast.district,
        title="Tìm hiểu pháp luật lao động 2026",
        slug="tim-hieu-phap-luat-2026",
        description="Cuộc thi dành cho đoàn viên trong quận.",
        rules="Mỗi người thi một lượt, 5 câu trong 10 phút.",
        eligibility=Eligibility.MEMBERS,
        prediction_question="Có bao nhiêu người trả lời đúng tất cả các câu hỏi?",
        status=ContestStatus.PUBLISHED,
        created_by=cast.district_officer,
    )


@pytest.fixture
def topics(contest: Contest) -> tuple[Topic, Topic]:
    """Topic "Hợp đồng" with 4 single-choice questions, "Tiền lương" with 2 single + 1 multiple."""
    contract = Topic.objects.create(contest=contest, name="Hợp đồng lao động")
    wages = Topic.objects.create(contest=contest, name="Tiền lương")
    for i in range(1, 5):
        add_question(contest, contract, f"Câu hợp đồng {i}")
    add_question(contest, wages, "Câu tiền lương 1")
    add_question(contest, wages, "Câu tiền lương 2")
    add_question(contest, wages, "Câu tiền lương nhiều đáp án", multiple=True)
    return contract, wages


@pytest.fixture
def round_open(contest: Contest, topics: tuple[Topic, Topic]) -> Round:
    contract, wages = topics
    now = timezone.now()
    return Round.objects.create(
        contest=contest,
        number=1,
        title="Vòng 1",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        questions_per_attempt=5,
        topic_mix={str(contract.pk): 3, str(wages.pk): 2},
        time_limit_seconds=600,
        attempts_allowed=2,
    )


@pytest.fixture
def participant(contest: Contest, cast: Any) -> Participant:
    return Participant.objects.create(
        contest=contest,
        user=cast.member_user,
        member=cast.member_a,
        full_name=cast.member_a.full_name,
        unit=cast.unit_a,
    )
