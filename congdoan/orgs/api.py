"""/api/v1/units: the union tree and members, scoped to the token's or session's user."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from congdoan.orgs import selectors
from congdoan.orgs.models import Member, Unit
from congdoan.orgs.scoping import scope_for

router = Router(tags=["Units and members"])


class UnitOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    is_active: bool
    depth: int

    @staticmethod
    def resolve_level(obj: Unit) -> str:
        return obj.level.code

    @staticmethod
    def resolve_parent_code(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class UnitDetailOut(UnitOut):
    members_total: int
    employer_name: str

    @staticmethod
    def resolve_members_total(obj: Unit) -> int:
        return selectors.subtree_member_count(unit=obj)


class MemberOut(Schema):
    id: int
    full_name: str
    gender: str
    date_of_birth: date | None
    joined_on: date | None
    card_number: str | None
    unit_code: str

    @staticmethod
    def resolve_unit_code(obj: Member) -> str:
        return obj.unit.code


@router.get(
    "/",
    response=list[UnitOut],
    summary="List the union units you may see",
    description="Units in the caller's scope, searchable by name or code (`q`, with or without Vietnamese diacritics).",
)
@paginate(PageNumberPagination, page_size=100)
def list_units(request: HttpRequest, q: str = ""):  # type: ignore[no-untyped-def]
    return selectors.unit_list(viewer=request.user, query=q).select_related("level", "parent")


@router.get(
    "/{code}",
    response=UnitDetailOut,
    summary="One unit, with its employer and member count",
    description="404 when the unit does not exist or lies outside the caller's scope.",
)
def get_unit(request: HttpRequest, code: str) -> Unit:
    return selectors.unit_detail(viewer=request.user, code=code)


@router.get("/{code}/members", response=list[MemberOut], summary="List the members of a unit")
@paginate(PageNumberPagination, page_size=100)
def list_members(request: HttpRequest, code: str, q: str = ""):  # type: ignore[no-untyped-def]
    """Current members of one unit; officers only (a member's login sees no lists)."""
    unit = selectors.unit_detail(viewer=request.user, code=code)
    if not scope_for(request.user).is_officer:
        return Member.objects.none()
    members = selectors.members_in_scope(request.user).filter(unit=unit).select_related("unit")
    return selectors.filter_members(members, selectors.MemberFilter(query=q))
