"""The officers' inbox: the concerns a viewer sees, filtered, one by one, and what goes with one.

Every read starts from `visible_concerns(viewer)` (the rule `rules.visible_q`); rows for a page,
an export or the API leave as `ConcernView`s (contacts masked by `rules.can_see_contact`);
rows for a service to write are the real models (`concern_in_scope`, `open_cluster_mates`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.core.phones import normalize_phone
from congdoan.feedback import rules
from congdoan.feedback.models import (
    OPEN_STATUSES,
    Channel,
    Concern,
    ConcernEvent,
    Status,
    Topic,
    Urgency,
    clean_code,
)
from congdoan.feedback.selectors.display import ConcernView, concern_view, concern_views
from congdoan.orgs.collation import person_key
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer, scope_for
from congdoan.text import fold

NEW_STATUSES = (Status.RECEIVED, Status.TRIAGED)


def visible_concerns(viewer: Viewer) -> QuerySet[Concern]:
    """The concerns the viewer sees, with the units and people the pages show."""
    return Concern.objects.filter(rules.visible_q(scope_for(viewer))).select_related(
        "unit", "assigned_unit", "assigned_unit__level", "unit__level", "cluster", "assignee"
    )


# -- filters -------------------------------------------------------------------------------------


@dataclass
class InboxFilters:
    status: str = ""
    topic: str = ""
    urgency: str = ""
    unit: str = ""
    channel: str = ""
    cluster: int | None = None
    q: str = ""
    overdue: bool = False
    sort: str = ""  # "" newest first, "urgent" most urgent first, "due" nearest deadline first

    @classmethod
    def from_query(cls, data: Mapping[str, Any]) -> InboxFilters:
        def pick(name: str, allowed: list[str]) -> str:
            value = str(data.get(name, "") or "")
            return value if value in allowed else ""

        cluster = str(data.get("cluster", "") or "")
        return cls(
            status=pick("status", [*Status.values, "open", "new"]),
            topic=pick("topic", Topic.values),
            urgency=pick("urgency", Urgency.values),
            unit=str(data.get("unit", "") or "")[:40],
            channel=pick("channel", Channel.values),
            cluster=int(cluster) if cluster.isdigit() else None,
            q=str(data.get("q", "") or "").strip()[:200],
            overdue=str(data.get("overdue", "")) in ("1", "on", "true"),
            sort=pick("sort", ["urgent", "due"]),
        )

    def as_query(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None, False)}


def filters_q(f: InboxFilters) -> Q:
    """The inbox's filters as one condition (the inbox and the home page's counts share it)."""
    q = Q()
    if f.status == "open":
        q &= Q(status__in=OPEN_STATUSES)
    elif f.status == "new":  # not taken by anyone yet
        q &= Q(status__in=NEW_STATUSES)
    elif f.status:
        q &= Q(status=f.status)
    if f.topic:
        q &= Q(topic=f.topic)
    if f.urgency:
        q &= Q(urgency=f.urgency)
    if f.unit:
        unit = Unit.objects.filter(code=f.unit).first()
        q &= (Q(unit__path__startswith=unit.path) | Q(assigned_unit=unit)) if unit else Q(pk__in=[])
    if f.channel:
        q &= Q(channel=f.channel)
    if f.cluster:
        q &= Q(cluster_id=f.cluster)
    if f.overdue:
        q &= Q(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
    if f.q:
        code = clean_code(f.q)
        q &= Q(search_text__contains=" ".join(fold(f.q).split())) | Q(code=code)
    return q


def inbox_ordering(f: InboxFilters) -> list[Any]:
    if f.sort == "urgent":
        rank = Case(
            When(urgency=Urgency.URGENT, then=Value(0)),
            When(urgency=Urgency.HIGH, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return [rank, F("due_at").asc(nulls_last=True), "-id"]
    if f.sort == "due":
        return [F("due_at").asc(nulls_last=True), "-id"]
    return ["-created_at", "-id"]


# -- lists ---------------------------------------------------------------------------------------


def concern_queryset(*, viewer: Viewer, filters: InboxFilters | None = None) -> QuerySet[Concern]:
    """The viewer's concerns, filtered: real rows; show them through `concern_views` (the
    page, export and API helpers below do)."""
    f = filters or InboxFilters()
    return visible_concerns(viewer).filter(filters_q(f)).order_by(*inbox_ordering(f))


def concern_page(
    *, viewer: Viewer, filters: InboxFilters | None = None, page: Any = 1, per_page: int = 30
) -> Page[ConcernView]:
    rows = concern_queryset(viewer=viewer, filters=filters)
    result: Page[Any] = Paginator(rows, per_page).get_page(page)
    result.object_list = concern_views(viewer, result.object_list)
    return result


def concern_list(
    *, viewer: Viewer, filters: InboxFilters | None = None, limit: int = 5000
) -> list[ConcernView]:
    """The viewer's concerns as shown, at most `limit` (the API's inbox)."""
    return concern_views(viewer, concern_queryset(viewer=viewer, filters=filters)[:limit])


def concern_export_rows(
    *, viewer: Viewer, filters: InboxFilters | None = None, limit: int = 50_000
) -> Iterator[ConcernView]:
    """The viewer's concerns as shown, for an export, streamed in chunks."""
    qs = concern_queryset(viewer=viewer, filters=filters)[:limit]
    for concern in qs.iterator(chunk_size=1000):
        yield concern_view(viewer, concern)


# -- one concern ---------------------------------------------------------------------------------


def concern_in_scope(*, viewer: Viewer, code: str) -> Concern:
    """The real row of a concern the viewer may act on, for a service to write and for the
    selectors below; 404 with no hint that it exists. Show it through `concern_view`."""
    concern = visible_concerns(viewer).filter(code=clean_code(code)).first()
    if concern is None:
        raise Http404
    rules.mark_seen(viewer, concern)  # read through the visibility rule: no second query
    if not rules.can_act_on_concern(viewer, concern):
        raise Http404
    return concern


def concern_detail(*, viewer: Viewer, code: str) -> ConcernView:
    """One concern as the viewer is shown it, or 404 with no hint that it exists."""
    return concern_view(viewer, concern_in_scope(viewer=viewer, code=code))


def open_cluster_mates(*, viewer: Viewer, concern: Concern) -> list[Concern]:
    """Other open concerns of the same cluster that the viewer may see (real rows for a service:
    the caller writes with them and shows nothing of them)."""
    if not concern.cluster_id:
        return []
    return list(
        visible_concerns(viewer)
        .filter(cluster_id=concern.cluster_id, status__in=OPEN_STATUSES)
        .exclude(pk=concern.pk)
    )


def concern_events(*, viewer: Viewer, concern: Concern) -> list[ConcernEvent]:
    if not rules.can_view_concern(viewer, concern):
        return []
    return list(concern.events.select_related("actor").order_by("created_at", "id"))


def assignable_officers(*, viewer: Viewer, concern: Concern) -> list[User]:
    """Officers with a login in the unit that handles the concern (and the viewer's own units),
    in Vietnamese order: by given name, then middle name and surname."""
    scope = scope_for(viewer)
    unit_ids = [i for i in {concern.assigned_unit_id, *scope.unit_ids} if i is not None]
    today = timezone.localdate()
    users = (
        User.objects.filter(
            appointments__unit_id__in=unit_ids,
            appointments__manages=True,
            appointments__started_on__lte=today,
        )
        .filter(Q(appointments__ended_on__isnull=True) | Q(appointments__ended_on__gt=today))
        .filter(rules.assignable_q(concern))
        .distinct()
    )
    return sorted(users, key=lambda u: person_key(u.get_full_name() or u.email or ""))


# -- personal data -------------------------------------------------------------------------------


def contact_export(*, viewer: Viewer, phone: str) -> list[dict[str, Any]]:
    """Everything held about a contact (by phone), for the Office only (anonymous senders included)."""
    if not rules.can_export_contacts(viewer):
        raise Http404
    number = normalize_phone(phone)
    if number is None:
        return []
    qs = visible_concerns(viewer).filter(contact_phone=number)
    qs = qs.filter(rules.contact_visible_q(scope_for(viewer)))
    return [
        {
            "code": c.code,
            "created_at": c.created_at.isoformat(),
            "channel": c.channel,
            "unit": c.unit.code if c.unit else "",
            "text": c.text,
            "is_anonymous": c.is_anonymous,
            "contact_name": c.contact_name,
            "contact_phone": c.contact_phone,
            "contact_zalo_id": c.contact_zalo_id,
            "status": c.status,
            "topic": c.topic,
            "answer": c.answer_text,
            "rating": c.rating,
            "photo": c.photo.name if c.photo else "",
        }
        for c in concern_views(viewer, qs.order_by("created_at"))
    ]
