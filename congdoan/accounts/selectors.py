"""Reads of accounts data, always for the viewer themself."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from congdoan.accounts.models import ApiToken


def api_tokens_of(*, viewer: Any) -> QuerySet[ApiToken]:
    """The viewer's own tokens, newest first (revoked ones too, so the list tells the story)."""
    return ApiToken.objects.filter(user=viewer).order_by("revoked_at", "-created_at", "-id")


def api_token_of(*, viewer: Any, pk: int) -> ApiToken:
    """One of the viewer's own tokens; 404 for anyone else's."""
    token = ApiToken.objects.filter(user=viewer, pk=pk).first()
    if token is None:
        raise Http404
    return token
