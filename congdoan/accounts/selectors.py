"""Reads of accounts data, always for the viewer themself."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from congdoan.accounts.models import ApiToken
from congdoan.orgs.models import Member
from congdoan.orgs.rules import can_reset_member_password
from congdoan.orgs.scoping import Viewer


def _pk(viewer: Viewer) -> int:
    """The viewer's user id; 0 (nobody's) for an anonymous visitor, who owns nothing."""
    return viewer.pk if viewer is not None and viewer.pk is not None else 0


def api_tokens_of(*, viewer: Viewer) -> QuerySet[ApiToken]:
    """The viewer's own tokens, newest first (revoked ones too, so the list tells the story)."""
    return ApiToken.objects.filter(user_id=_pk(viewer)).order_by("revoked_at", "-created_at", "-id")


def api_token_of(*, viewer: Viewer, pk: int) -> ApiToken:
    """One of the viewer's own tokens; 404 for anyone else's."""
    token = ApiToken.objects.filter(user_id=_pk(viewer), pk=pk).first()
    if token is None:
        raise Http404
    return token


def member_account_to_reset(*, viewer: Viewer, member_id: int) -> Any:
    """The login of a member whose union the viewer manages (a union's officer resets a
    member's password); 404 outside the scope, for a member without a login, and for the
    login of an officer or administrator (they reset their own, by e-mail)."""
    member = (
        Member.objects.filter(pk=member_id, user__isnull=False)
        .select_related("unit", "user")
        .first()
    )
    if member is None or not can_reset_member_password(viewer, member):
        raise Http404
    return member.user
