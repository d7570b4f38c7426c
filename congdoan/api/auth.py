"""API authentication: a bearer token for integrations, or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from congdoan.accounts.services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class SessionUser(SessionAuth):
    """The logged-in browser user (ninja checks CSRF for unsafe methods)."""


AUTH = [TokenAuth(), SessionUser()]
