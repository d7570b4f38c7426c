"""Officers' idle timeout: a session untouched for OFFICER_IDLE_MINUTES ends."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from congdoan.accounts.rules import idle_timeout_applies

SEEN_AT = "congdoan_seen_at"
#: SEEN_AT of a session the idle limit does not apply to (a member's).
NOT_APPLICABLE = "-"


class OfficerIdleTimeoutMiddleware:
    """Steps: 1. a logged-in request reads when the session was last seen; 2. past the limit,
    an officer is logged out (this request goes on as anonymous: a login redirect, a 401);
    3. otherwise the time is written back, at most once a minute (a session write costs)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.OFFICER_IDLE_MINUTES * 60
        if limit > 0 and request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(SEEN_AT)
            if isinstance(seen, int) and now - seen > limit and idle_timeout_applies(request.user):
                logout(request)
                messages.info(
                    request,
                    _(
                        "Phiên làm việc đã kết thúc sau %(minutes)s phút không hoạt động. Xin đăng nhập lại."
                    )
                    % {"minutes": settings.OFFICER_IDLE_MINUTES},
                )
            elif seen != NOT_APPLICABLE and (not isinstance(seen, int) or now - seen >= 60):
                # A member keeps their session: marked once, never written again (a contest's
                # thousands of participants would otherwise write their session every minute).
                applies = idle_timeout_applies(request.user)
                request.session[SEEN_AT] = now if applies else NOT_APPLICABLE
        return self.get_response(request)
