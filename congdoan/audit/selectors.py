from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from congdoan.audit.models import AuditEntry
from congdoan.orgs.scoping import scope_for, unit_q


def audit_entries(*, viewer: Any, action: str = "", actor: str = "", unit: str = "", object_type: str = "") -> QuerySet[AuditEntry]:
    scope = scope_for(viewer)
    entries = AuditEntry.objects.select_related("unit").order_by("-at", "-id")
    if not scope.is_admin:
        entries = entries.filter(unit_q(scope))
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(Q(actor_repr__icontains=actor) | Q(actor__username__iexact=actor))
    if unit:
        entries = entries.filter(unit__code=unit)
    if object_type:
        entries = entries.filter(object_type=object_type)
    return entries
