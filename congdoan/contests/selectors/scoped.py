"""The officer's lists, scoped to the viewer (`rules.can_manage_contest`), and the plan's
evidence of reach."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from congdoan.contests.models import Attempt, AttemptStatus, Contest, Participant
from congdoan.orgs.scoping import Viewer, scope_for, unit_q

DONE = (AttemptStatus.FINISHED, AttemptStatus.EXPIRED)


def contests_for(viewer: Viewer) -> QuerySet[Contest]:
    """The contests whose organising unit is in the viewer's scope, newest first."""
    return (
        Contest.objects.filter(unit_q(scope_for(viewer)))
        .select_related("unit")
        .annotate(
            n_rounds=Count("rounds", distinct=True),
            n_participants=Count("participants", distinct=True),
        )
    )


def contests_above(viewer: Viewer) -> QuerySet[Contest]:
    """Published contests of a level above the viewer's units whose participation subtree holds
    one of them: the viewer sees their own units' results there (`rules.can_see_results`)."""
    scope = scope_for(viewer)
    if scope.is_admin or not scope.unit_paths:
        return Contest.objects.none()
    ancestors: set[str] = set()
    for path in scope.unit_paths:
        parts = [p for p in path.split("/") if p]
        ancestors |= {"/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))}
    return (
        Contest.objects.filter(
            Q(eligible_unit__path__in=ancestors)
            | Q(eligible_unit__isnull=True, unit__path__in=ancestors)
        )
        .exclude(status__in=["draft", "cancelled"])
        .exclude(unit_q(scope))
        .select_related("unit")
        .order_by("-created_at", "-pk")
    )


def contest_for(viewer: Viewer, pk: int) -> Contest:
    """The contest if the viewer manages it; 404 otherwise (no hint that it exists)."""
    contest = (
        Contest.objects.filter(pk=pk).select_related("unit", "unit__level", "eligible_unit").first()
    )
    if contest is None or not scope_for(viewer).covers_path(contest.unit.path):
        raise Http404
    return contest


def attempts_to_review(contest: Contest) -> QuerySet[Attempt]:
    """The flagged attempts of the contest (the caller checked the viewer manages it)."""
    return (
        Attempt.objects.filter(round__contest=contest, flagged=True, status__in=DONE)
        .select_related("participant", "participant__unit", "round", "reviewed_by")
        .order_by("review", "answers_digest", "round__number", "-score", "pk")
    )


def participants_count(contest: Contest) -> int:
    return Participant.objects.filter(contest=contest).count()


def participant_member_ids(
    *, start: date, end: date, unit_ids: Collection[int] | None = None
) -> QuerySet[Participant, int]:
    """The distinct ids of the members who finished an attempt (finished or timed out, not
    disqualified) between `start` and `end` (both included, local dates); with `unit_ids`, only
    participants counted for those units (their own units, not subtrees). For the plan's
    aggregates (members reached), never shown per person."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    done = Q(
        attempts__status__in=DONE,
        attempts__started_at__gte=since,
        attempts__started_at__lt=until,
    ) & ~Q(attempts__review="disqualified")
    qs = Participant.objects.filter(member__isnull=False).filter(done)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    return qs.order_by().values_list("member_id", flat=True).distinct()
