"""Reads of accounts data, always for the viewer themself."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from congdoan.accounts.models import ApiToken
from congdoan.orgs.models import Member
from congdoan.orgs.scoping import can_manage_unit, scope_for


def api_tokens_of(*, viewer: Any) -> QuerySet[ApiToken]:
    """The viewer's own tokens, newest first (revoked ones too, so the list tells the story)."""
    return ApiToken.objects.filter(user=viewer).order_by("revoked_at", "-created_at", "-id")


def api_token_of(*, viewer: Any, pk: int) -> ApiToken:
    """One of the viewer's own tokens; 404 for anyone else's."""
    token = ApiToken.objects.filter(user=viewer, pk=pk).first()
    if token is None:
        raise Http404
    return token


def member_account_to_reset(*, viewer: Any, member_id: int) -> Any:
    """The login of a member whose union the viewer manages (a union's officer resets a
    member's password); 404 outside the scope, for a member without a login, and for the
    login of an officer or administrator (they reset their own, by e-mail)."""
    member = (
        Member.objects.filter(pk=member_id, user__isnull=False)
        .select_related("unit", "user")
        .first()
    )
    if member is None or not member_account_resettable(viewer=viewer, member=member):
        raise Http404
    return member.user


def member_account_resettable(*, viewer: Any, member: Member) -> bool:
    """Whether the viewer may make a reset link for this member's login (the member page shows
    the button then): a login of a plain member, in a union the viewer manages."""
    user = member.user
    if user is None or not can_manage_unit(viewer, member.unit):
        return False
    return not (user.is_staff or user.pk == viewer.pk or scope_for(user).is_officer)
