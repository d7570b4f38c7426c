"""Evidence of reach for the plan (congdoan.plan): members whose concern was answered.

No viewer: the plan passes plain dates and rolls up by the member's own unit.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from congdoan.feedback.models import Concern
from congdoan.orgs.models import Member


def answered_member_ids(
    *, start: date, end: date, unit_ids: Collection[int] | None = None
) -> QuerySet[Member, int]:
    """Ids of members (logged in when they wrote) whose concern was answered in [start, end];
    with `unit_ids`, only members of those units."""
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    users = Concern.objects.filter(
        submitted_by__isnull=False, answered_at__gte=since, answered_at__lt=until
    ).values_list("submitted_by_id", flat=True)
    members = Member.objects.filter(user_id__in=users)
    if unit_ids is not None:
        members = members.filter(unit_id__in=list(unit_ids))
    return members.values_list("pk", flat=True)
