"""Who may do what with surveys (built on congdoan.orgs.scoping):
- an officer builds, opens, closes and reads every answer of a survey of a unit in their
  scope (the unit's subtree's officers and the levels above it);
- an officer of a unit the survey reaches (it targets a unit above theirs) sees the response
  rate of their own units and, when the survey is not anonymous, the answers given in their
  subtree; of an anonymous survey they see counts only;
- a member of the target subtree, logged in, answers a members' survey once; anyone answers
  a public survey (once per browser); both only while it is open.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from congdoan.orgs.models import Member
from congdoan.orgs.scoping import Scope, Viewer, scope_for
from congdoan.surveys.models import Status, Survey


def is_survey_officer(viewer: Viewer) -> bool:
    return scope_for(viewer).is_officer


def can_manage_survey(viewer: Viewer, survey: Survey) -> bool:
    return scope_for(viewer).covers_path(survey.unit.path)


def can_edit_questions(viewer: Viewer, survey: Survey) -> bool:
    """Questions change only while the survey is a draft: answers must mean what they said."""
    return survey.status == Status.DRAFT and can_manage_survey(viewer, survey)


def reaches_viewer_units(scope: Scope, survey: Survey) -> bool:
    """The survey targets a unit above one of the viewer's (it reaches their members)."""
    return any(path.startswith(survey.unit.path) for path in scope.unit_paths)


def can_see_results(viewer: Viewer, survey: Survey) -> bool:
    scope = scope_for(viewer)
    return scope.covers_path(survey.unit.path) or (
        survey.audience == "members" and reaches_viewer_units(scope, survey)
    )


def can_see_answers(viewer: Viewer, survey: Survey) -> bool:
    """Answers (charts, texts, export): the survey's managers; below them, only for a
    survey that is not anonymous (their own subtree's answers)."""
    if can_manage_survey(viewer, survey):
        return True
    return not survey.is_anonymous and can_see_results(viewer, survey)


def visible_surveys_q(scope: Scope) -> Q:
    """Surveys an officer lists: of units in scope, and members' surveys of units above."""
    if scope.is_admin:
        return Q()
    q = Q(pk__in=[])
    for path in scope.unit_paths:
        q |= Q(unit__path__startswith=path)
        ancestors = [path[: i + 1] for i, c in enumerate(path) if c == "/" and i + 1 < len(path)]
        q |= Q(audience="members", unit__path__in=ancestors)
    return q


def member_of_viewer(viewer: Viewer) -> Member | None:
    member_id = scope_for(viewer).member_id
    if member_id is None:
        return None
    return Member.objects.filter(pk=member_id, left_on__isnull=True).select_related("unit").first()


def is_in_audience(viewer: Viewer, survey: Survey) -> bool:
    """Public, or the viewer a member of the target subtree (who alone sees a members'
    survey's page, even its title)."""
    if survey.is_public:
        return True
    member = member_of_viewer(viewer)
    return member is not None and member.unit.path.startswith(survey.unit.path)


def can_answer(viewer: Viewer, survey: Survey, *, now: datetime | None = None) -> bool:
    """Open now, and the viewer in its audience."""
    return survey.is_accepting(now) and is_in_audience(viewer, survey)
