"""Demo activities of LĐLĐ huyện Phú Xuyên, 2023 to the present (all dated in the past).

What a district really records: each grassroots union holds a few direct communication
activities a year (the workers' conference early in the year, dialogues, talks on the Labour
Code and social insurance, campaign events in May and around 28 July), a few miss the duty of
two in the current year; Tết Sum vầy every January with gifts, "Mái ấm Công đoàn" houses and
hardship support with their sums; attendance for a realistic share of the activities (about
half the sign-in sheets of the last two years typed in, fewer before: members reached through
attendance alone grow from about 40 % in 2023 to about 60 % this year). The district gives
articles to the press and gets coverage; units submit good examples that go up to the city. Training for leaders (the district's
courses on press relations, social media, infographics and video, communication incidents,
monitoring software) with certificates. Fanpages for most units, two of them silent for
months; Zalo OA, the district's website, union rooms for unions of 100+ members, bulletin
boards; posts a day for the last four months; budgets for every year.

Committee members the orgs demo created without a member record get one (same name, same
union), so that leaders' training counts. Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceSource,
    Budget,
    Channel,
    ChannelKind,
    Course,
    CourseTopic,
    ExampleKind,
    ExampleStatus,
    GoodExample,
    GoodExampleStep,
    PostSource,
    PresenceLog,
    PressItem,
    PressKind,
    TrainingAttendance,
    TrainingSession,
)
from congdoan.orgs.models import Appointment, Level, Member, Unit, UnitKind

FIRST_YEAR = 2023
# Two unions whose fanpage went quiet (the presence page flags them).
SILENT = {"PX-THCS-PHUMINH", "PX-TTYT"}
# The demo chairs' unions: their reports speak of their fanpage, so they have one.
WITH_PAGE = {"PX-MAY-PHUMINH", "PX-DIENTU-HANVIET"}
# A few unions that held fewer than two activities this year (the duty not met yet).
BEHIND = {"PX-TH-HONGMINH", "PX-THCS-PHUMINH"}

TITLES: dict[str, list[str]] = {
    ActivityKind.CONFERENCE: [
        "Hội nghị người lao động năm {y}",
        "Hội nghị cán bộ, công chức, viên chức năm {y}",
        "Hội nghị phổ biến Bộ luật Lao động và Luật Công đoàn {y}",
    ],
    ActivityKind.DIALOGUE: [
        "Đối thoại định kỳ giữa người sử dụng lao động và người lao động {y}",
        "Đối thoại về tiền lương, thưởng Tết {y}",
        "Đối thoại về điều kiện làm việc và bữa ăn ca",
    ],
    ActivityKind.TALK: [
        "Nói chuyện chuyên đề: chính sách bảo hiểm xã hội mới",
        "Tọa đàm: phòng chống tin giả trên mạng xã hội",
        "Nói chuyện chuyên đề: an toàn, vệ sinh lao động",
        "Tọa đàm: phụ nữ với công việc và gia đình",
    ],
    ActivityKind.CAMPAIGN: [
        "Lễ phát động Tháng Công nhân {y}",
        "Mít tinh kỷ niệm ngày thành lập Công đoàn Việt Nam 28/7",
        "Phát động Tháng hành động về an toàn, vệ sinh lao động {y}",
    ],
}
# Enterprises hold a "Hội nghị người lao động" and dialogue with the employer; state bodies,
# schools and hospitals hold a "Hội nghị cán bộ, công chức, viên chức" and have no employer
# nor shift meals: the same drawn title is worded for the kind of unit.
ENTERPRISES = {
    UnitKind.STATE_ENTERPRISE,
    UnitKind.NON_STATE_ENTERPRISE,
    UnitKind.FDI_ENTERPRISE,
    UnitKind.COOPERATIVE,
}
FOR_PUBLIC_SECTOR = {
    "Hội nghị người lao động năm {y}": "Hội nghị cán bộ, công chức, viên chức năm {y}",
    "Đối thoại định kỳ giữa người sử dụng lao động và người lao động {y}": (
        "Đối thoại giữa người đứng đầu đơn vị với cán bộ, viên chức {y}"
    ),
    "Đối thoại về tiền lương, thưởng Tết {y}": "Đối thoại về chế độ, chính sách năm {y}",
    "Đối thoại về điều kiện làm việc và bữa ăn ca": (
        "Đối thoại về điều kiện làm việc của cán bộ, viên chức"
    ),
}
FOR_ENTERPRISE = {
    "Hội nghị cán bộ, công chức, viên chức năm {y}": "Hội nghị người lao động năm {y}",
}


def _title(drawn: str, unit: Unit) -> str:
    """The drawn title as the kind of unit would word it."""
    if unit.kind in ENTERPRISES:
        return FOR_ENTERPRISE.get(drawn, drawn)
    return FOR_PUBLIC_SECTOR.get(drawn, drawn)


# Months each kind is usually held in.
MONTHS = {
    ActivityKind.CONFERENCE: [1, 2, 3],
    ActivityKind.DIALOGUE: [4, 6, 9, 11],
    ActivityKind.TALK: [3, 5, 8, 10, 11],
    ActivityKind.CAMPAIGN: [5, 7],
}

COURSES = [
    ("Kỹ năng làm việc với báo chí cho cán bộ công đoàn", CourseTopic.PRESS),
    ("Sử dụng mạng xã hội trong công tác tuyên truyền", CourseTopic.SOCIAL),
    ("Thiết kế infographic và dựng video ngắn", CourseTopic.MEDIA),
    ("Xử lý sự cố truyền thông và tin giả", CourseTopic.INCIDENT),
    ("Sử dụng phần mềm theo dõi thông tin trên mạng", CourseTopic.MONITORING),
]

OUTLETS = [
    "Báo Lao Động",
    "Báo Hà Nội Mới",
    "Đài Phát thanh huyện Phú Xuyên",
    "Báo Kinh tế & Đô thị",
]
PRESS_TITLES = [
    "{u} chăm lo Tết cho người lao động",
    "Phú Xuyên: đối thoại giúp giải quyết kiến nghị của công nhân",
    "Mái ấm Công đoàn trao tặng đoàn viên khó khăn",
    "Phong trào thi đua lao động giỏi tại {u}",
    "Tháng Công nhân: nhiều hoạt động thiết thực ở Phú Xuyên",
]
EXAMPLES = [
    ("Mô hình “Bữa cơm công đoàn” tại bếp ăn ca", ExampleKind.MODEL),
    ("Mô hình “Tủ sách công nhân” ở khu nhà trọ", ExampleKind.MODEL),
    ("Mô hình “Zalo tổ công đoàn” báo tin nhanh cho đoàn viên", ExampleKind.MODEL),
    ("Chị tổ trưởng chuyền may mười năm liền lao động giỏi", ExampleKind.PERSON),
    ("Thầy giáo vùng bãi tận tụy với học sinh nghèo", ExampleKind.PERSON),
    ("Điều dưỡng trưởng khoa Nhi với sáng kiến giảm tải", ExampleKind.PERSON),
    ("Mô hình “Chợ Tết Công đoàn” bán hàng bình ổn giá", ExampleKind.MODEL),
    ("Mô hình “Ngày thứ bảy an toàn” trong xưởng cơ khí", ExampleKind.MODEL),
]


# The months a press story is about (Tết in January–February, the Workers' Month in May).
PRESS_MONTHS = {"Tết": (1, 2), "Tháng Công nhân": (5,)}
# Who can send which example: a shift canteen or a workers' hostel is an enterprise's, a
# nurse a hospital's, a teacher a school's, a sewing-line leader a garment maker's.
EXAMPLE_FITS: dict[str, Callable[[Unit], bool]] = {
    "bếp ăn ca": lambda u: u.kind in ENTERPRISES,
    "khu nhà trọ": lambda u: u.kind in ENTERPRISES,
    "chuyền may": lambda u: "may" in u.name.lower().split(),
    "Thầy giáo": lambda u: u.kind == UnitKind.SCHOOL,
    "Điều dưỡng": lambda u: u.kind == UnitKind.HEALTH,
    "xưởng cơ khí": lambda u: "cơ khí" in u.name.lower(),
}


def _press_day(title: str, drawn: date, today: date) -> date | None:
    """The drawn day moved into the months the story is about (the same day of the month)."""
    for word, months in PRESS_MONTHS.items():
        if word in title and drawn.month not in months:
            moved = drawn.replace(month=months[drawn.day % len(months)])
            return moved if moved < today else None
    return drawn


def _example_unit(title: str, drawn: Unit, units: list[Unit]) -> Unit:
    """The drawn unit when the example suits it, else one that it suits."""
    fits = next((f for word, f in EXAMPLE_FITS.items() if word in title), None)
    if fits is None or fits(drawn):
        return drawn
    suited = [u for u in units if fits(u)]
    return suited[len(title) % len(suited)] if suited else drawn


def _day(rng: random.Random, year: int, months: list[int], today: date) -> date | None:
    """A day in one of `months` of `year`, before today (None when that is not possible)."""
    month = rng.choice(months)
    day = date(year, month, rng.randint(1, 28))
    return day if day < today else None


def seed(stdout: Any = None) -> None:
    px = Unit.objects.filter(code="PX").first()
    if px is None:
        return
    if Activity.objects.filter(unit__path__startswith=px.path).exists():
        if stdout:
            stdout.write("  (đã có hoạt động Phú Xuyên — bỏ qua)")
        return
    with transaction.atomic():
        _seed(px)


def _seed(px: Unit) -> None:
    rng = random.Random(2026)
    today = timezone.localdate()
    units = list(
        Unit.objects.filter(path__startswith=px.path, is_active=True, level__is_grassroots=True)
        .select_related("level")
        .order_by("path")
    )
    member_ids = {
        u.pk: list(Member.objects.filter(unit=u, left_on=None).values_list("pk", flat=True))
        for u in units
    }
    _activities(rng, px, units, member_ids, today)
    _press(rng, px, units, today)
    _examples(rng, px, units, today)
    _training(rng, px, units, today)
    _presence(rng, px, units, member_ids, today)
    _budgets(rng, px, units, member_ids, today)


def _activities(
    rng: random.Random, px: Unit, units: list[Unit], member_ids: dict[int, list[int]], today: date
) -> None:
    for year in range(FIRST_YEAR, today.year + 1):
        for unit in units:
            members = member_ids[unit.pk]
            size = max(len(members), 10)
            wanted = 1 if unit.code in BEHIND and year == today.year else rng.randint(2, 5)
            kinds = [
                ActivityKind.CONFERENCE,
                *rng.choices(
                    [ActivityKind.DIALOGUE, ActivityKind.TALK, ActivityKind.CAMPAIGN],
                    weights=[3, 4, 2],
                    k=wanted - 1,
                ),
            ]
            for kind in kinds:
                held_on = _day(rng, year, MONTHS[kind], today)
                if held_on is None:
                    continue
                participants = int(size * rng.uniform(0.3, 0.75))
                activity = Activity.objects.create(
                    unit=unit,
                    kind=kind,
                    title=_title(rng.choice(TITLES[kind]), unit).format(y=year),
                    held_on=held_on,
                    place=rng.choice(["Hội trường đơn vị", "Nhà văn hóa", "Phòng họp tầng 2"]),
                    participants=participants,
                    amount_vnd=rng.choice([0, 0, 2, 3, 5]) * 1_000_000,
                )
                # About half the sign-in sheets are typed in these last two years, fewer before.
                # The demo chairs' unions type every sheet (their reports show who was reached).
                typed = rng.random() < (0.45 if year >= 2025 else 0.25)
                if members and (typed or unit.code in WITH_PAGE):
                    present = rng.sample(members, min(len(members), participants))
                    source = rng.choice([AttendanceSource.SHEET, AttendanceSource.PHONE])
                    Attendance.objects.bulk_create(
                        [
                            Attendance(activity=activity, member_id=m, source=source)
                            for m in present
                        ],
                        batch_size=1000,
                    )
            # Support activities with their numbers.
            tet = _day(rng, year, [1, 2] if year < today.year else [1], today)
            if tet and rng.random() < 0.7:
                helped = rng.randint(8, max(10, size // 6))
                Activity.objects.create(
                    unit=unit,
                    kind=ActivityKind.TET,
                    title=f"Tết Sum vầy – Xuân {year}",
                    held_on=tet,
                    participants=helped,
                    beneficiaries=helped,
                    amount_vnd=helped * rng.choice([500_000, 700_000, 1_000_000]),
                )
            if rng.random() < 0.12:
                when = _day(rng, year, [8, 9, 10, 11], today)
                if when:
                    Activity.objects.create(
                        unit=unit,
                        kind=ActivityKind.HOUSE,
                        title="Trao Mái ấm Công đoàn cho đoàn viên khó khăn về nhà ở",
                        held_on=when,
                        beneficiaries=1,
                        amount_vnd=rng.choice([50, 60, 70]) * 1_000_000,
                    )
            if rng.random() < 0.3:
                when = _day(rng, year, [4, 6, 10], today)
                if when:
                    helped = rng.randint(1, 6)
                    Activity.objects.create(
                        unit=unit,
                        kind=ActivityKind.HARDSHIP,
                        title="Thăm hỏi, hỗ trợ đoàn viên ốm đau, hoàn cảnh khó khăn",
                        held_on=when,
                        beneficiaries=helped,
                        amount_vnd=helped * 2_000_000,
                    )
        # The district's own: the conference of its reporters, talks for the whole district.
        for title, months in (
            ("Hội nghị báo cáo viên, tuyên truyền viên công đoàn {y}", [3]),
            ("Hội nghị đối thoại giữa Chủ tịch UBND huyện với công nhân lao động {y}", [5]),
            ("Tọa đàm kỷ niệm ngày thành lập Công đoàn Việt Nam 28/7/{y}", [7]),
        ):
            when = _day(rng, year, months, today)
            if when:
                Activity.objects.create(
                    unit=px,
                    kind=ActivityKind.CONFERENCE if "Hội nghị" in title else ActivityKind.TALK,
                    title=title.format(y=year),
                    held_on=when,
                    place="Hội trường LĐLĐ huyện",
                    participants=rng.randint(90, 200),
                    amount_vnd=rng.randint(5, 15) * 1_000_000,
                )


def _press(rng: random.Random, px: Unit, units: list[Unit], today: date) -> None:
    for year in range(FIRST_YEAR, today.year + 1):
        for _ in range(rng.randint(8, 14)):
            when = _day(rng, year, list(range(1, 13)), today)
            if when is None:
                continue
            unit = px if rng.random() < 0.6 else rng.choice(units)
            kind = rng.choices(
                [PressKind.ARTICLE, PressKind.COVERAGE, PressKind.VISIT], weights=[5, 4, 1]
            )[0]
            outlet = rng.choice(OUTLETS)
            title = rng.choice(PRESS_TITLES).format(u=unit.short_name or unit.name)
            on = _press_day(title, when, today)
            if on is None:
                continue
            PressItem.objects.create(
                unit=unit,
                kind=kind,
                outlet=outlet,
                title=title,
                happened_on=on,
                link="https://laodong.vn/cong-doan" if kind == PressKind.COVERAGE else "",
            )


def _examples(rng: random.Random, px: Unit, units: list[Unit], today: date) -> None:
    city = px.parent
    outcomes = [
        ExampleStatus.RECOGNISED,
        ExampleStatus.RECOGNISED,
        ExampleStatus.FORWARDED,
        ExampleStatus.SUBMITTED,
        ExampleStatus.RETURNED,
        ExampleStatus.RECOGNISED,
        ExampleStatus.FORWARDED,
        ExampleStatus.SUBMITTED,
    ]
    for (title, kind), status in zip(EXAMPLES, outcomes, strict=True):
        unit = _example_unit(title, rng.choice(units), units)
        submitted = today - timedelta(days=rng.randint(20, 900))
        holder = city if status in (ExampleStatus.FORWARDED, ExampleStatus.RECOGNISED) else px
        example = GoodExample.objects.create(
            unit=unit,
            kind=kind,
            title=title,
            summary="Đơn vị gửi kèm báo cáo, ảnh và ý kiến của đoàn viên.",
            submitted_on=submitted,
            status=status,
            holder=holder,
        )
        at = timezone.now() - timedelta(days=(today - submitted).days)
        steps: list[tuple[str, Unit, Unit | None, str]] = [(ExampleStatus.SUBMITTED, unit, px, "")]
        if holder == city and city is not None:
            steps.append((ExampleStatus.FORWARDED, px, city, "Đề nghị Ban Tuyên giáo xem xét"))
        if status == ExampleStatus.RECOGNISED and city is not None:
            steps.append((ExampleStatus.RECOGNISED, city, None, "Đưa vào chuyên mục gương sáng"))
        if status == ExampleStatus.RETURNED:
            steps.append((ExampleStatus.RETURNED, px, None, "Bổ sung số liệu và ảnh hoạt động"))
        for i, (st, by, to, note) in enumerate(steps):
            GoodExampleStep.objects.create(
                example=example,
                status=st,
                by_unit=by,
                to_unit=to,
                note=note,
                at=at + timedelta(days=7 * i),
            )


def _leaders(units: list[Unit], px: Unit) -> list[tuple[Member, Unit]]:
    """Each leader (chair, vice-chair) of the district and its unions as a member record."""
    rows: list[tuple[Member, Unit]] = []
    appointments = Appointment.objects.filter(
        unit__in=[px, *units], position__is_leader=True, ended_on=None
    ).select_related("unit", "member")
    for n, appt in enumerate(appointments.order_by("unit__path", "id"), start=1):
        member = appt.member
        if member is None:
            member = Member.objects.create(
                unit=appt.unit,
                full_name=appt.full_name,
                card_number=f"{appt.unit.code}-CB{n:03d}",
                joined_on=date(2015, 1, 1),
            )
            appt.member = member
            appt.save(update_fields=["member"])
        rows.append((member, appt.unit))
    return rows


def _training(rng: random.Random, px: Unit, units: list[Unit], today: date) -> None:
    grassroots = Level.objects.filter(is_grassroots=True).first()
    leaders = _leaders(units, px)
    number = 0
    for title, topic in COURSES:
        course = Course.objects.create(
            unit=px,
            title=title,
            topic=topic,
            description="Lớp do LĐLĐ huyện tổ chức cho chủ tịch, phó chủ tịch công đoàn cơ sở.",
        )
        for year in range(FIRST_YEAR, today.year + 1):
            if rng.random() < 0.45:
                continue
            when = _day(rng, year, [4, 6, 9, 10], today)
            if when is None:
                continue
            session = TrainingSession.objects.create(
                course=course,
                unit=px,
                held_on=when,
                place="Hội trường LĐLĐ huyện Phú Xuyên",
                level=grassroots,
            )
            chosen = rng.sample(leaders, k=min(len(leaders), rng.randint(10, 24)))
            for member, _unit in chosen:
                number += 1
                certified = rng.random() < 0.8
                TrainingAttendance.objects.get_or_create(
                    session=session,
                    member=member,
                    defaults={
                        "certificate_number": f"PX-{when.year}-{number:04d}" if certified else ""
                    },
                )


def _presence(
    rng: random.Random, px: Unit, units: list[Unit], member_ids: dict[int, list[int]], today: date
) -> None:
    Channel.objects.create(
        unit=px,
        kind=ChannelKind.FANPAGE,
        name="Công đoàn huyện Phú Xuyên",
        url="https://www.facebook.com/congdoanphuxuyen",
        started_on=date(2019, 5, 1),
    )
    Channel.objects.create(
        unit=px,
        kind=ChannelKind.WEBSITE,
        name="Trang thông tin LĐLĐ huyện Phú Xuyên",
        url="https://ldldphuxuyen.vn",
        started_on=date(2021, 1, 1),
    )
    Channel.objects.create(
        unit=px,
        kind=ChannelKind.ZALO,
        name="Zalo OA Công đoàn Phú Xuyên",
        started_on=date(2022, 3, 1),
    )
    with_page = [px]
    for unit in units:
        slug = unit.code.lower().replace("px-", "cd")
        if unit.code in SILENT or rng.random() < 0.8 or unit.code in WITH_PAGE:
            Channel.objects.create(
                unit=unit,
                kind=ChannelKind.FANPAGE,
                name=unit.short_name or unit.name,
                url=f"https://www.facebook.com/{slug}",
                started_on=date(rng.randint(2019, 2024), rng.randint(1, 12), 1),
            )
            with_page.append(unit)
        if rng.random() < 0.3:
            Channel.objects.create(unit=unit, kind=ChannelKind.ZALO, name=f"Zalo {unit.code}")
        if len(member_ids[unit.pk]) >= 100:
            Channel.objects.create(
                unit=unit, kind=ChannelKind.ROOM, name="Phòng sinh hoạt công đoàn"
            )
        if rng.random() < 0.7:
            Channel.objects.create(unit=unit, kind=ChannelKind.BOARD, name="Bảng tin công đoàn")
    logs = []
    for unit in with_page:
        silent = unit.code in SILENT
        last = today - timedelta(days=rng.randint(45, 90)) if silent else today
        source = PostSource.GRAPH if unit == px or rng.random() < 0.5 else PostSource.UNIT
        rate = 0.8 if unit == px else rng.uniform(0.15, 0.5)
        for back in range(120):
            day = today - timedelta(days=back)
            if day > last or rng.random() > rate:
                continue
            logs.append(
                PresenceLog(
                    unit=unit,
                    channel_kind=ChannelKind.FANPAGE,
                    day=day,
                    count=rng.randint(1, 3),
                    source=source,
                )
            )
    PresenceLog.objects.bulk_create(logs, batch_size=1000)


def _budgets(
    rng: random.Random, px: Unit, units: list[Unit], member_ids: dict[int, list[int]], today: date
) -> None:
    rows = []
    for year in range(FIRST_YEAR, today.year + 1):
        rows.append(
            Budget(
                unit=px,
                year=year,
                communication_vnd=rng.randint(180, 260) * 1_000_000,
                total_vnd=rng.randint(1_500, 2_100) * 1_000_000,
            )
        )
        for unit in units:
            total = max(len(member_ids[unit.pk]), 10) * rng.randint(250, 450) * 1_000
            share = rng.uniform(0.05, 0.2)
            rows.append(
                Budget(
                    unit=unit,
                    year=year,
                    communication_vnd=int(total * share) // 1000 * 1000,
                    total_vnd=total,
                )
            )
    Budget.objects.bulk_create(rows)
