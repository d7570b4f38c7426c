"""Submissions of one form racing each other on PostgreSQL (SQLite serialises writers, so
there is no race to lose there): one response, whichever arrives first."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from congdoan.surveys.models import Answer, Receipt, Response
from congdoan.surveys.services.responses import new_submission_key, response_submit
from congdoan.surveys.tests.conftest import make_survey
from congdoan.surveys.tests.test_responses import full_answers

pytestmark = pytest.mark.django_db(transaction=True)


def test_sixteen_racing_copies_of_one_submission_store_one_response(cast):
    if connection.vendor != "postgresql":
        pytest.skip("a race needs concurrent writers: PostgreSQL only")
    survey = make_survey(cast.officer_a, cast.unit_a)
    key = new_submission_key(survey)
    values = full_answers(survey)
    member = cast.member_a

    def submit(_: int) -> bool:
        try:
            return response_submit(
                survey=survey, submission_key=key, values=values, member=member
            ).created
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        created = list(pool.map(submit, range(16)))
    assert created.count(True) == 1
    assert Response.objects.count() == 1 and Receipt.objects.count() == 1
    assert Answer.objects.count() == 7
