"""The figures the plan and the reports read, on small fixtures computed by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from congdoan.activities import selectors, services
from congdoan.activities.models import (
    ActivityKind,
    AttendanceSource,
    ChannelKind,
    CourseTopic,
    ExampleKind,
    PostSource,
    PressKind,
)
from congdoan.orgs.tests import factories as f

JAN = date(2026, 1, 1)
JUN = date(2026, 6, 30)


def _activity(unit: Any, kind: str, on: date, **kw: Any) -> Any:
    return services.activity_create(
        actor=None,
        unit=unit,
        values={"kind": kind, "title": kw.pop("title", f"{kind} {on}"), "held_on": on, **kw},
    )


@pytest.fixture
def year(cast: Any) -> dict[str, Any]:
    """Unit A: two conferences and a Tết Sum vầy in H1 2026, a dialogue in H2 and one in 2025;
    unit B: one talk in H1."""
    a, b = cast.unit_a, cast.unit_b
    c1 = _activity(a, ActivityKind.CONFERENCE, date(2026, 2, 10), participants=120)
    c2 = _activity(a, ActivityKind.CONFERENCE, date(2026, 5, 5), participants=80)
    tet = _activity(a, ActivityKind.TET, date(2026, 1, 20), beneficiaries=30, amount_vnd=15_000_000)
    _activity(a, ActivityKind.DIALOGUE, date(2026, 8, 1))
    _activity(a, ActivityKind.DIALOGUE, date(2025, 12, 31))
    talk = _activity(b, ActivityKind.TALK, date(2026, 6, 30), participants=40)
    return {"c1": c1, "c2": c2, "tet": tet, "talk": talk}


def test_direct_activity_counts_count_communication_kinds_inside_the_window(
    cast: Any, year: Any
) -> None:
    counts = selectors.direct_activity_counts(
        unit_ids=[cast.unit_a.pk, cast.unit_b.pk, cast.district.pk], start=JAN, end=JUN
    )
    # A: two conferences (Tết is support, the dialogues fall outside); B: the talk on 30/6.
    assert counts == {cast.unit_a.pk: 2, cast.unit_b.pk: 1, cast.district.pk: 0}


def test_activity_summary_sums_each_kind(cast: Any, year: Any) -> None:
    rows = {
        r.kind: r
        for r in selectors.activity_summary(
            unit_ids=[cast.unit_a.pk, cast.unit_b.pk], start=JAN, end=JUN
        )
    }
    assert rows["conference"].count == 2
    assert rows["conference"].participants == 200
    assert rows["talk"].participants == 40
    assert rows["tet"].beneficiaries == 30
    assert rows["tet"].amount_vnd == 15_000_000
    assert rows["dialogue"].count == 0
    assert rows["tet"].label == "Tết Sum vầy"


def test_attended_member_ids_are_distinct_and_only_from_communication(cast: Any, year: Any) -> None:
    m2 = f.member(cast.unit_a)
    mb = cast.member_b
    for act, ids in ((year["c1"], [cast.member_a.pk, m2.pk]), (year["c2"], [cast.member_a.pk])):
        services.attendance_add(
            actor=None, activity=act, member_ids=ids, source=AttendanceSource.SHEET
        )
    services.attendance_add(
        actor=None, activity=year["tet"], member_ids=[m2.pk], source=AttendanceSource.MANUAL
    )
    services.attendance_add(
        actor=None, activity=year["talk"], member_ids=[mb.pk], source=AttendanceSource.PHONE
    )
    everyone = set(selectors.attended_member_ids(start=JAN, end=JUN))
    assert everyone == {cast.member_a.pk, m2.pk, mb.pk}
    assert len(list(selectors.attended_member_ids(start=JAN, end=JUN))) == 3
    only_a = set(selectors.attended_member_ids(start=JAN, end=JUN, unit_ids=[cast.unit_a.pk]))
    assert only_a == {cast.member_a.pk, m2.pk}
    assert (
        set(selectors.attended_member_ids(start=date(2026, 7, 1), end=date(2026, 12, 31))) == set()
    )


def test_training_summary_and_trained_members(cast: Any) -> None:
    course = services.course_create(
        actor=None, unit=cast.district, title="Kỹ năng mạng xã hội", topic=CourseTopic.SOCIAL
    )
    s1 = services.session_create(
        actor=None, course=course, unit=cast.district, held_on=date(2026, 3, 3)
    )
    s2 = services.session_create(
        actor=None, course=course, unit=cast.district, held_on=date(2026, 9, 9)
    )
    services.training_attendance_set(
        actor=None, session=s1, member=cast.member_a, certificate_number="CN-01"
    )
    services.training_attendance_set(actor=None, session=s1, member=cast.member_b)
    services.training_attendance_set(
        actor=None, session=s2, member=cast.member_a, certificate_number="CN-02"
    )
    year_rows = selectors.training_summary(
        unit_ids=[cast.district.pk], start=JAN, end=date(2026, 12, 31)
    )
    assert len(year_rows) == 1
    row = year_rows[0]
    assert (row.sessions, row.attendees, row.certificates) == (2, 2, 2)
    assert row.topic_label == "Mạng xã hội"
    h2 = selectors.training_summary(
        unit_ids=[cast.district.pk], start=date(2026, 7, 1), end=date(2026, 12, 31)
    )
    assert (h2[0].sessions, h2[0].attendees, h2[0].certificates) == (1, 1, 1)
    assert selectors.training_summary(unit_ids=[cast.unit_a.pk], start=JAN, end=JUN) == []
    assert set(selectors.trained_member_ids(start=JAN, end=JUN)) == {
        cast.member_a.pk,
        cast.member_b.pk,
    }
    assert set(selectors.trained_member_ids(start=date(2026, 7, 1), end=date(2026, 12, 31))) == {
        cast.member_a.pk
    }


def test_press_summary_counts_each_kind(cast: Any) -> None:
    for kind, on in (
        (PressKind.ARTICLE, date(2026, 2, 1)),
        (PressKind.ARTICLE, date(2026, 3, 1)),
        (PressKind.COVERAGE, date(2026, 4, 1)),
        (PressKind.VISIT, date(2026, 8, 1)),
    ):
        services.press_create(
            actor=None,
            unit=cast.unit_a,
            values={"kind": kind, "outlet": "Báo Lao Động", "title": "Tin", "happened_on": on},
        )
    rows = {
        r.kind: r.count
        for r in selectors.press_summary(unit_ids=[cast.unit_a.pk], start=JAN, end=JUN)
    }
    assert rows == {"article": 2, "visit": 0, "coverage": 1}


def test_good_examples_show_status_and_where_they_are(cast: Any) -> None:
    ex = services.example_submit(
        actor=None,
        unit=cast.unit_a,
        kind=ExampleKind.MODEL,
        title="Mô hình Bữa cơm công đoàn",
        summary="",
        submitted_on=date(2026, 3, 1),
    )
    services.example_forward(actor=None, example=ex)
    rows = selectors.good_examples(unit_ids=[cast.unit_a.pk], start=JAN, end=JUN)
    assert [(r.title, r.status, r.forwarded_to, r.unit_name) for r in rows] == [
        ("Mô hình Bữa cơm công đoàn", "forwarded", cast.city.name, cast.unit_a.name)
    ]
    assert rows[0].status_label == "Đã chuyển lên cấp trên"
    assert selectors.good_examples(unit_ids=[cast.unit_b.pk], start=JAN, end=JUN) == []


def test_presence_by_unit_flags_silent_fanpages(cast: Any, settings: Any) -> None:
    settings.ACTIVITIES_SILENT_AFTER_DAYS = 30
    a, b, d = cast.unit_a, cast.unit_b, cast.district
    for u in (a, b):
        services.channel_save(
            actor=None, unit=u, values={"kind": ChannelKind.FANPAGE, "url": "https://fb.com/x"}
        )
    as_of = date(2026, 6, 30)
    for day, n in ((date(2026, 6, 24), 2), (date(2026, 6, 30), 1), (date(2026, 6, 23), 5)):
        services.log_presence_posts(
            unit=a, channel_kind=ChannelKind.FANPAGE, day=day, count=n, source=PostSource.GRAPH
        )
    services.log_presence_posts(
        unit=b,
        channel_kind=ChannelKind.FANPAGE,
        day=date(2026, 5, 30),
        count=3,
        source=PostSource.UNIT,
    )
    # a later post (after as_of) does not count on as_of
    services.log_presence_posts(
        unit=b,
        channel_kind=ChannelKind.FANPAGE,
        day=date(2026, 7, 2),
        count=1,
        source=PostSource.UNIT,
    )
    states = selectors.presence_by_unit(unit_ids=[a.pk, b.pk, d.pk], as_of=as_of)
    assert states[a.pk] == selectors.PresenceState(
        has_fanpage=True,
        active_fanpage=True,
        last_post_on=date(2026, 6, 30),
        posts_last_7_days=3,  # 24/6 and 30/6; 23/6 is the eighth day back
        silent_days=0,
    )
    assert states[b.pk].silent_days == 31
    assert states[b.pk].active_fanpage is False
    assert states[b.pk].has_fanpage is True
    assert states[d.pk] == selectors.PresenceState(False, False, None, 0, None)
    settings.ACTIVITIES_SILENT_AFTER_DAYS = 31
    assert selectors.presence_by_unit(unit_ids=[b.pk], as_of=as_of)[b.pk].active_fanpage is True


def test_logging_posts_twice_for_a_day_replaces_the_count(cast: Any) -> None:
    for n in (4, 6):
        services.log_presence_posts(
            unit=cast.unit_a,
            channel_kind=ChannelKind.FANPAGE,
            day=date(2026, 6, 30),
            count=n,
            source=PostSource.GRAPH,
        )
    state = selectors.presence_by_unit(unit_ids=[cast.unit_a.pk], as_of=date(2026, 6, 30))
    assert state[cast.unit_a.pk].posts_last_7_days == 6


def test_budget_by_unit_leaves_out_units_without_a_row(cast: Any) -> None:
    services.budget_save(
        actor=None, unit=cast.unit_a, year=2026, communication_vnd=12_000_000, total_vnd=48_000_000
    )
    rows = selectors.budget_by_unit(unit_ids=[cast.unit_a.pk, cast.unit_b.pk], year=2026)
    assert rows == {cast.unit_a.pk: selectors.BudgetRow(12_000_000, 48_000_000)}
    assert rows[cast.unit_a.pk].share_percent == 25.0
    assert selectors.budget_by_unit(unit_ids=[cast.unit_a.pk], year=2025) == {}
