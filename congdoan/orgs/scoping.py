"""The primitives of access: whose scope is what, and the filters that keep a query inside it.

The only module that reads appointments to decide access. `scope_for(user)` is the viewer's
`Scope`: a system administrator (superuser) covers the whole tree; an officer (a current
`Appointment` with `manages` and a login) the subtree of each unit they are appointed to, and,
when they work in its Office (`is_office`, above the grassroots), that subtree's Office paths;
a member their own record; an anonymous visitor nothing. `unit_q`/`office_q` filter rows by
those paths; `units_in_scope`, `members_in_scope` and `get_unit_in_scope` (404 outside) are the
scoped look-ups. The named rules built on these (`can_manage_unit`, …) are in
`congdoan.orgs.rules`; each other app keeps its own in `<app>/rules.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeAlias

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from congdoan.orgs.models import Appointment, Member, Unit

_CACHE_ATTR = "_congdoan_scope"

#: Whoever is looking: `request.user` (a person, or AnonymousUser), or None outside a request.
Viewer: TypeAlias = AbstractBaseUser | AnonymousUser | None


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    is_admin: bool = False
    unit_paths: tuple[str, ...] = ()
    office_paths: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()
    member_id: int | None = None

    @property
    def is_officer(self) -> bool:
        return self.is_admin or bool(self.unit_paths)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def covers_path(self, path: str) -> bool:
        return self.is_admin or any(path.startswith(p) for p in self.unit_paths)

    def office_covers_path(self, path: str) -> bool:
        return self.is_admin or any(path.startswith(p) for p in self.office_paths)


ANONYMOUS = Scope()


def _drop_nested(paths: set[str]) -> tuple[str, ...]:
    ordered = sorted(paths, key=len)
    kept: list[str] = []
    for p in ordered:
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(sorted(kept))


def in_force_q(day: date) -> Q:
    """Appointments in force on `day`: started, and not ended (an end date is the first day
    without the post)."""
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def period_on_q(day: date) -> Q:
    """Unit periods (`UnitPeriod`) valid on `day`: where each unit hung in the tree then."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def scope_for(user: Viewer) -> Scope:
    """The viewer's scope, computed once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return ANONYMOUS
    user_id: int = user.pk
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    appointments = (
        Appointment.objects.filter(user_id=user_id, manages=True, unit__is_active=True)
        .filter(in_force_q(today))
        .select_related("unit")
    )
    paths: set[str] = set()
    office: set[str] = set()
    ids: list[int] = []
    for appt in appointments:
        paths.add(appt.unit.path)
        ids.append(appt.unit_id)
        if appt.is_office and not appt.unit.level.is_grassroots:
            office.add(appt.unit.path)
    member = Member.objects.filter(user_id=user_id).only("id", "unit_id").first()
    scope = Scope(
        user_id=user_id,
        is_admin=bool(getattr(user, "is_superuser", False)),
        unit_paths=_drop_nested(paths),
        office_paths=_drop_nested(office),
        unit_ids=tuple(sorted(ids)),
        member_id=member.pk if member else None,
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def _under_q(scope: Scope, paths: tuple[str, ...], field: str) -> Q:
    """Rows whose `field` unit (or the Unit itself when `field` is "") lies under one of `paths`."""
    if scope.is_admin:
        return Q()
    if not paths:
        return Q(pk__in=[])
    prefix = f"{field}__path" if field else "path"
    q = Q()
    for path in paths:
        q |= Q(**{f"{prefix}__startswith": path})
    return q


def unit_q(scope: Scope, field: str = "unit") -> Q:
    """A filter for rows whose `field` (a ForeignKey to Unit, or "" for Unit itself) is in scope."""
    return _under_q(scope, scope.unit_paths, field)


def office_q(scope: Scope, field: str = "unit") -> Q:
    """Rows whose unit lies under a unit where the viewer works in the Office."""
    return _under_q(scope, scope.office_paths, field)


def units_in_scope(user: Viewer) -> QuerySet[Unit]:
    return Unit.objects.filter(unit_q(scope_for(user), field="")).select_related("level")


def get_unit_in_scope(user: Viewer, code: str) -> Unit:
    """The unit with this code if the viewer may see it; 404 otherwise (no hint that it exists)."""
    unit = Unit.objects.filter(code=code).select_related("level", "parent").first()
    if unit is None or not scope_for(user).covers_path(unit.path):
        raise Http404
    return unit


def members_in_scope(user: Viewer) -> QuerySet[Member]:
    scope = scope_for(user)
    if scope.is_officer:
        return Member.objects.filter(unit_q(scope))
    if scope.member_id is not None:
        return Member.objects.filter(pk=scope.member_id)
    return Member.objects.none()
