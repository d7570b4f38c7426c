"""Reads of the surveys app, each through the viewer's scope (rules.py decides who sees what).

- officers: `surveys_for_officer`, `survey_for_officer` (404 outside), `responses_for`
  (the responses whose answers the viewer may read), `response_rate` (per unit of the target
  subtree inside the viewer's scope, from receipts: counts only);
- respondents: `surveys_to_answer` (open now for this viewer), `survey_by_key`;
- the plan: `respondent_member_ids` (members with a receipt in a period).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from congdoan.orgs.models import Member, Unit
from congdoan.orgs.scoping import Viewer, scope_for, unit_q
from congdoan.surveys import rules
from congdoan.surveys.models import Audience, Receipt, Response, Status, Survey


def surveys_for_officer(viewer: Viewer) -> QuerySet[Survey]:
    scope = scope_for(viewer)
    if not scope.is_officer:
        return Survey.objects.none()
    return (
        Survey.objects.filter(rules.visible_surveys_q(scope))
        .select_related("unit")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-opens_at", "-pk")
    )


def survey_for_officer(viewer: Viewer, pk: int) -> Survey:
    survey = Survey.objects.select_related("unit").filter(pk=pk).first()
    if survey is None or not rules.can_see_results(viewer, survey):
        raise Http404
    return survey


def survey_by_key(key: str) -> Survey:
    """A published survey by its link (a draft is a 404 to respondents)."""
    survey = (
        Survey.objects.select_related("unit").filter(key=key).exclude(status=Status.DRAFT).first()
    )
    if survey is None:
        raise Http404
    return survey


def surveys_to_answer(viewer: Viewer) -> list[Survey]:
    """Open surveys the viewer may answer now: public ones, and those of the viewer's own
    union and the levels above it when they are a member."""
    now = timezone.now()
    open_now = Q(status=Status.OPEN, opens_at__lte=now) & (
        Q(closes_at__isnull=True) | Q(closes_at__gt=now)
    )
    member = rules.member_of_viewer(viewer)
    reach = Q(audience=Audience.PUBLIC)
    if member is not None:
        path = member.unit.path
        ancestors = [path[: i + 1] for i, c in enumerate(path) if c == "/" and i > 0]
        reach |= Q(audience=Audience.MEMBERS, unit__path__in=ancestors)
    return list(
        Survey.objects.filter(open_now & reach).select_related("unit").order_by("closes_at", "pk")
    )


def responses_for(viewer: Viewer, survey: Survey) -> QuerySet[Response]:
    """Responses whose answers the viewer may read: all for the survey's officers; below
    them, of a survey that is not anonymous, those of their own subtree; else none."""
    responses = Response.objects.filter(survey=survey)
    if rules.can_manage_survey(viewer, survey):
        return responses
    if rules.can_see_answers(viewer, survey):
        return responses.filter(unit_q(scope_for(viewer)))
    return responses.none()


@dataclass(frozen=True)
class UnitRate:
    unit: Unit
    members: int
    answered: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.answered / self.members, 1) if self.members else None


def response_rate(viewer: Viewer, survey: Survey) -> list[UnitRate]:
    """Per unit of the target subtree that the viewer may see: its members (not left) and
    how many of them answered (receipts). Empty for a public survey (no members to count)."""
    if survey.is_public:
        return []
    scope = scope_for(viewer)
    units = list(
        Unit.objects.filter(path__startswith=survey.unit.path, is_active=True)
        .filter(unit_q(scope, field=""))
        .order_by("path")
    )
    ids = [u.pk for u in units]
    members = dict(
        Member.objects.filter(unit_id__in=ids, left_on__isnull=True)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    answered = dict(
        Receipt.objects.filter(survey=survey, unit_id__in=ids)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    return [
        UnitRate(unit=u, members=members.get(u.pk, 0), answered=answered.get(u.pk, 0))
        for u in units
        if members.get(u.pk) or answered.get(u.pk)
    ]


def receipt_count(viewer: Viewer, survey: Survey) -> int:
    """How many answered, within the viewer's reach (counts only)."""
    if rules.can_manage_survey(viewer, survey):
        return survey.responses.count()
    return Receipt.objects.filter(survey=survey).filter(unit_q(scope_for(viewer))).count()


def respondent_member_ids(
    *, start: date, end: date, unit_ids: Collection[int] | None = None
) -> QuerySet[Receipt, int]:
    """The plan's evidence of reach: ids of members who answered a survey in [start, end]
    (a receipt's day), of `unit_ids` when given (the unit of the receipt). Flat, distinct."""
    receipts = Receipt.objects.filter(answered_on__gte=start, answered_on__lte=end)
    if unit_ids is not None:
        receipts = receipts.filter(unit_id__in=list(unit_ids))
    return receipts.values_list("member_id", flat=True).distinct()
