"""The surveys API: the same reach as the pages."""

from __future__ import annotations

import pytest

from congdoan.surveys.models import Kind
from congdoan.surveys.tests.conftest import make_survey
from congdoan.surveys.tests.test_results import answer

pytestmark = pytest.mark.django_db


def test_an_officer_lists_their_surveys_and_reads_results(survey_a, cast, client_of):
    answer(survey_a, cast.member_a)
    client = client_of(cast.officer_a)
    listed = client.get("/api/v1/surveys/").json()
    assert [s["id"] for s in listed] == [survey_a.pk] and listed[0]["unit"] == "PX-A"
    data = client.get(f"/api/v1/surveys/{survey_a.pk}/results").json()
    assert data["answered"] == 1
    assert data["rates"] == [{"unit": "PX-A", "members": 1, "answered": 1}]
    by_kind = {q["kind"]: q for q in data["questions"]}
    assert by_kind[Kind.SCALE]["mean"] == 4.0
    assert by_kind[Kind.TEXT]["groups"][0]["count"] == 1


def test_the_api_keeps_other_units_and_anonymous_answers_out_of_reach(survey_a, cast, client_of):
    other = client_of(cast.officer_b)
    assert other.get("/api/v1/surveys/").json() == []
    assert other.get(f"/api/v1/surveys/{survey_a.pk}/results").status_code == 404
    assert (
        client_of(cast.member_user).get(f"/api/v1/surveys/{survey_a.pk}/results").status_code == 404
    )
    district = make_survey(cast.district_officer, cast.district, anonymous=True)
    answer(district, cast.member_a, "Bí mật")
    data = client_of(cast.officer_a).get(f"/api/v1/surveys/{district.pk}/results").json()
    assert data["questions"] == [] and data["answered"] == 1
    assert "Bí mật" not in str(data)
