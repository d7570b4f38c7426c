"""API authentication: a bearer token for integrations, or the browser session (with CSRF).

A token carries scopes: "read" for every GET within its owner's scope, and "write:<part>"
for the unsafe methods under /api/v1/<part>/ (feedback, units, documents).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from congdoan.accounts.models import TOKEN_READ
from congdoan.accounts.services import api_token_for
from congdoan.core.request_context import SAFE_METHODS


def required_scope(request: HttpRequest) -> str:
    if request.method in SAFE_METHODS:
        return TOKEN_READ
    part = request.path.removeprefix(reverse("api:api-root")).split("/", 1)[0]
    return f"write:{part}"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = api_token_for(token)
        if found is None:
            return None
        scope = required_scope(request)
        if not found.allows(scope):
            raise HttpError(403, _("Mã API này không có quyền “%(scope)s”.") % {"scope": scope})
        request.user = found.user
        return found.user


class SessionUser(SessionAuth):
    """The logged-in browser user (ninja checks CSRF for unsafe methods)."""


AUTH = [TokenAuth(), SessionUser()]
