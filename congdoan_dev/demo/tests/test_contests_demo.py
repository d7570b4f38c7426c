from __future__ import annotations

from datetime import date

import pytest

from congdoan.contests import selectors
from congdoan.contests.models import Attempt, Certificate, Contest, ContestStatus, Question
from congdoan_dev.demo import contests as demo
from congdoan_dev.demo import orgs as orgs_demo


@pytest.mark.django_db
def test_demo_contests_have_results_prizes_certificates_and_are_idempotent() -> None:
    orgs_demo.seed()
    demo.seed()
    past = Contest.objects.get(slug=demo.PAST_SLUG)
    assert past.status == ContestStatus.RESULTS
    assert Question.objects.filter(contest=past).count() >= 40
    rows, actual = selectors.ranking(past)
    assert len(rows) >= 200
    assert actual >= 1
    assert [r.rank for r in rows[:3]] == [1, 2, 3]
    winners = selectors.awarded_rank_prizes(past, rows)
    assert len(winners) == 16
    assert Certificate.objects.filter(attempt__round__contest=past).count() == 16
    assert Attempt.objects.filter(round__contest=past, flagged=True).count() >= 4
    table = selectors.unit_table(past)
    rates = {round(u.rate) for u in table if u.participants}
    assert len(rates) >= 3  # unions take part at different rates
    year = demo._past_year()
    reached = selectors.participant_member_ids(start=date(year, 5, 1), end=date(year, 5, 31))
    assert reached.count() >= 200
    open_contest = Contest.objects.get(slug=demo.OPEN_SLUG)
    assert open_contest.status == ContestStatus.PUBLISHED
    assert open_contest.rounds.get().is_open()
    before = (Contest.objects.count(), Attempt.objects.count())
    demo.seed()
    assert (Contest.objects.count(), Attempt.objects.count()) == before
