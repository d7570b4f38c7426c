from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from congdoan.core.request_context import reset_current_ip, set_current_ip


class UploadsNoExecuteMiddleware:
    """Remember the client address for the audit log, and make anything under MEDIA_URL
    a download that browsers never run (no sniffing, sandboxed, attachment)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_current_ip(request.META.get("REMOTE_ADDR"))
        try:
            response = self.get_response(request)
        finally:
            reset_current_ip(token)
        if request.path.startswith(settings.MEDIA_URL):
            response["Content-Security-Policy"] = "sandbox; default-src 'none'"
            response["X-Content-Type-Options"] = "nosniff"
            response.setdefault("Content-Disposition", "attachment")
        return response
