"""Factories for the union tree and the standard cast of users."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from congdoan.accounts.models import User
from congdoan.orgs import services
from congdoan.orgs.models import Level, Member, Position, Unit, UnitKind

_seq = itertools.count(1)


def level(code: str = "co-so", rank: int = 3, grassroots: bool = True) -> Level:
    obj, _ = Level.objects.get_or_create(
        code=code, defaults={"name": code, "rank": rank, "is_grassroots": grassroots}
    )
    return obj


def position(code: str = "chu-tich", leader: bool = True) -> Position:
    obj, _ = Position.objects.get_or_create(code=code, defaults={"name": code, "is_leader": leader})
    return obj


def unit(
    parent: Unit | None = None, code: str | None = None, grassroots: bool = True, **kw: Any
) -> Unit:
    lvl = level() if grassroots else level("cap-tren", 2, False)
    n = next(_seq)
    return services.unit_create(
        actor=None,
        code=code or f"U{n}",
        name=kw.pop("name", f"Công đoàn đơn vị {n}"),
        level=lvl,
        parent=parent,
        kind=kw.pop("kind", UnitKind.NON_STATE_ENTERPRISE),
        on_date=kw.pop("on_date", date(2020, 1, 1)),
        **kw,
    )


def user(name: str = "Người dùng", **kw: Any) -> User:
    n = next(_seq)
    return User.objects.create_user(
        f"user{n}@example.vn",
        "mat-khau-rat-dai-123",
        full_name=name,
        email=f"user{n}@example.vn",
        **kw,
    )


def officer(of: Unit, is_office: bool = False, name: str = "Cán bộ") -> User:
    u = user(name)
    services.appointment_create(
        actor=None,
        unit=of,
        position=position(),
        full_name=name,
        user=u,
        is_office=is_office,
        started_on=date(2020, 1, 1),
    )
    return u


def member(of: Unit, with_login: bool = False, **kw: Any) -> Member:
    n = next(_seq)
    m = Member.objects.create(
        unit=of, full_name=kw.pop("full_name", f"Đoàn viên {n}"), card_number=f"C{n}", **kw
    )
    if with_login:
        m.user = user(m.full_name)
        m.save(update_fields=["user"])
    return m


@dataclass
class CastFactory:
    city: Unit
    district: Unit
    unit_a: Unit
    unit_b: Unit
    other_district: Unit
    admin: User
    district_officer: User
    officer_a: User
    officer_b: User
    member_user: User
    member_a: Member
    member_b: Member

    @classmethod
    def build(cls) -> CastFactory:
        city = unit(code="HN", name="LĐLĐ Thành phố Hà Nội", grassroots=False)
        district = unit(city, code="PX", name="LĐLĐ huyện Phú Xuyên", grassroots=False)
        other = unit(city, code="TT", name="LĐLĐ huyện Thường Tín", grassroots=False)
        unit_a = unit(
            district, code="PX-A", name="Công đoàn Công ty May A", employer_name="Công ty May A"
        )
        unit_b = unit(
            district,
            code="PX-B",
            name="Công đoàn Công ty Điện tử B",
            employer_name="Công ty Điện tử B",
        )
        admin = User.objects.create_superuser(
            "admin@example.vn",
            "mat-khau-rat-dai-123",
            full_name="Quản trị",
            email="admin@example.vn",
        )
        m = member(unit_a, with_login=True, full_name="Nguyễn Thị Lan")
        assert m.user is not None
        return cls(
            city=city,
            district=district,
            unit_a=unit_a,
            unit_b=unit_b,
            other_district=other,
            admin=admin,
            district_officer=officer(district, is_office=True, name="Cán bộ Văn phòng"),
            officer_a=officer(unit_a, name="Chủ tịch CĐ A"),
            officer_b=officer(unit_b, name="Chủ tịch CĐ B"),
            member_user=m.user,
            member_a=m,
            member_b=member(unit_b, full_name="Trần Văn Bình"),
        )
