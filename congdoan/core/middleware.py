from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from congdoan.core.request_context import reset_current_ip, set_current_ip

# Types a browser would run or render as a document (scripts, markup), never sent as such.
ACTIVE_CONTENT_TYPES = {
    "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml",
    "text/javascript", "application/javascript", "application/x-javascript", "text/ecmascript",
    "application/ecmascript", "application/wasm", "text/xsl",
}


class UploadsNoExecuteMiddleware:
    """Remember the client address for the audit log, and make anything under MEDIA_URL
    a download that browsers never run (no sniffing, sandboxed, attachment)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.PROXY_CLIENT_IP_HEADER:
            # Behind nginx every request comes from 127.0.0.1: take the address the proxy saw
            # (the last one it wrote), so that login throttling and the audit log see people.
            forwarded = request.META.get(
                "HTTP_" + settings.PROXY_CLIENT_IP_HEADER.upper().replace("-", "_"), ""
            ).rpartition(",")[2].strip()
            if forwarded:
                request.META["REMOTE_ADDR"] = forwarded
        token = set_current_ip(request.META.get("REMOTE_ADDR"))
        try:
            response = self.get_response(request)
        finally:
            reset_current_ip(token)
        if request.path.startswith(settings.MEDIA_URL):
            response["Content-Security-Policy"] = "sandbox; default-src 'none'"
            response["X-Content-Type-Options"] = "nosniff"
            # FileResponse (django.views.static.serve) says "inline; filename=…": keep the name.
            disposition = response.get("Content-Disposition", "")
            name = disposition.partition(";")[2].strip() if disposition.startswith("inline") else ""
            if not disposition.startswith("attachment"):
                response["Content-Disposition"] = f"attachment; {name}" if name else "attachment"
            if response.get("Content-Type", "").split(";")[0].strip().lower() in ACTIVE_CONTENT_TYPES:
                response["Content-Type"] = "application/octet-stream"
        return response


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the person chose another language (the language cookie set by
    /i18n/setlang/). The browser's Accept-Language is not consulted: a worker's phone set
    to English should still get the union's pages in Vietnamese."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        # Scoped to this request: the thread's language goes back afterwards.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
