"""Reads of the audit log, through the rule of `congdoan.audit.log.rules`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from congdoan.audit.log.rules import readable_entries_q
from congdoan.audit.models import AuditEntry
from congdoan.orgs.scoping import Viewer


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(
    *,
    viewer: Viewer,
    action: str = "",
    actor: str = "",
    unit: str = "",
    object_type: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    entries = (
        AuditEntry.objects.filter(readable_entries_q(viewer))
        .select_related("unit")
        .order_by("-at", "-id")
    )
    if action:
        entries = entries.filter(Q(action=action) | Q(action__startswith=action.rstrip(".") + "."))
    if actor:
        entries = entries.filter(Q(actor_repr__icontains=actor) | Q(actor__username__iexact=actor))
    if unit:
        entries = entries.filter(unit__code=unit)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if date_from:
        entries = entries.filter(at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(at__lt=_start_of(date_to + timedelta(days=1)))
    return entries
