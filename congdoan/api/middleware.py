"""CSRF for API calls that ride on the browser session.

django-ninja's views are CSRF-exempt; its SessionAuth checks the token, but a public route
(`auth=None`, e.g. `POST /api/v1/feedback`) still sees the session's user and acts as them. So
any unsafe call under the API that carries a logged-in session and no `Authorization` header
must pass Django's CSRF check (token and Origin), whatever the route's auth. Bearer-token calls
need none: a page on another site cannot add that header without a CORS preflight we never grant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja.utils import check_csrf

from congdoan.core.request_context import SAFE_METHODS


class ApiSessionCsrfMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = reverse("api:api-root")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if (
            request.method in SAFE_METHODS
            or not request.path.startswith(self.prefix)
            or "Authorization" in request.headers
            or not request.user.is_authenticated
        ):
            return None
        if check_csrf(request) is None:
            return None
        return JsonResponse(
            {
                "detail": _(
                    "Thiếu mã CSRF: lệnh gửi bằng phiên đăng nhập của trình duyệt phải kèm mã"
                    " CSRF (tiêu đề X-CSRFToken); phần mềm khác dùng mã Bearer."
                )
            },
            status=403,
        )
