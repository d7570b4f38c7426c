"""Demo data: the union tree of Phú Xuyên (fictional enterprises, real place names), people and logins."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.orgs import services
from congdoan.orgs.models import (
    Appointment,
    Gender,
    Level,
    Member,
    Membership,
    Position,
    SiteSettings,
    Unit,
    UnitKind,
)
from congdoan.orgs.site import set_home_unit

DEMO_PASSWORD = "congdoan2026"

LEVELS = [
    ("tong-lien-doan", "Tổng Liên đoàn", 0, False),
    ("lien-doan-tinh", "Liên đoàn Lao động tỉnh, thành phố", 1, False),
    ("cap-tren-co-so", "Công đoàn cấp trên trực tiếp cơ sở", 2, False),
    ("co-so", "Công đoàn cơ sở", 3, True),
]

POSITIONS = [
    ("chu-tich", "Chủ tịch", True, True, 1),
    ("pho-chu-tich", "Phó Chủ tịch", True, True, 2),
    ("uy-vien-btv", "Ủy viên Ban Thường vụ", False, True, 3),
    ("uy-vien-bch", "Ủy viên Ban Chấp hành", False, False, 4),
    ("chanh-van-phong", "Chánh Văn phòng", False, False, 5),
    ("can-bo-chuyen-trach", "Cán bộ chuyên trách", False, False, 6),
    ("to-truong", "Tổ trưởng công đoàn", False, False, 7),
]

# (code, name, kind, members, employer)
GRASSROOTS = [
    (
        "PX-UBND",
        "Công đoàn cơ quan Ủy ban nhân dân huyện Phú Xuyên",
        UnitKind.STATE_BODY,
        85,
        "UBND huyện Phú Xuyên",
    ),
    (
        "PX-BVDK",
        "Công đoàn Bệnh viện Đa khoa huyện Phú Xuyên",
        UnitKind.HEALTH,
        320,
        "Bệnh viện Đa khoa huyện Phú Xuyên",
    ),
    (
        "PX-TTYT",
        "Công đoàn Trung tâm Y tế huyện Phú Xuyên",
        UnitKind.HEALTH,
        140,
        "Trung tâm Y tế huyện Phú Xuyên",
    ),
    (
        "PX-THPTPX-A",
        "Công đoàn Trường THPT Phú Xuyên A",
        UnitKind.SCHOOL,
        92,
        "Trường THPT Phú Xuyên A",
    ),
    (
        "PX-THPTPX-B",
        "Công đoàn Trường THPT Phú Xuyên B",
        UnitKind.SCHOOL,
        78,
        "Trường THPT Phú Xuyên B",
    ),
    (
        "PX-THCS-PHUMINH",
        "Công đoàn Trường THCS Phú Minh",
        UnitKind.SCHOOL,
        34,
        "Trường THCS Phú Minh",
    ),
    (
        "PX-TH-HONGMINH",
        "Công đoàn Trường Tiểu học Hồng Minh",
        UnitKind.SCHOOL,
        29,
        "Trường Tiểu học Hồng Minh",
    ),
    (
        "PX-MN-PHUONGDUC",
        "Công đoàn Trường Mầm non Phượng Dực",
        UnitKind.SCHOOL,
        26,
        "Trường Mầm non Phượng Dực",
    ),
    (
        "PX-TH-VANTU",
        "Công đoàn Trường Tiểu học Vân Từ",
        UnitKind.SCHOOL,
        31,
        "Trường Tiểu học Vân Từ",
    ),
    (
        "PX-MN-TRITRUNG",
        "Công đoàn Trường Mầm non Tri Trung",
        UnitKind.SCHOOL,
        8,
        "Trường Mầm non Tri Trung",
    ),
    (
        "PX-UBND-PHUTUC",
        "Công đoàn cơ quan UBND xã Phú Túc",
        UnitKind.STATE_BODY,
        24,
        "UBND xã Phú Túc",
    ),
    (
        "PX-UBND-DAITHANG",
        "Công đoàn cơ quan UBND xã Đại Thắng",
        UnitKind.STATE_BODY,
        22,
        "UBND xã Đại Thắng",
    ),
    (
        "PX-KBNN",
        "Công đoàn Kho bạc Nhà nước Phú Xuyên",
        UnitKind.STATE_BODY,
        15,
        "Kho bạc Nhà nước Phú Xuyên",
    ),
    (
        "PX-DIENLUC",
        "Công đoàn Điện lực Phú Xuyên",
        UnitKind.STATE_ENTERPRISE,
        110,
        "Điện lực Phú Xuyên",
    ),
    (
        "PX-NUOCSACH",
        "Công đoàn Công ty Cổ phần Nước sạch Phú Xuyên",
        UnitKind.STATE_ENTERPRISE,
        64,
        "Công ty CP Nước sạch Phú Xuyên",
    ),
    (
        "PX-MAY-PHUMINH",
        "Công đoàn Công ty TNHH May Phú Minh",
        UnitKind.NON_STATE_ENTERPRISE,
        1250,
        "Công ty TNHH May Phú Minh",
    ),
    (
        "PX-GIAY-DAIXUYEN",
        "Công đoàn Công ty Cổ phần Giày da Đại Xuyên",
        UnitKind.NON_STATE_ENTERPRISE,
        860,
        "Công ty CP Giày da Đại Xuyên",
    ),
    (
        "PX-COKHI-CAUGIAT",
        "Công đoàn Công ty TNHH Cơ khí Cầu Giát",
        UnitKind.NON_STATE_ENTERPRISE,
        145,
        "Công ty TNHH Cơ khí Cầu Giát",
    ),
    (
        "PX-GO-CHUYENMY",
        "Công đoàn Công ty TNHH Mỹ nghệ Chuyên Mỹ",
        UnitKind.NON_STATE_ENTERPRISE,
        58,
        "Công ty TNHH Mỹ nghệ Chuyên Mỹ",
    ),
    (
        "PX-XAYDUNG-NAMPHONG",
        "Công đoàn Công ty Cổ phần Xây dựng Nam Phong",
        UnitKind.NON_STATE_ENTERPRISE,
        72,
        "Công ty CP Xây dựng Nam Phong",
    ),
    (
        "PX-THUCPHAM-HOANGLONG",
        "Công đoàn Công ty TNHH Thực phẩm Hoàng Long",
        UnitKind.NON_STATE_ENTERPRISE,
        210,
        "Công ty TNHH Thực phẩm Hoàng Long",
    ),
    (
        "PX-VANTAI-QUANGTRUNG",
        "Công đoàn Hợp tác xã Vận tải Quang Trung",
        UnitKind.COOPERATIVE,
        19,
        "HTX Vận tải Quang Trung",
    ),
    (
        "PX-BAOBI-TANDAN",
        "Công đoàn Công ty TNHH Bao bì Tân Dân",
        UnitKind.NON_STATE_ENTERPRISE,
        96,
        "Công ty TNHH Bao bì Tân Dân",
    ),
    (
        "PX-DIENTU-HANVIET",
        "Công đoàn Công ty TNHH Điện tử Hàn Việt",
        UnitKind.FDI_ENTERPRISE,
        2000,
        "Công ty TNHH Điện tử Hàn Việt (Hàn Quốc)",
    ),
    (
        "PX-MAY-YOUNGSUN",
        "Công đoàn Công ty TNHH Young Sun Vina",
        UnitKind.FDI_ENTERPRISE,
        1480,
        "Công ty TNHH Young Sun Vina (Hàn Quốc)",
    ),
    (
        "PX-NHUA-TOKAI",
        "Công đoàn Công ty TNHH Nhựa Tokai Việt Nam",
        UnitKind.FDI_ENTERPRISE,
        430,
        "Công ty TNHH Nhựa Tokai Việt Nam (Nhật Bản)",
    ),
    (
        "PX-LINHKIEN-HUAXIN",
        "Công đoàn Công ty TNHH Linh kiện Hoa Tân",
        UnitKind.FDI_ENTERPRISE,
        690,
        "Công ty TNHH Linh kiện Hoa Tân (Trung Quốc)",
    ),
    (
        "PX-DET-SONHA",
        "Công đoàn Công ty TNHH Dệt may Sơn Hà",
        UnitKind.NON_STATE_ENTERPRISE,
        380,
        "Công ty TNHH Dệt may Sơn Hà",
    ),
    (
        "PX-NGANHANG-AGRI",
        "Công đoàn Ngân hàng Nông nghiệp chi nhánh Phú Xuyên",
        UnitKind.STATE_ENTERPRISE,
        48,
        "Agribank chi nhánh Phú Xuyên",
    ),
    (
        "PX-TTVH",
        "Công đoàn Trung tâm Văn hóa, Thông tin và Thể thao huyện",
        UnitKind.STATE_BODY,
        21,
        "Trung tâm VH-TT-TT huyện Phú Xuyên",
    ),
    (
        "PX-CHANNUOI-KHAITHAI",
        "Công đoàn Công ty TNHH Chăn nuôi Khai Thái",
        UnitKind.NON_STATE_ENTERPRISE,
        40,
        "Công ty TNHH Chăn nuôi Khai Thái",
    ),
    (
        "PX-LOGISTICS-PHUYEN",
        "Công đoàn Công ty Cổ phần Logistics Phú Yên",
        UnitKind.NON_STATE_ENTERPRISE,
        125,
        "Công ty CP Logistics Phú Yên",
    ),
    (
        "PX-CONGTHUONG-MINHTAN",
        "Công đoàn Công ty TNHH Gốm sứ Minh Tân",
        UnitKind.NON_STATE_ENTERPRISE,
        11,
        "Công ty TNHH Gốm sứ Minh Tân",
    ),
]

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE_F = ["Thị", "Thu", "Thanh", "Ngọc", "Minh", "Thị Thu", "Hồng"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân"]
GIVEN_F = [
    "Hoa",
    "Lan",
    "Hương",
    "Mai",
    "Hạnh",
    "Trang",
    "Thảo",
    "Linh",
    "Nga",
    "Yến",
    "Dung",
    "Huyền",
]
GIVEN_M = [
    "Hùng",
    "Dũng",
    "Nam",
    "Tuấn",
    "Sơn",
    "Long",
    "Hải",
    "Thắng",
    "Quân",
    "Đạt",
    "Phúc",
    "Bình",
]


def _name(rng: random.Random, gender: str) -> str:
    if gender == Gender.FEMALE:
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"


DEMO_LOGINS = [
    # (username, full name, role description, unit code, position code, is_office)
    ("admin@congdoan.vn", "Quản trị hệ thống", "Quản trị hệ thống", None, None, False),
    (
        "vanphong@ldldphuxuyen.vn",
        "Nguyễn Thị Hồng Vân",
        "Cán bộ Văn phòng LĐLĐ huyện",
        "PX",
        "chanh-van-phong",
        True,
    ),
    (
        "thuongvu@ldldphuxuyen.vn",
        "Trần Văn Thường",
        "Phó Chủ tịch LĐLĐ huyện",
        "PX",
        "pho-chu-tich",
        False,
    ),
    (
        "cdcs.mayphuminh@gmail.com",
        "Lê Thị Minh",
        "Chủ tịch CĐCS Công ty TNHH May Phú Minh",
        "PX-MAY-PHUMINH",
        "chu-tich",
        False,
    ),
    (
        "cdcs.hanviet@gmail.com",
        "Phạm Đức Việt",
        "Chủ tịch CĐCS Công ty TNHH Điện tử Hàn Việt",
        "PX-DIENTU-HANVIET",
        "chu-tich",
        False,
    ),
    (
        "0912345678",
        "Hoàng Thị Lan",
        "Đoàn viên Công ty TNHH May Phú Minh",
        "PX-MAY-PHUMINH",
        None,
        False,
    ),
]


@transaction.atomic
def seed(stdout: Any = None) -> None:
    if Unit.objects.filter(code="PX").exists():
        if stdout:
            stdout.write("  (đã có cây tổ chức Phú Xuyên — bỏ qua)")
        _home(Unit.objects.get(code="PX"))
        return
    rng = random.Random(2026)
    levels = {
        code: Level.objects.get_or_create(
            code=code, defaults={"name": name, "rank": rank, "is_grassroots": grass}
        )[0]
        for code, name, rank, grass in LEVELS
    }
    for code, name, leader, btv, rank in POSITIONS:
        Position.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_leader": leader,
                "is_standing_committee": btv,
                "rank": rank,
            },
        )
    # The city's tree as it has been since Hà Tây (with Phú Xuyên and Thường Tín) joined Hà Nội.
    founded = date(2008, 8, 1)
    tld = _unit(
        code="TLD",
        name="Tổng Liên đoàn Lao động Việt Nam",
        level=levels["tong-lien-doan"],
        parent=None,
        kind=UnitKind.FEDERATION,
        founded=date(1929, 7, 28),
    )
    hn = _unit(
        code="HN",
        name="Liên đoàn Lao động Thành phố Hà Nội",
        short_name="LĐLĐ TP Hà Nội",
        level=levels["lien-doan-tinh"],
        parent=tld,
        kind=UnitKind.FEDERATION,
        founded=founded,
    )
    px = _unit(
        code="PX",
        name="Liên đoàn Lao động huyện Phú Xuyên",
        short_name="LĐLĐ huyện Phú Xuyên",
        level=levels["cap-tren-co-so"],
        parent=hn,
        kind=UnitKind.FEDERATION,
        address="Thị trấn Phú Xuyên, Hà Nội",
        founded=founded,
    )
    tt = _unit(
        code="TT",
        name="Liên đoàn Lao động huyện Thường Tín",
        short_name="LĐLĐ huyện Thường Tín",
        level=levels["cap-tren-co-so"],
        parent=hn,
        kind=UnitKind.FEDERATION,
        founded=founded,
    )
    units: dict[str, Unit] = {}
    for code, name, kind, count, employer in GRASSROOTS:
        units[code] = _unit(
            code=code,
            name=name,
            level=levels["co-so"],
            parent=px,
            kind=kind,
            employer_name=employer,
            workers_count=int(count * 1.15),
            founded=_founding(kind, rng),
        )
        _members(units[code], count, rng)
    for code, name, kind, count in [
        (
            "TT-MAY-HANOI",
            "Công đoàn Công ty TNHH May Hà Nội Thường Tín",
            UnitKind.NON_STATE_ENTERPRISE,
            300,
        ),
        ("TT-THPT", "Công đoàn Trường THPT Thường Tín", UnitKind.SCHOOL, 70),
    ]:
        u = _unit(
            code=code,
            name=name,
            level=levels["co-so"],
            parent=tt,
            kind=kind,
            employer_name=name.replace("Công đoàn ", ""),
            founded=_founding(kind, rng),
        )
        _members(u, count, rng)
    # History the demo can show: a school union merged in 2025, a unit moved between districts.
    old_school = _unit(
        code="PX-TH-TRITHUY",
        name="Công đoàn Trường Tiểu học Tri Thủy",
        level=levels["co-so"],
        parent=px,
        kind=UnitKind.SCHOOL,
        founded=date(1998, 9, 5),
    )
    _members(old_school, 18, rng)
    services.unit_merge(
        actor=None, source=old_school, target=units["PX-TH-HONGMINH"], on_date=date(2025, 7, 1)
    )
    moved = _unit(
        code="PX-CAPNUOC-TT",
        name="Công đoàn Xí nghiệp Cấp nước Thường Tín - Phú Xuyên",
        level=levels["co-so"],
        parent=tt,
        kind=UnitKind.STATE_ENTERPRISE,
        founded=date(2011, 4, 12),
    )
    _members(moved, 35, rng)
    services.unit_move(actor=None, unit=moved, new_parent=px, on_date=date(2025, 7, 1))

    _home(px)
    positions = {p.code: p for p in Position.objects.all()}
    all_units = {u.code: u for u in Unit.objects.all()}
    for username, full_name, _role, unit_code, position_code, is_office in DEMO_LOGINS:
        is_phone = username.isdigit()
        user = User.objects.create_user(
            username,
            DEMO_PASSWORD,
            full_name=full_name,
            email=None if is_phone else username,
            phone="+84" + username[1:] if is_phone else None,
            is_superuser=unit_code is None,
            is_staff=unit_code is None,
        )
        if unit_code and position_code:
            services.appointment_create(
                actor=None,
                unit=all_units[unit_code],
                position=positions[position_code],
                full_name=full_name,
                user=user,
                is_office=is_office,
                started_on=date(2023, 1, 1),
            )
        elif unit_code:
            services.member_create(
                actor=None,
                unit=all_units[unit_code],
                full_name=full_name,
                gender=Gender.FEMALE,
                user=user,
                phone=user.phone or "",
                card_number="PX-DV-000001",
                joined_on=date(2019, 3, 8),
                date_of_birth=date(1995, 5, 12),
                audit=False,
            )
    # Committee members without logins, so every unit has officers to show.
    for code, unit in all_units.items():
        if not unit.is_active or (unit.level.is_grassroots is False and code not in {"PX", "TT"}):
            continue
        for pos in ("chu-tich", "pho-chu-tich", "uy-vien-bch"):
            if Appointment.objects.filter(unit=unit, position=positions[pos]).exists():
                continue
            gender = rng.choice([Gender.FEMALE, Gender.MALE])
            Appointment.objects.create(
                unit=unit,
                position=positions[pos],
                full_name=_name(rng, gender),
                manages=False,
                started_on=date(2023, 1, 1),
            )


DEMO_HOTLINE = "0243 385 0000"  # fictional


def _home(px: Unit) -> None:
    """This deployment is run by LĐLĐ huyện Phú Xuyên: concerns with no known union go there."""
    row = SiteSettings.objects.filter(pk=1).first()
    if row is None or row.home_unit_id is None:
        set_home_unit(px, hotline_number=(row.hotline if row and row.hotline else DEMO_HOTLINE))


# When grassroots unions of each kind were founded (years, from-to): schools, hospitals and
# offices long ago, enterprises as the industrial zones filled up.
FOUNDED_YEARS: dict[str, tuple[int, int]] = {
    UnitKind.STATE_BODY: (1992, 2005),
    UnitKind.SCHOOL: (1990, 2008),
    UnitKind.HEALTH: (1995, 2006),
    UnitKind.STATE_ENTERPRISE: (2000, 2012),
    UnitKind.COOPERATIVE: (2009, 2016),
    UnitKind.FDI_ENTERPRISE: (2012, 2020),
    UnitKind.NON_STATE_ENTERPRISE: (2006, 2021),
}


def _unit(*, founded: date, **fields: Any) -> Unit:
    """A unit created by the demo (no actor), its history starting on the day it was founded."""
    return services.unit_create(actor=None, founded_on=founded, on_date=founded, **fields)


def _founding(kind: str, rng: random.Random) -> date:
    """The founding day of a grassroots union: a past date, by its kind."""
    first, last = FOUNDED_YEARS.get(kind, (2005, 2018))
    return date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))


def _birth_and_joining(rng: random.Random, founded: date | None, today: date) -> tuple[date, date]:
    """A working-age member: 19-60, most 20-45; joined the union after turning 18, after the
    union was founded, and before today."""
    age = rng.randint(20, 45) if rng.random() < 0.82 else rng.choice([19, *range(46, 60)])
    born = date(today.year - age - 1, today.month, min(today.day, 28)) + timedelta(
        days=rng.randint(1, 364)
    )
    earliest = max(
        born + timedelta(days=18 * 366), founded or date(2008, 1, 1)
    )  # 18 years, and a few days
    latest = today - timedelta(days=14)
    # Most joined in the last few years (people change jobs), some long ago.
    span = max((latest - earliest).days, 0)
    joined = latest - timedelta(days=int(span * rng.random() ** 1.6))
    return born, max(joined, earliest)


def _members(unit: Unit, count: int, rng: random.Random) -> None:
    rows = []
    today = timezone.localdate()
    for i in range(count):
        gender = Gender.FEMALE if rng.random() < 0.6 else Gender.MALE
        born, joined = _birth_and_joining(rng, unit.founded_on, today)
        rows.append(
            Member(
                unit=unit,
                full_name=_name(rng, gender),
                gender=gender,
                date_of_birth=born,
                joined_on=joined,
                card_number=f"{unit.code}-{i + 1:05d}",
                phone=f"+849{rng.randint(10000000, 99999999)}" if rng.random() < 0.7 else "",
            )
        )
    Member.objects.bulk_create(rows, batch_size=1000)
    # Each member's period in the union, as member_create writes it, in bulk too.
    Membership.objects.bulk_create(
        [
            Membership(member_id=pk, unit=unit, joined_on=joined)
            for pk, joined in Member.objects.filter(
                unit=unit, memberships__isnull=True
            ).values_list("pk", "joined_on")
        ],
        batch_size=1000,
    )


def print_logins(stdout: Any) -> None:
    if not stdout:
        return
    stdout.write("")
    stdout.write(f"  Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
    for username, _full_name, role, *_rest in DEMO_LOGINS:
        stdout.write(f"    {username:<32} {role}")
