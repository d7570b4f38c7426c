"""The officers' pages: each opens for an officer, writes through its form, stays in scope."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from congdoan.activities import services
from congdoan.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    Budget,
    Channel,
    ChannelKind,
    CourseTopic,
    ExampleKind,
    ExampleStatus,
    PostSource,
    PressItem,
    PressKind,
    TrainingAttendance,
)
from congdoan.orgs.tests import factories as f

PAGES = [
    "/hoat-dong/",
    "/hoat-dong/moi/",
    "/hoat-dong/bao-chi/",
    "/hoat-dong/guong-dien-hinh/",
    "/hoat-dong/tap-huan/",
    "/hoat-dong/kenh/",
    "/hoat-dong/kinh-phi/",
]


def _activity(unit: Any, **kw: Any) -> Activity:
    values: dict[str, Any] = {"kind": ActivityKind.CONFERENCE, "title": "Hội nghị NLĐ 2026"}
    values |= {"held_on": date(2026, 3, 8), **kw}
    return services.activity_create(actor=None, unit=unit, values=values)


@pytest.mark.parametrize("url", PAGES)
def test_every_list_page_opens_for_an_officer(client_of: Any, officer_a: Any, url: str) -> None:
    assert client_of(officer_a).get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_a_member_without_office_is_refused(client_of: Any, member: Any, url: str) -> None:
    assert client_of(member).get(url).status_code == 403


def test_officer_records_an_activity_through_the_form(
    client_of: Any, cast: Any, officer_a: Any
) -> None:
    response = client_of(officer_a).post(
        "/hoat-dong/moi/",
        {
            "unit": cast.unit_a.pk,
            "kind": ActivityKind.DIALOGUE,
            "title": "Đối thoại định kỳ quý I",
            "held_on": "2026-03-20",
            "participants": "85",
            "beneficiaries": "0",
            "amount_vnd": "2500000",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert (activity.unit, activity.participants, activity.amount_vnd) == (
        cast.unit_a,
        85,
        2_500_000,
    )


@pytest.mark.parametrize(
    ("amount", "message"),
    [("-5", "không được âm"), ("9" * 16, "quá lớn"), ("abc", "chữ số")],
)
def test_a_bad_amount_is_refused_with_a_message_and_nothing_written(
    client_of: Any, cast: Any, officer_a: Any, amount: str, message: str
) -> None:
    response = client_of(officer_a).post(
        "/hoat-dong/moi/",
        {
            "unit": cast.unit_a.pk,
            "kind": ActivityKind.TET,
            "title": "Tết Sum vầy",
            "held_on": "2026-01-25",
            "amount_vnd": amount,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_officer_cannot_record_for_a_unit_outside_their_scope(
    client_of: Any, cast: Any, officer_a: Any
) -> None:
    response = client_of(officer_a).post(
        "/hoat-dong/moi/",
        {
            "unit": cast.unit_b.pk,
            "kind": ActivityKind.TALK,
            "title": "Tọa đàm",
            "held_on": "2026-03-20",
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not Activity.objects.exists()


def test_officer_of_another_unit_cannot_see_or_edit_an_activity(
    client_of: Any, cast: Any, officer_b: Any
) -> None:
    activity = _activity(cast.unit_a)
    c = client_of(officer_b)
    for url in ("", "sua/", "diem-danh/", "nhap-danh-sach/"):
        assert c.get(f"/hoat-dong/{activity.pk}/{url}").status_code == 404
    assert c.post(f"/hoat-dong/{activity.pk}/xoa/").status_code == 404
    assert activity.title not in c.get("/hoat-dong/").content.decode()
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_district_officer_sees_the_activities_of_units_below(
    client_of: Any, cast: Any, district_officer: Any
) -> None:
    activity = _activity(cast.unit_a)
    page = client_of(district_officer).get("/hoat-dong/").content.decode()
    assert activity.title in page


def test_phone_checklist_finds_members_without_diacritics_and_saves_ticks(
    client_of: Any, cast: Any, officer_a: Any
) -> None:
    activity = _activity(cast.unit_a)
    other = f.member(cast.unit_a, full_name="Phạm Văn Đức")
    c = client_of(officer_a)
    page = c.get(f"/hoat-dong/{activity.pk}/diem-danh/?q=nguyen lan").content.decode()
    assert "Nguyễn Thị Lan" in page
    assert "Phạm Văn Đức" not in page
    response = c.post(
        f"/hoat-dong/{activity.pk}/diem-danh/",
        {"shown": [cast.member_a.pk, other.pk], "present": [other.pk]},
    )
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("member_id", "source")) == [(other.pk, "phone")]
    # unticking on a later save removes the mark
    c.post(f"/hoat-dong/{activity.pk}/diem-danh/", {"shown": [other.pk]})
    assert not Attendance.objects.exists()


def test_ticking_a_member_of_another_unit_is_refused(
    client_of: Any, cast: Any, officer_a: Any
) -> None:
    activity = _activity(cast.unit_a)
    client_of(officer_a).post(
        f"/hoat-dong/{activity.pk}/diem-danh/",
        {"shown": [cast.member_b.pk], "present": [cast.member_b.pk]},
    )
    assert not Attendance.objects.exists()


def test_press_example_course_channel_and_budget_forms_write(
    client_of: Any, cast: Any, officer_a: Any, district_officer: Any
) -> None:
    c = client_of(officer_a)
    c.post(
        "/hoat-dong/bao-chi/",
        {
            "unit": cast.unit_a.pk,
            "kind": PressKind.COVERAGE,
            "outlet": "Báo Lao Động",
            "title": "Công đoàn May A chăm lo Tết",
            "happened_on": "2026-02-01",
            "link": "https://laodong.vn/bai-viet",
        },
    )
    assert PressItem.objects.get().outlet == "Báo Lao Động"
    c.post(
        "/hoat-dong/guong-dien-hinh/",
        {"unit": cast.unit_a.pk, "kind": ExampleKind.MODEL, "title": "Tủ sách công nhân"},
    )
    example = cast.unit_a.good_examples.get()
    assert example.holder == cast.district
    # the district forwards it to the city
    d = client_of(district_officer)
    assert d.post(f"/hoat-dong/guong-dien-hinh/{example.pk}/chuyen/").status_code == 302
    example.refresh_from_db()
    assert (example.status, example.holder) == (ExampleStatus.FORWARDED, cast.city)
    # the district cannot act any more: it is with the city
    d.post(f"/hoat-dong/guong-dien-hinh/{example.pk}/ghi-nhan/")
    example.refresh_from_db()
    assert example.status == ExampleStatus.FORWARDED
    c.post(
        "/hoat-dong/kenh/",
        {
            "form": "channel",
            "ch-unit": cast.unit_a.pk,
            "ch-kind": ChannelKind.FANPAGE,
            "ch-url": "https://facebook.com/congdoanmaya",
        },
    )
    assert Channel.objects.get().url == "https://facebook.com/congdoanmaya"
    c.post(
        "/hoat-dong/kenh/",
        {
            "form": "posts",
            "p-unit": cast.unit_a.pk,
            "p-channel_kind": ChannelKind.FANPAGE,
            "p-day": "2026-12-01",
            "p-count": "3",
        },
    )
    assert cast.unit_a.presence_logs.get().source == PostSource.UNIT
    c.post(
        "/hoat-dong/kinh-phi/",
        {
            "unit": cast.unit_a.pk,
            "year": "2026",
            "communication_vnd": "5000000",
            "total_vnd": "40000000",
        },
    )
    assert Budget.objects.get().communication_vnd == 5_000_000
    page = c.get("/hoat-dong/kinh-phi/?year=2026").content.decode()
    # written like every other rate of the officer's pages: "12,5 %", not "12,5%"
    assert "12,5&nbsp;%" in page and "12,5%" not in page


def test_budget_with_communication_above_total_is_refused(
    client_of: Any, cast: Any, officer_a: Any
) -> None:
    response = client_of(officer_a).post(
        "/hoat-dong/kinh-phi/",
        {"unit": cast.unit_a.pk, "year": "2026", "communication_vnd": "9", "total_vnd": "5"},
    )
    assert "không thể lớn hơn tổng chi" in response.content.decode()
    assert not Budget.objects.exists()


def test_training_session_attendance_and_certificate(
    client_of: Any, cast: Any, district_officer: Any
) -> None:
    c = client_of(district_officer)
    c.post(
        "/hoat-dong/tap-huan/",
        {"unit": cast.district.pk, "title": "Làm việc với báo chí", "topic": CourseTopic.PRESS},
    )
    course = cast.district.courses.get()
    c.post(f"/hoat-dong/tap-huan/{course.pk}/", {"unit": cast.district.pk, "held_on": "2026-05-12"})
    session = course.sessions.get()
    page = c.get(f"/hoat-dong/tap-huan/buoi/{session.pk}/?q=tran binh").content.decode()
    assert "Trần Văn Bình" in page
    c.post(
        f"/hoat-dong/tap-huan/buoi/{session.pk}/ghi/",
        {"member": cast.member_b.pk, "certificate_number": "PX-2026-001"},
    )
    row = TrainingAttendance.objects.get()
    assert (row.member, row.certificate_number) == (cast.member_b, "PX-2026-001")
    # the same certificate number for someone else is refused with a message
    response = c.post(
        f"/hoat-dong/tap-huan/buoi/{session.pk}/ghi/",
        {"member": cast.member_a.pk, "certificate_number": "PX-2026-001"},
        follow=True,
    )
    assert "đã cấp cho người khác" in response.content.decode()
    assert TrainingAttendance.objects.count() == 1


def test_presence_page_flags_a_silent_fanpage(
    client_of: Any, cast: Any, officer_a: Any, settings: Any
) -> None:
    settings.ACTIVITIES_SILENT_AFTER_DAYS = 30
    services.channel_save(
        actor=None,
        unit=cast.unit_a,
        values={"kind": ChannelKind.FANPAGE, "url": "https://fb.com/a"},
    )
    services.log_presence_posts(
        unit=cast.unit_a,
        channel_kind=ChannelKind.FANPAGE,
        day=date(2026, 9, 1),
        count=2,
        source=PostSource.GRAPH,
    )
    page = client_of(officer_a).get("/hoat-dong/kenh/").content.decode()
    assert "im lặng" in page
    assert "01/09/2026" in page


def test_a_channel_is_edited_and_taken_out_of_use_only_by_its_officers(
    client_of: Any, cast: Any, officer_a: Any, officer_b: Any
) -> None:
    channel = services.channel_save(
        actor=None,
        unit=cast.unit_a,
        values={"kind": ChannelKind.FANPAGE, "url": "https://fb.com/a"},
    )
    assert client_of(officer_b).get(f"/hoat-dong/kenh/{channel.pk}/").status_code == 404
    response = client_of(officer_a).post(
        f"/hoat-dong/kenh/{channel.pk}/",
        {"unit": cast.unit_a.pk, "kind": ChannelKind.FANPAGE, "url": "https://fb.com/a-moi"},
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.url, channel.is_active) == ("https://fb.com/a-moi", False)


def test_the_list_names_the_units_behind_the_yearly_duty_of_two(
    client_of: Any, cast: Any, district_officer: Any
) -> None:
    _activity(cast.unit_a, held_on=date(2026, 3, 1))
    _activity(cast.unit_a, held_on=date(2026, 4, 1), kind=ActivityKind.TALK)
    _activity(cast.unit_b, held_on=date(2026, 4, 1))
    _activity(cast.unit_b, held_on=date(2026, 5, 1), kind=ActivityKind.TET)  # support: not counted
    page = client_of(district_officer).get("/hoat-dong/").content.decode()
    behind = page.split('<details class="card">')[1].split("</details>")[0]
    assert "2 đơn vị chưa đủ 2 hoạt động" in behind
    assert cast.unit_b.name in behind and cast.district.name in behind
    assert cast.unit_a.name not in behind


def test_a_press_item_is_corrected_by_its_officers_only(
    client_of: Any, cast: Any, officer_a: Any, officer_b: Any
) -> None:
    item = services.press_create(
        actor=None,
        unit=cast.unit_a,
        values={
            "kind": PressKind.ARTICLE,
            "outlet": "Báo Lao Đông",
            "title": "Tin hội nghị",
            "happened_on": date(2026, 3, 1),
        },
    )
    assert client_of(officer_b).get(f"/hoat-dong/bao-chi/{item.pk}/").status_code == 404
    response = client_of(officer_a).post(
        f"/hoat-dong/bao-chi/{item.pk}/",
        {
            "unit": cast.unit_a.pk,
            "kind": PressKind.ARTICLE,
            "outlet": "Báo Lao Động",
            "title": "Tin hội nghị",
            "happened_on": "2026-03-01",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outlet == "Báo Lao Động"


def test_a_year_without_budgets_says_so_rather_than_0_dong(
    client_of: Any, cast: Any, officer_a: Any
) -> None:
    """ "Chi cho tuyên truyền 0 đ" read as a unit that spent nothing; nobody had written it."""
    page = client_of(officer_a).get("/hoat-dong/kinh-phi/?year=2024").content.decode()
    assert "0 đ" not in page
    assert page.count('<div class="kpi">—</div>') == 3


def test_an_activity_not_yet_held_cannot_be_ticked(
    client_of: Any, cast: Any, officer_a: Any
) -> None:
    """Ticking people present at next month's dialogue counted them as reached in advance."""
    soon = timezone.localdate() + timedelta(days=20)
    activity = services.activity_create(
        actor=None,
        unit=cast.unit_a,
        values={"kind": ActivityKind.DIALOGUE, "title": "Đối thoại quý tới", "held_on": soon},
    )
    member = f.member(cast.unit_a, full_name="Phạm Văn Đức")
    response = client_of(officer_a).post(
        f"/hoat-dong/{activity.pk}/diem-danh/",
        {"shown": [member.pk], "present": [member.pk]},
        follow=True,
    )
    assert "chưa diễn ra" in response.content.decode()
    assert soon.strftime("%d/%m/%Y") in response.content.decode()
    assert not Attendance.objects.exists()
