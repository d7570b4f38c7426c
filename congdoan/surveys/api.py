"""The surveys API (mounted at /api/v1/surveys), for officers' tools; the same rules as the
pages (`rules.py`):

- `GET /api/v1/surveys/`: the surveys the caller may see (an empty list for a member);
- `GET /api/v1/surveys/{survey_id}/results`: the response rate per unit and, where the caller
  may read answers, each question's counts (choices, scale points with the mean, matrix
  cells, free-text topic groups with their counts); 404 outside the caller's reach.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from congdoan.surveys import results, rules, selectors
from congdoan.surveys.models import Survey

router = Router(tags=["Surveys"])


class SurveyOut(Schema):
    id: int
    title: str
    unit: str
    audience: str
    is_anonymous: bool
    status: str
    opens_at: datetime
    closes_at: datetime | None

    @staticmethod
    def resolve_unit(obj: Survey) -> str:
        return obj.unit.code


class RateOut(Schema):
    unit: str
    members: int
    answered: int


class GroupOut(Schema):
    label: str
    count: int


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    answered: int
    labels: list[str]
    counts: list[int]
    rows: list[str]
    matrix: list[list[int]]
    mean: float | None
    groups: list[GroupOut]


class ResultsOut(Schema):
    survey: SurveyOut
    answered: int
    rates: list[RateOut]
    questions: list[QuestionOut]


@router.get("/", response=list[SurveyOut], summary="List the surveys you may see")
def list_surveys(request: HttpRequest) -> list[Survey]:
    return list(selectors.surveys_for_officer(request.user)[:500])


@router.get(
    "/{int:survey_id}/results",
    response=ResultsOut,
    summary="A survey's results",
    description="404 when the survey does not exist or lies outside the caller's reach; "
    "`questions` is empty where the caller sees counts only (an anonymous survey of a "
    "level above).",
)
def survey_results(request: HttpRequest, survey_id: int) -> dict[str, object]:
    survey = selectors.survey_for_officer(request.user, survey_id)
    responses = selectors.responses_for(request.user, survey)
    answers = rules.can_see_answers(request.user, survey)
    questions = results.question_results(survey, responses) if answers else []
    return {
        "survey": survey,
        "answered": responses.count()
        if survey.is_public
        else selectors.receipt_count(request.user, survey),
        "rates": [
            {"unit": r.unit.code, "members": r.members, "answered": r.answered}
            for r in selectors.response_rate(request.user, survey)
        ],
        "questions": [
            {
                "id": r.question.pk,
                "kind": r.question.kind,
                "text": r.question.text,
                "answered": r.answered,
                "labels": r.labels,
                "counts": r.counts,
                "rows": r.rows,
                "matrix": r.matrix,
                "mean": r.mean,
                "groups": [{"label": g.label, "count": g.count} for g in r.groups],
            }
            for r in questions
        ],
    }
