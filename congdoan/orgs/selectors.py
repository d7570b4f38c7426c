"""Reads of the union tree, always through the viewer's scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congdoan.orgs.collation import person_key
from congdoan.orgs.models import Appointment, Member, Membership, Unit, UnitPeriod
from congdoan.orgs.scoping import (
    Viewer,
    get_unit_in_scope,
    in_force_q,
    members_in_scope,
    period_on_q,
    scope_for,
    unit_q,
    units_in_scope,
)
from congdoan.text import fold

__all__ = ["members_in_scope"]


def _units_matching(units: QuerySet[Unit], text: str) -> QuerySet[Unit]:
    """Units whose folded name, employer or code holds every word of `text` (typed with or
    without diacritics: "phu minh" and "May Phú Minh" both find "Công đoàn Công ty May Phú Minh")."""
    for word in fold(text).split():
        units = units.filter(search_text__contains=word)
    return units


def unit_list(*, viewer: Viewer, query: str = "") -> QuerySet[Unit]:
    return _units_matching(units_in_scope(viewer).order_by("path"), query)


def unit_tree(*, viewer: Viewer, limit: int = 2000) -> list[dict[str, Any]]:
    """The viewer's part of the tree, depth first with siblings in Vietnamese order, and member counts.

    Steps: load the scoped units with their direct member counts (one query); add each
    unit's count to all its ancestors (subtree totals); walk from the scope's roots,
    children in Vietnamese order of their names.
    """
    units = list(
        units_in_scope(viewer)
        .filter(is_active=True)
        .annotate(direct_members=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("path")[:limit]
    )
    if not units:
        return []
    by_id = {u.pk: u for u in units}
    totals: dict[int, int] = defaultdict(int)
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for u in units:
        for ancestor in u.ancestor_ids():
            totals[ancestor] += u.direct_members
        children[u.parent_id if u.parent_id in by_id else None].append(u)
    rows: list[dict[str, Any]] = []

    def walk(parent_id: int | None, indent: int) -> None:
        for child in sorted(children.get(parent_id, []), key=lambda x: x.sort_key):
            rows.append(
                {"unit": child, "indent": min(indent, 4), "members_total": totals[child.pk]}
            )
            walk(child.pk, indent + 1)

    walk(None, 0)
    return rows


def unit_detail(*, viewer: Viewer, code: str) -> Unit:
    return get_unit_in_scope(viewer, code)


def subtree_member_count(*, unit: Unit) -> int:
    return Member.objects.filter(unit__path__startswith=unit.path, left_on__isnull=True).count()


@dataclass(frozen=True)
class MemberFilter:
    """What an officer narrows a member list by; empty means "any"."""

    query: str = ""
    gender: str = ""
    age: str = ""  # a key of AGE_BANDS
    status: str = "active"  # "active", "left" or "all"
    card: str = ""  # "yes" or "no"


@dataclass(frozen=True)
class AgeBand:
    """Ages from `youngest` to `oldest`, both included; None is open."""

    youngest: int | None
    oldest: int | None
    label: str | Promise


# The age bands an officer filters a member list by (the filter's choices, in this order).
AGE_BANDS: dict[str, AgeBand] = {
    "under-30": AgeBand(None, 29, _("Dưới 30 tuổi")),
    "30-44": AgeBand(30, 44, _("30–44 tuổi")),
    "45-54": AgeBand(45, 54, _("45–54 tuổi")),
    "55-plus": AgeBand(55, None, _("Từ 55 tuổi")),
}


def _born_q(band: AgeBand, today: date) -> Q:
    """People whose age today lies in the band, as a filter on the date of birth."""
    youngest, oldest = band.youngest, band.oldest
    q = Q(date_of_birth__isnull=False)
    if youngest is not None:  # at least `youngest` years old: born on or before this day
        q &= Q(date_of_birth__lte=_years_before(today, youngest))
    if oldest is not None:  # at most `oldest`: born after the day `oldest + 1` years ago
        q &= Q(date_of_birth__gt=_years_before(today, oldest + 1))
    return q


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def filter_members(members: QuerySet[Member], f: MemberFilter) -> QuerySet[Member]:
    """Apply a MemberFilter: words typed with or without diacritics, card or phone, and the filters."""
    if f.query:
        digits = "".join(ch for ch in f.query if ch.isdigit())
        by_name = Q()
        for word in fold(f.query).split():
            by_name &= Q(name_folded__contains=word)
        alternatives = by_name | Q(card_number__iexact=f.query.strip())
        if len(digits) >= 4:
            alternatives |= Q(phone__contains=digits.lstrip("0"))
        members = members.filter(alternatives)
    if f.gender:
        members = members.filter(gender=f.gender)
    if f.age in AGE_BANDS:
        members = members.filter(_born_q(AGE_BANDS[f.age], timezone.localdate()))
    if f.status == "active":
        members = members.filter(left_on__isnull=True)
    elif f.status == "left":
        members = members.filter(left_on__isnull=False)
    if f.card == "yes":
        members = members.exclude(card_number__isnull=True).exclude(card_number="")
    elif f.card == "no":
        members = members.filter(Q(card_number__isnull=True) | Q(card_number=""))
    return members.order_by("sort_key", "id")


def unit_members(
    *,
    viewer: Viewer,
    unit: Unit,
    page: int | str = 1,
    per_page: int = 50,
    filters: MemberFilter | None = None,
) -> Page[Member]:
    """The unit's members in Vietnamese name order (given name first), filtered, one page."""
    members = filter_members(members_in_scope(viewer).filter(unit=unit), filters or MemberFilter())
    return Paginator(members, per_page).get_page(page)


def member_detail(*, viewer: Viewer, unit: Unit, member_id: int) -> Member:
    """One member of `unit` the viewer may see; 404 otherwise."""
    member = (
        members_in_scope(viewer)
        .filter(pk=member_id, unit=unit)
        .select_related("unit", "user")
        .first()
    )
    if member is None:
        raise Http404
    return member


def member_history(*, member: Member) -> list[Membership]:
    """The member's periods in the union, latest first; one made up from the record when none is stored."""
    periods = list(
        member.memberships.select_related("unit__merged_into").order_by("-joined_on", "-id")
    )
    if not periods:
        periods = [
            Membership(
                member=member, unit=member.unit, joined_on=member.joined_on, left_on=member.left_on
            )
        ]
    return periods


def unit_officers(*, viewer: Viewer, unit: Unit) -> list[Appointment]:
    """The unit's committee by rank of position, then by name the Vietnamese way (given name first)."""
    if not scope_for(viewer).covers_path(unit.path):
        return []
    appointments = Appointment.objects.filter(unit=unit, ended_on__isnull=True).select_related(
        "position", "user"
    )
    return sorted(appointments, key=lambda a: (a.position.rank, person_key(a.full_name)))


def member_id_of(user_id: int) -> int | None:
    """The id of the member a login belongs to, None for a login that is no member's."""
    return Member.objects.filter(user_id=user_id).values_list("pk", flat=True).first()


def tree_on(day: date) -> tuple[dict[int | None, list[int]], set[int]]:
    """The tree as it was on `day`: parent id → its children's ids, and the ids of the units
    that existed then (from the unit periods valid that day)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    present: set[int] = set()
    periods = UnitPeriod.objects.filter(period_on_q(day))
    for unit_id, parent_id in periods.values_list("unit_id", "parent_id"):
        children[parent_id].append(unit_id)
        present.add(unit_id)
    return children, present


def walk_down(children: Mapping[int | None, list[int]], root: int) -> set[int]:
    """`root` and every unit below it in a parent → children map (from `tree_on`)."""
    found = {root}
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def subtree_ids_at(*, unit: Unit, on_date: date) -> set[int]:
    """Ids of the units that hung under `unit` (included) on `on_date`, as the tree was then.

    A unit merged away before the date has no valid period and drops out; one moved in later
    is not yet there.
    """
    children, present = tree_on(on_date)
    return walk_down(children, unit.pk) if unit.pk in present else set()


def unit_search(*, viewer: Viewer, text: str, limit: int = 20) -> list[Unit]:
    """Active units matching a name typed with or without diacritics (for pickers), in
    Vietnamese order; nothing for an empty text."""
    if not fold(text).split():
        return []
    units = _units_matching(units_in_scope(viewer).filter(is_active=True), text)
    return list(units.order_by("sort_key", "pk")[:limit])


def members_for_export(
    *, viewer: Viewer, unit: Unit, filters: MemberFilter | None = None
) -> QuerySet[Member]:
    """Members of `unit`'s whole subtree that the viewer may see, filtered, in name order."""
    members = (
        members_in_scope(viewer)
        .filter(unit__path__startswith=unit.path)
        .filter(unit_q(scope_for(viewer)))
    )
    return filter_members(members.select_related("unit"), filters or MemberFilter())


def grassroots_units(*, under: Unit | None = None) -> QuerySet[Unit]:
    """The active grassroots unions (of `under`'s subtree when given): the one count that the
    home page, the dashboard and the public list all show."""
    units = Unit.objects.filter(is_active=True, level__is_grassroots=True)
    if under is not None:
        units = units.filter(path__startswith=under.path)
    return units


def public_unions(*, limit: int | None = None) -> dict[str, Any]:
    """The grassroots unions for the public home page, grouped by their upper union.

    Returns {"total": n, "groups": [{"parent": Unit | None, "units": [Unit, …]}, …]}: groups
    and units in Vietnamese order; the total is the number of units listed. With more than
    `limit` unions (a province), none is listed: {"total": n, "groups": []} (the page offers
    a search instead). Only what the list shows is loaded (code, name, the upper union's name).
    """
    if limit is not None:
        total = grassroots_units().count()
        if total > limit:
            return {"total": total, "groups": []}
    units = list(
        grassroots_units()
        .select_related("parent")
        .only("id", "code", "name", "sort_key", "parent__id", "parent__name", "parent__sort_key")
        .order_by("sort_key", "pk")
    )
    groups: dict[int | None, dict[str, Any]] = {}
    for unit in units:
        group = groups.setdefault(unit.parent_id, {"parent": unit.parent, "units": []})
        group["units"].append(unit)
    ordered = sorted(groups.values(), key=lambda g: g["parent"].sort_key if g["parent"] else "")
    return {"total": len(units), "groups": ordered}


def public_union(*, code: str) -> Unit:
    """A grassroots union's public page (name, upper union, workplace); 404 for anything else."""
    unit = grassroots_units().select_related("parent", "level").filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def scope_roots(*, viewer: Viewer) -> list[Unit]:
    """The top units of the viewer's scope."""
    scope = scope_for(viewer)
    if scope.is_admin:
        return list(
            Unit.objects.filter(parent__isnull=True, is_active=True).select_related("level")
        )
    return list(Unit.objects.filter(path__in=scope.unit_paths).select_related("level"))


def dashboard_roots(*, viewer: Viewer, with_members: bool = True) -> list[dict[str, Any]]:
    """The top units of the viewer's scope with the grassroots count of their subtree, and its
    member count unless `with_members` is off (None then: a count over the whole subtree takes
    half a second for a city, so the dashboard asks for it after the page)."""
    return [
        {
            "unit": root,
            "members": subtree_member_count(unit=root) if with_members else None,
            "grassroots": grassroots_units(under=root).count(),
        }
        for root in scope_roots(viewer=viewer)
    ]


def user_appointments(*, user: Any) -> QuerySet[Appointment]:
    return Appointment.objects.filter(user=user, ended_on__isnull=True).select_related(
        "unit", "position"
    )


def unit_officer_contacts(unit: Unit | None) -> tuple[list[str], list[str]]:
    """(e-mail addresses, linked Zalo ids) of the unit's officers in post today, each sorted:
    an officer with only a Zalo account linked is reached too (monitoring alerts)."""
    if unit is None:
        return [], []
    rows = (
        Appointment.objects.filter(unit=unit, manages=True, user__is_active=True)
        .filter(in_force_q(timezone.localdate()))
        .values_list("user__email", "user__zalo_user_id")
    )
    return sorted({e for e, _z in rows if e}), sorted({z for _e, z in rows if z})


def unit_officer_emails(unit: Unit | None) -> list[str]:
    """E-mail addresses of the unit's officers in post today (managing appointments with a
    login), sorted: who is told about the unit's overdue concerns, its channels, its dates."""
    if unit is None:
        return []
    rows = (
        Appointment.objects.filter(unit=unit, manages=True, user__isnull=False)
        .filter(in_force_q(timezone.localdate()))
        .values_list("user__email", flat=True)
    )
    return sorted({e for e in rows if e})
