"""The officer's work for today (the home page): counts, the most urgent concerns, what changed.

Each count is the inbox's own filter (`TODAY_FILTERS` through `filters_q`), so a number on the
home page and the inbox list it links to always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.http import urlencode

from congdoan.feedback import rules
from congdoan.feedback.models import OPEN_STATUSES, Concern, ConcernEvent, Urgency
from congdoan.feedback.selectors.display import concern_views
from congdoan.feedback.selectors.inbox import (
    InboxFilters,
    filters_q,
    inbox_ordering,
    visible_concerns,
)
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer, scope_for


@dataclass
class WorkCount:
    """One count of the officer's home page and the inbox page that lists the same rows."""

    key: str
    count: int
    query: str  # the inbox's query string for exactly these rows


# key → the inbox filters whose rows the count counts (one definition for both pages).
TODAY_FILTERS: dict[str, dict[str, str]] = {
    "urgent": {"status": "open", "urgency": Urgency.URGENT.value, "sort": "due"},
    "overdue": {"status": "open", "overdue": "1", "sort": "due"},
    "new": {"status": "new", "sort": "urgent"},
    "open": {"status": "open", "sort": "urgent"},
}


# A message that went out as it should (a receipt, an answer, a reminder, an alert, one line per
# officer mailed) is on the concern's history, not among "what changed": fifty such lines hid
# the three answers given by others. Failures stay listed.
DELIVERED_KINDS = [
    "channel.answer_sent",
    "channel.receipt_sent",
    "remind",
    "alert_sent",
    "escalation_sent",
]


def officer_today(*, viewer: Viewer, since: datetime, top: int = 5) -> dict[str, Any]:
    """What an officer has to do today in their scope.

    Steps: (1) the counts of urgent, overdue, new (not yet taken) and open concerns, each
    through the inbox's own filters (so the home page and the inbox agree); (2) the most
    urgent open concerns, masked; (3) what changed since ``since`` (events on concerns in
    scope by others, and concerns received); (4) for an officer over several units, the
    units with overdue concerns, most overdue first.
    """
    scope = scope_for(viewer)
    visible = Concern.objects.filter(rules.visible_q(scope))
    # One scan for every count: each is the inbox's own condition (filters_q); every
    # counted row is open or new since the last visit, which the indexes find.
    figures = visible.filter(Q(status__in=OPEN_STATUSES) | Q(created_at__gt=since)).aggregate(
        **{
            key: Count("pk", filter=filters_q(InboxFilters.from_query(query)))
            for key, query in TODAY_FILTERS.items()
        },
        received_since=Count("pk", filter=Q(created_at__gt=since)),
    )
    counts = [WorkCount(key, figures[key], urlencode(q)) for key, q in TODAY_FILTERS.items()]
    # The top rows: their keys by a narrow query, then the rows with what the page shows.
    first = InboxFilters.from_query(TODAY_FILTERS["open"])
    keys = list(
        visible.filter(filters_q(first))
        .order_by(*inbox_ordering(first))
        .values_list("pk", flat=True)[:top]
    )
    found = {c.pk: c for c in visible_concerns(viewer).filter(pk__in=keys)}
    top_rows = concern_views(viewer, [found[k] for k in keys if k in found])
    events = (
        ConcernEvent.objects.filter(concern__in=visible.values("pk"), created_at__gt=since)
        .exclude(actor_id=scope.user_id)
        .exclude(kind__in=DELIVERED_KINDS)
    )
    changed = list(
        events.select_related("concern", "actor").order_by("-created_at", "-id")[: top * 2]
    )
    overdue_units: list[Any] = []
    if scope.is_admin or Unit.objects.filter(parent_id__in=scope.unit_ids).exists():
        overdue_units = list(
            visible.filter(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
            .exclude(assigned_unit=None)
            .values("assigned_unit__code", "assigned_unit__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "assigned_unit__name")[:10]
        )
    return {
        "counts": {c.key: c for c in counts},
        "top": top_rows,
        "changed": changed,
        "changed_count": events.count(),
        "received_since": figures["received_since"],
        "overdue_units": overdue_units,
        "since": since,
    }
