"""What the plan and the reports read: figures over a window, for the units whose OWN rows count.

No viewer scoping here (the caller scopes and rolls up over the tree as it was in the period);
each function is a handful of grouped queries over indexed columns, never a scan of members.
Unit ids are sent in chunks, so a province's 10,000 units stay under SQLite's variable limit.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum

from congdoan.activities.models import (
    COMMUNICATION_KINDS,
    Activity,
    ActivityKind,
    Attendance,
    Budget,
    Channel,
    ChannelKind,
    Course,
    CourseTopic,
    ExampleKind,
    ExampleStatus,
    GoodExample,
    PresenceLog,
    PressItem,
    PressKind,
    TrainingAttendance,
    TrainingSession,
)
from congdoan.activities.rows import (
    BudgetRow,
    CourseRow,
    GoodExampleRow,
    KindRow,
    PresenceState,
)

_CHUNK = 5000


def _chunks(ids: Collection[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), _CHUNK):
        yield ordered[i : i + _CHUNK]


def direct_activity_counts(*, unit_ids: Collection[int], start: date, end: date) -> dict[int, int]:
    """Direct communication activities (`COMMUNICATION_KINDS`) each unit held in the window;
    every unit asked for is in the answer, 0 when it held none."""
    counts = dict.fromkeys(unit_ids, 0)
    for chunk in _chunks(unit_ids):
        rows = (
            Activity.objects.filter(
                unit_id__in=chunk,
                kind__in=COMMUNICATION_KINDS,
                held_on__gte=start,
                held_on__lte=end,
            )
            .values("unit_id")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[row["unit_id"]] = row["n"]
    return counts


def attended_member_ids(
    *, start: date, end: date, unit_ids: Collection[int] | None = None
) -> QuerySet[Attendance, int]:
    """Members who attended a direct communication activity in the window (distinct ids); with
    `unit_ids`, only activities held by those units."""
    qs = Attendance.objects.filter(
        activity__kind__in=COMMUNICATION_KINDS,
        activity__held_on__gte=start,
        activity__held_on__lte=end,
    )
    if unit_ids is not None:
        qs = qs.filter(activity__unit_id__in=list(unit_ids))
    return qs.values_list("member_id", flat=True).distinct()


def trained_member_ids(*, start: date, end: date) -> QuerySet[TrainingAttendance, int]:
    """Members who attended any training session held in the window (distinct ids)."""
    return (
        TrainingAttendance.objects.filter(session__held_on__gte=start, session__held_on__lte=end)
        .values_list("member_id", flat=True)
        .distinct()
    )


def activity_summary(*, unit_ids: Collection[int], start: date, end: date) -> list[KindRow]:
    """Every activity kind (in the order of `ActivityKind`, zeros included) with its count,
    participants, beneficiaries and amount in the window."""
    totals: dict[str, list[int]] = {k: [0, 0, 0, 0] for k in ActivityKind.values}
    for chunk in _chunks(unit_ids):
        rows = (
            Activity.objects.filter(unit_id__in=chunk, held_on__gte=start, held_on__lte=end)
            .values("kind")
            .annotate(
                n=Count("id"),
                people=Sum("participants"),
                helped=Sum("beneficiaries"),
                amount=Sum("amount_vnd"),
            )
        )
        for row in rows:
            t = totals[row["kind"]]
            t[0] += row["n"]
            t[1] += row["people"] or 0
            t[2] += row["helped"] or 0
            t[3] += row["amount"] or 0
    return [
        KindRow(
            kind=kind,
            label=str(label),
            count=totals[kind][0],
            participants=totals[kind][1],
            beneficiaries=totals[kind][2],
            amount_vnd=totals[kind][3],
        )
        for kind, label in ActivityKind.choices
    ]


def training_summary(*, unit_ids: Collection[int], start: date, end: date) -> list[CourseRow]:
    """Per course, the sessions these units organised in the window, how many people attended
    them (distinct) and how many certificates were given; courses with no session left out."""
    sessions: dict[int, int] = {}
    people: dict[int, set[int]] = {}
    certificates: dict[int, int] = {}
    for chunk in _chunks(unit_ids):
        window = Q(unit_id__in=chunk, held_on__gte=start, held_on__lte=end)
        for row in (
            TrainingSession.objects.filter(window).values("course_id").annotate(n=Count("id"))
        ):
            sessions[row["course_id"]] = sessions.get(row["course_id"], 0) + row["n"]
        attended = TrainingAttendance.objects.filter(
            session__unit_id__in=chunk, session__held_on__gte=start, session__held_on__lte=end
        )
        for course_id, member_id, number in attended.values_list(
            "session__course_id", "member_id", "certificate_number"
        ):
            people.setdefault(course_id, set()).add(member_id)
            if number:
                certificates[course_id] = certificates.get(course_id, 0) + 1
    topics = dict(CourseTopic.choices)
    return [
        CourseRow(
            course_id=course.pk,
            title=course.title,
            topic=course.topic,
            topic_label=str(topics.get(course.topic, course.topic)),
            sessions=sessions[course.pk],
            attendees=len(people.get(course.pk, ())),
            certificates=certificates.get(course.pk, 0),
        )
        for course in Course.objects.filter(pk__in=list(sessions)).order_by("title", "id")
    ]


def press_summary(*, unit_ids: Collection[int], start: date, end: date) -> list[KindRow]:
    """Press coordination in the window, per kind (articles given, visits, coverage)."""
    counts = dict.fromkeys(PressKind.values, 0)
    for chunk in _chunks(unit_ids):
        rows = (
            PressItem.objects.filter(
                unit_id__in=chunk, happened_on__gte=start, happened_on__lte=end
            )
            .values("kind")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[row["kind"]] += row["n"]
    return [KindRow(kind=k, label=str(label), count=counts[k]) for k, label in PressKind.choices]


def good_examples(*, unit_ids: Collection[int], start: date, end: date) -> list[GoodExampleRow]:
    """Good examples and typical models these units submitted in the window, newest first."""
    statuses = dict(ExampleStatus.choices)
    kinds = dict(ExampleKind.choices)
    rows: list[GoodExampleRow] = []
    for chunk in _chunks(unit_ids):
        qs = GoodExample.objects.filter(
            unit_id__in=chunk, submitted_on__gte=start, submitted_on__lte=end
        ).select_related("unit", "holder")
        rows.extend(
            GoodExampleRow(
                example_id=ex.pk,
                title=ex.title,
                kind_label=str(kinds.get(ex.kind, ex.kind)),
                unit_name=ex.unit.name,
                submitted_on=ex.submitted_on,
                status=ex.status,
                status_label=str(statuses.get(ex.status, ex.status)),
                forwarded_to=ex.holder.name if ex.holder else "",
            )
            for ex in qs
        )
    rows.sort(key=lambda r: (r.submitted_on, r.example_id), reverse=True)
    return rows


def presence_by_unit(*, unit_ids: Collection[int], as_of: date) -> dict[int, PresenceState]:
    """Each unit's fanpage on `as_of`: registered (active channel started by then), its last
    post, posts in the 7 days ending on `as_of`, days of silence; active when it posted within
    `settings.ACTIVITIES_SILENT_AFTER_DAYS` days. Posts from every source are summed."""
    silent_after = settings.ACTIVITIES_SILENT_AFTER_DAYS
    week_start = as_of - timedelta(days=6)
    with_page: set[int] = set()
    last: dict[int, date] = {}
    week: dict[int, int] = {}
    for chunk in _chunks(unit_ids):
        with_page.update(
            Channel.objects.filter(
                Q(started_on__isnull=True) | Q(started_on__lte=as_of),
                unit_id__in=chunk,
                kind=ChannelKind.FANPAGE,
                is_active=True,
            ).values_list("unit_id", flat=True)
        )
        logs = PresenceLog.objects.filter(
            unit_id__in=chunk, channel_kind=ChannelKind.FANPAGE, day__lte=as_of, count__gt=0
        )
        for unit_id, last_day in logs.values_list("unit_id").annotate(last=Max("day")):
            last[unit_id] = last_day
        for unit_id, n in (
            logs.filter(day__gte=week_start).values_list("unit_id").annotate(n=Sum("count"))
        ):
            week[unit_id] = n or 0
    states: dict[int, PresenceState] = {}
    for unit_id in unit_ids:
        last_post = last.get(unit_id)
        silent = (as_of - last_post).days if last_post else None
        has_page = unit_id in with_page
        states[unit_id] = PresenceState(
            has_fanpage=has_page,
            active_fanpage=has_page and silent is not None and silent <= silent_after,
            last_post_on=last_post,
            posts_last_7_days=week.get(unit_id, 0),
            silent_days=silent,
        )
    return states


def budget_by_unit(*, unit_ids: Collection[int], year: int) -> dict[int, BudgetRow]:
    """The budget each unit recorded for `year`; a unit with no row is absent (no data, not 0)."""
    rows: dict[int, BudgetRow] = {}
    for chunk in _chunks(unit_ids):
        for unit_id, comm, total in Budget.objects.filter(unit_id__in=chunk, year=year).values_list(
            "unit_id", "communication_vnd", "total_vnd"
        ):
            rows[unit_id] = BudgetRow(communication_vnd=comm, total_vnd=total)
    return rows
