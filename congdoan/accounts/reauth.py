"""Re-authentication: security changes (two-factor off, a new API token, a new password) need
the password or a TOTP code entered in this session within the last ACCOUNTS_REAUTH_MINUTES.

Logging in counts (the `user_logged_in` signal stamps the session); so does the re-auth page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

AUTH_AT = "congdoan_auth_at"


def mark_authenticated(request: HttpRequest) -> None:
    request.session[AUTH_AT] = int(time.time())


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        mark_authenticated(request)


def recently_authenticated(request: HttpRequest) -> bool:
    stamped = request.session.get(AUTH_AT)
    return (
        isinstance(stamped, int) and time.time() - stamped <= settings.ACCOUNTS_REAUTH_MINUTES * 60
    )


def recent_auth_required(
    view: Callable[..., HttpResponse] | None = None, *, next_url: str | None = None
) -> Any:
    """Send the person to the re-auth page first, then back (to `next_url`, or this page;
    a POST is not replayed: they submit the form again)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not recently_authenticated(request):
                target = next_url or request.get_full_path()
                return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': target})}")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate
