"""What the app's own pages read: every query kept to the viewer's place in the tree
(`orgs.scoping`); a row outside it is a 404, with no hint that it exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from congdoan.activities.models import (
    Activity,
    Attendance,
    Budget,
    Channel,
    Course,
    GoodExample,
    PresenceLog,
    PressItem,
    TrainingAttendance,
    TrainingSession,
)
from congdoan.activities.rows import BudgetRow, PresenceState
from congdoan.activities.selectors.figures import (
    budget_by_unit,
    direct_activity_counts,
    presence_by_unit,
)
from congdoan.orgs.models import Member, Unit
from congdoan.orgs.scoping import Viewer, scope_for, unit_q, units_in_scope
from congdoan.orgs.selectors import MemberFilter, filter_members


def units_for(*, viewer: Viewer) -> QuerySet[Unit]:
    """The active units the viewer records for, in tree order."""
    return units_in_scope(viewer).filter(is_active=True).order_by("path")


def unit_in_scope(*, viewer: Viewer, unit_id: int | str | None) -> Unit | None:
    """The unit with this id if the viewer covers it (None for no id or an id outside)."""
    try:
        pk = int(unit_id or 0)
    except (TypeError, ValueError):
        return None
    return units_for(viewer=viewer).filter(pk=pk).first() if pk else None


def activities_visible(
    *, viewer: Viewer, unit: Unit | None = None, kind: str = "", year: int | None = None
) -> QuerySet[Activity]:
    qs = Activity.objects.filter(unit_q(scope_for(viewer))).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(held_on__year=year)
    return qs.annotate(attended=Count("attendances")).order_by("-held_on", "-id")


def activity_get(*, viewer: Viewer, pk: int) -> Activity:
    activity = (
        Activity.objects.filter(unit_q(scope_for(viewer)), pk=pk)
        .select_related("unit", "unit__level")
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def attendance_candidates(*, activity: Activity, query: str = "") -> QuerySet[Member]:
    """Members who may be ticked present: of the activity's unit and the units under it, still
    in the union; a search without diacritics ("nguyen lan") matches every word of the name,
    or the card number, or the last digits of the phone."""
    qs = Member.objects.filter(unit__path__startswith=activity.unit.path, left_on=None)
    return _member_search(qs, query)


def _member_search(qs: QuerySet[Member], query: str) -> QuerySet[Member]:
    """The member list's own search (`orgs.selectors.filter_members`), in name order."""
    return filter_members(qs, MemberFilter(query=query.strip())).select_related("unit")


def attendees(*, activity: Activity) -> QuerySet[Attendance]:
    """Who attended, in Vietnamese name order, with how they were recorded."""
    return activity.attendances.select_related("member", "member__unit").order_by(
        "member__sort_key", "id"
    )


def present_ids(*, activity: Activity) -> set[int]:
    return set(activity.attendances.values_list("member_id", flat=True))


def press_visible(*, viewer: Viewer, year: int | None = None) -> QuerySet[PressItem]:
    qs = PressItem.objects.filter(unit_q(scope_for(viewer))).select_related("unit")
    if year:
        qs = qs.filter(happened_on__year=year)
    return qs


def press_get(*, viewer: Viewer, pk: int) -> PressItem:
    item = PressItem.objects.filter(unit_q(scope_for(viewer)), pk=pk).select_related("unit").first()
    if item is None:
        raise Http404
    return item


def examples_visible(*, viewer: Viewer, status: str = "") -> QuerySet[GoodExample]:
    """Examples the viewer's units submitted, and those waiting with a unit of theirs (the
    holder lies above the submitter, so a holder's officers cover it already)."""
    scope = scope_for(viewer)
    qs = GoodExample.objects.filter(unit_q(scope) | unit_q(scope, field="holder")).select_related(
        "unit", "holder"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.distinct()


def example_get(*, viewer: Viewer, pk: int) -> GoodExample:
    example = (
        examples_visible(viewer=viewer)
        .filter(pk=pk)
        .select_related("holder__level", "holder__parent")
        .first()
    )
    if example is None:
        raise Http404
    return example


def courses_visible(*, viewer: Viewer) -> QuerySet[Course]:
    """Courses organised by a unit in scope, or with a session organised by one."""
    scope = scope_for(viewer)
    ids = TrainingSession.objects.filter(unit_q(scope)).values("course_id")
    return (
        Course.objects.filter(unit_q(scope) | Q(pk__in=ids))
        .select_related("unit")
        .annotate(n_sessions=Count("sessions", distinct=True))
        .order_by("title", "id")
    )


def course_get(*, viewer: Viewer, pk: int) -> Course:
    course = courses_visible(viewer=viewer).filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


def sessions_of(*, viewer: Viewer, course: Course) -> QuerySet[TrainingSession]:
    return (
        course.sessions.filter(unit_q(scope_for(viewer)))
        .select_related("unit", "level")
        .annotate(attended=Count("attendances"))
    )


def session_get(*, viewer: Viewer, pk: int) -> TrainingSession:
    session = (
        TrainingSession.objects.filter(unit_q(scope_for(viewer)), pk=pk)
        .select_related("course", "unit", "level")
        .first()
    )
    if session is None:
        raise Http404
    return session


def session_attendance(*, session: TrainingSession) -> QuerySet[TrainingAttendance]:
    return session.attendances.select_related("member", "member__unit").order_by(
        "member__sort_key", "id"
    )


def training_attendance_get(*, viewer: Viewer, pk: int) -> TrainingAttendance:
    row = (
        TrainingAttendance.objects.filter(unit_q(scope_for(viewer), field="session__unit"), pk=pk)
        .select_related("session__unit", "member")
        .first()
    )
    if row is None:
        raise Http404
    return row


@dataclass(frozen=True)
class PresenceLine:
    unit: Unit
    channels: list[Channel]
    state: PresenceState
    silent: bool  # a fanpage with no post for more than the setting's days (or never)


def presence_overview(*, viewer: Viewer, as_of: date | None = None) -> list[PresenceLine]:
    """Each unit in scope with its channels and its fanpage's state; silent units flagged."""
    as_of = as_of or timezone.localdate()
    units = list(units_for(viewer=viewer).select_related("level"))
    channels: dict[int, list[Channel]] = {}
    for channel in Channel.objects.filter(unit__in=units).order_by("kind", "id"):
        channels.setdefault(channel.unit_id, []).append(channel)
    states = presence_by_unit(unit_ids=[u.pk for u in units], as_of=as_of)
    return [
        PresenceLine(
            unit=u,
            channels=channels.get(u.pk, []),
            state=states[u.pk],
            silent=states[u.pk].has_fanpage and not states[u.pk].active_fanpage,
        )
        for u in units
    ]


def channel_get(*, viewer: Viewer, pk: int) -> Channel:
    channel = (
        Channel.objects.filter(unit_q(scope_for(viewer)), pk=pk).select_related("unit").first()
    )
    if channel is None:
        raise Http404
    return channel


def recent_logs(*, unit: Unit, days: int = 14) -> QuerySet[PresenceLog]:
    since = timezone.localdate() - timedelta(days=days)
    return PresenceLog.objects.filter(unit=unit, day__gte=since).order_by("-day", "channel_kind")


@dataclass(frozen=True)
class BudgetLine:
    unit: Unit
    row: BudgetRow | None  # None: nothing recorded (no data, not 0)


def budget_overview(*, viewer: Viewer, year: int) -> tuple[list[BudgetLine], BudgetRow]:
    """Each unit in scope with its budget for `year`, and the sum of the recorded ones."""
    units = list(units_for(viewer=viewer))
    rows = budget_by_unit(unit_ids=[u.pk for u in units], year=year)
    total = BudgetRow(
        communication_vnd=sum(r.communication_vnd for r in rows.values()),
        total_vnd=sum(r.total_vnd for r in rows.values()),
    )
    return [BudgetLine(unit=u, row=rows.get(u.pk)) for u in units], total


def budget_get(*, viewer: Viewer, unit: Unit, year: int) -> Budget | None:
    if not scope_for(viewer).covers_path(unit.path):
        raise Http404
    return Budget.objects.filter(unit=unit, year=year).first()


def session_candidates(*, session: TrainingSession, query: str) -> QuerySet[Member]:
    """Members who may be written in as attending: of the organising unit or under it."""
    qs = Member.objects.filter(unit__path__startswith=session.unit.path, left_on=None)
    return _member_search(qs, query)


def silent_after_days() -> int:
    return int(settings.ACTIVITIES_SILENT_AFTER_DAYS)


#: The plan's yearly duty: at least this many direct communication activities per unit.
YEARLY_DUTY = 2


def units_behind_duty(*, viewer: Viewer, year: int, today: date) -> list[tuple[Unit, int]]:
    """The viewer's units that held fewer than `YEARLY_DUTY` direct communication activities
    in `year` so far, with how many they held (fewest first)."""
    units = list(units_for(viewer=viewer))
    end = min(date(year, 12, 31), today)
    counts = direct_activity_counts(unit_ids=[u.pk for u in units], start=date(year, 1, 1), end=end)
    behind = [(u, counts[u.pk]) for u in units if counts[u.pk] < YEARLY_DUTY]
    return sorted(behind, key=lambda pair: (pair[1], pair[0].sort_key))
