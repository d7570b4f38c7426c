"""Answering: one response per submission key, per member, per browser; anonymity; the
survey's times; tampered keys and ids; the plan's evidence of reach."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from congdoan.orgs.models import Member
from congdoan.plan.indicators.reach import evidence_q
from congdoan.surveys import selectors
from congdoan.surveys.models import Answer, Kind, Receipt, Response, Role, Status, Survey
from congdoan.surveys.services import surveys as builder
from congdoan.surveys.services.responses import (
    AlreadyAnswered,
    BadSubmission,
    NotEligible,
    SurveyClosed,
    new_submission_key,
    response_submit,
)
from congdoan.surveys.tests.conftest import make_survey

pytestmark = pytest.mark.django_db


def full_answers(survey: Survey) -> dict[int, Any]:
    """A valid answer to every question of the fixtures' survey."""
    values: dict[int, Any] = {}
    for q in survey.questions.prefetch_related("choices"):
        options = [c.pk for c in q.choices.all() if c.role == Role.OPTION]
        if q.kind == Kind.SINGLE:
            values[q.pk] = [options[1]]
        elif q.kind == Kind.MULTIPLE:
            values[q.pk] = options[:2]
        elif q.kind == Kind.SCALE:
            values[q.pk] = 4
        elif q.kind == Kind.MATRIX:
            rows = [c.pk for c in q.choices.all() if c.role == Role.ROW]
            cols = [c.pk for c in q.choices.all() if c.role == Role.COLUMN]
            values[q.pk] = {rows[0]: cols[2], rows[1]: cols[0]}
        else:
            values[q.pk] = "Muốn biết thêm về bảo hiểm xã hội"
    return values


def test_a_member_answer_is_stored_with_a_receipt_and_no_link_to_the_member(survey_a, cast):
    result = response_submit(
        survey=survey_a,
        submission_key=new_submission_key(survey_a),
        values=full_answers(survey_a),
        member=cast.member_a,
    )
    assert result.created
    response = Response.objects.get()
    assert response.member_id is None and response.unit_id is None  # anonymous survey
    assert response.submitted_at.minute == 0 and response.submitted_at.second == 0
    assert Answer.objects.filter(response=response).count() == 1 + 2 + 1 + 2 + 1
    receipt = Receipt.objects.get()
    assert (receipt.member_id, receipt.unit_id) == (cast.member_a.pk, cast.unit_a.pk)
    # Nothing on the response points back at the receipt or the member.
    fields = {f.name for f in Response._meta.get_fields()}
    assert "receipt" not in fields


def test_a_named_survey_keeps_the_member_and_unit(named_district, cast):
    response_submit(
        survey=named_district,
        submission_key=new_submission_key(named_district),
        values=full_answers(named_district),
        member=cast.member_a,
    )
    response = Response.objects.get()
    assert response.member_id == cast.member_a.pk and response.unit_id == cast.unit_a.pk


def test_a_thousand_submissions_of_one_form_store_one_response(survey_a, cast):
    key = new_submission_key(survey_a)
    values = full_answers(survey_a)
    results = [
        response_submit(survey=survey_a, submission_key=key, values=values, member=cast.member_a)
        for _ in range(1000)
    ]
    assert sum(r.created for r in results) == 1
    assert Response.objects.count() == 1 and Receipt.objects.count() == 1
    assert Answer.objects.count() == 7
    assert len({r.response.pk for r in results}) == 1


def test_a_member_answers_once_even_with_a_new_form(survey_a, cast):
    values = full_answers(survey_a)
    response_submit(
        survey=survey_a,
        submission_key=new_submission_key(survey_a),
        values=values,
        member=cast.member_a,
    )
    with pytest.raises(AlreadyAnswered):
        response_submit(
            survey=survey_a,
            submission_key=new_submission_key(survey_a),
            values=values,
            member=cast.member_a,
        )
    assert Response.objects.count() == 1 and Answer.objects.count() == 7


def test_a_member_of_another_union_cannot_answer(survey_a, cast):
    with pytest.raises(NotEligible):
        response_submit(
            survey=survey_a,
            submission_key=new_submission_key(survey_a),
            values=full_answers(survey_a),
            member=cast.member_b,
        )
    assert not Response.objects.exists()


def test_answers_after_the_close_time_are_refused(survey_a, cast):
    key = new_submission_key(survey_a)
    later = survey_a.closes_at + timedelta(seconds=1)
    with pytest.raises(SurveyClosed):
        response_submit(
            survey=survey_a,
            submission_key=key,
            values=full_answers(survey_a),
            member=cast.member_a,
            now=later,
        )
    assert not Response.objects.exists() and not Receipt.objects.exists()


def test_a_retry_after_the_close_of_a_response_stored_before_is_not_an_error(survey_a, cast):
    key = new_submission_key(survey_a)
    values = full_answers(survey_a)
    response_submit(survey=survey_a, submission_key=key, values=values, member=cast.member_a)
    again = response_submit(
        survey=survey_a,
        submission_key=key,
        values=values,
        member=cast.member_a,
        now=survey_a.closes_at + timedelta(minutes=1),
    )
    assert not again.created and Response.objects.count() == 1


def test_a_draft_or_closed_survey_takes_no_answer(cast):
    draft = make_survey(cast.officer_a, cast.unit_a, open_it=False)
    with pytest.raises(SurveyClosed):
        response_submit(
            survey=draft,
            submission_key=new_submission_key(draft),
            values={},
            member=cast.member_a,
        )
    builder.survey_open(actor=cast.officer_a, survey=draft)
    builder.survey_close(actor=cast.officer_a, survey=draft)
    draft.refresh_from_db()
    assert draft.status == Status.CLOSED
    with pytest.raises(SurveyClosed):
        response_submit(
            survey=draft,
            submission_key=new_submission_key(draft),
            values=full_answers(draft),
            member=cast.member_a,
        )
    assert not Response.objects.exists()


@pytest.mark.parametrize("key", ["", "abc", "1.xyz:forged-signature"])
def test_a_forged_submission_key_is_refused(survey_a, cast, key):
    with pytest.raises(BadSubmission):
        response_submit(
            survey=survey_a, submission_key=key, values=full_answers(survey_a), member=cast.member_a
        )
    assert not Response.objects.exists()


def test_a_key_made_for_another_survey_is_refused(survey_a, public_survey, cast):
    with pytest.raises(BadSubmission):
        response_submit(
            survey=survey_a,
            submission_key=new_submission_key(public_survey),
            values=full_answers(survey_a),
            member=cast.member_a,
        )


def test_a_tampered_choice_id_stores_nothing(survey_a, public_survey, cast):
    values = full_answers(survey_a)
    single = survey_a.questions.get(kind=Kind.SINGLE)
    foreign = public_survey.questions.get(kind=Kind.SINGLE).choices.first()
    values[single.pk] = [foreign.pk]
    with pytest.raises(BadSubmission):
        response_submit(
            survey=survey_a,
            submission_key=new_submission_key(survey_a),
            values=values,
            member=cast.member_a,
        )
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not Receipt.objects.exists()


def test_a_missing_required_answer_stores_nothing(survey_a, cast):
    values = full_answers(survey_a)
    del values[survey_a.questions.get(kind=Kind.SINGLE).pk]
    with pytest.raises(BadSubmission):
        response_submit(
            survey=survey_a,
            submission_key=new_submission_key(survey_a),
            values=values,
            member=cast.member_a,
        )
    assert not Response.objects.exists()


def test_a_public_survey_takes_one_response_per_browser(public_survey):
    values = full_answers(public_survey)
    response_submit(
        survey=public_survey,
        submission_key=new_submission_key(public_survey),
        values=values,
        browser_token="t" * 30,
    )
    with pytest.raises(AlreadyAnswered):
        response_submit(
            survey=public_survey,
            submission_key=new_submission_key(public_survey),
            values=values,
            browser_token="t" * 30,
        )
    response_submit(
        survey=public_survey,
        submission_key=new_submission_key(public_survey),
        values=values,
        browser_token="u" * 30,
    )
    assert Response.objects.count() == 2
    assert not Receipt.objects.exists()  # no members counted for a public survey
    assert "t" * 30 not in set(Response.objects.values_list("browser_hash", flat=True))


def test_respondent_member_ids_are_the_members_with_a_receipt_in_the_period(
    survey_a, named_district, cast
):
    for survey, member in ((survey_a, cast.member_a), (named_district, cast.member_b)):
        response_submit(
            survey=survey,
            submission_key=new_submission_key(survey),
            values=full_answers(survey),
            member=member,
        )
    response_submit(
        survey=named_district,
        submission_key=new_submission_key(named_district),
        values=full_answers(named_district),
        member=cast.member_a,
    )
    today = timezone.localdate()
    ids = selectors.respondent_member_ids(start=today, end=today)
    assert sorted(ids) == sorted([cast.member_a.pk, cast.member_b.pk])
    only_b = selectors.respondent_member_ids(start=today, end=today, unit_ids=[cast.unit_b.pk])
    assert list(only_b) == [cast.member_b.pk]
    before = selectors.respondent_member_ids(start=date(2020, 1, 1), end=date(2020, 12, 31))
    assert list(before) == []


def test_the_plan_counts_a_survey_respondent_as_reached_and_never_lists_them(survey_a, cast):
    response_submit(
        survey=survey_a,
        submission_key=new_submission_key(survey_a),
        values=full_answers(survey_a),
        member=cast.member_a,
    )
    today = timezone.localdate()
    counted, _missing = evidence_q(today, today, listable=False)
    assert counted is not None
    assert list(Member.objects.filter(counted).values_list("pk", flat=True)) == [cast.member_a.pk]
    listed, _missing = evidence_q(today, today, listable=True)
    assert listed is None or not Member.objects.filter(listed).exists()
