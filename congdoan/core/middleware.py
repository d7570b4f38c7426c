from __future__ import annotations

import json
import logging
from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.utils.translation import gettext as _

from congdoan.core.request_context import SAFE_METHODS, reset_current_ip, set_current_ip

logger = logging.getLogger("congdoan.security")

# Types a browser would run or render as a document (scripts, markup), never sent as such.
ACTIVE_CONTENT_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
    "text/javascript",
    "application/javascript",
    "application/x-javascript",
    "text/ecmascript",
    "application/ecmascript",
    "application/wasm",
    "text/xsl",
}


def use_proxy_address(meta: dict[str, Any]) -> None:
    """Behind nginx every request comes from 127.0.0.1: take the address the proxy saw (the
    last one it wrote in PROXY_CLIENT_IP_HEADER) as REMOTE_ADDR, so that throttling and the
    audit log see people. Nothing without the setting (no proxy: the header is the client's)."""
    if not settings.PROXY_CLIENT_IP_HEADER:
        return
    header = "HTTP_" + settings.PROXY_CLIENT_IP_HEADER.upper().replace("-", "_")
    forwarded = str(meta.get(header, "")).rpartition(",")[2].strip()
    if forwarded:
        meta["REMOTE_ADDR"] = forwarded


class UploadsNoExecuteMiddleware:
    """Remember the client address for the audit log, and make anything under MEDIA_URL
    a download that browsers never run (no sniffing, sandboxed, attachment)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        use_proxy_address(request.META)
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
            if (
                response.get("Content-Type", "").split(";")[0].strip().lower()
                in ACTIVE_CONTENT_TYPES
            ):
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
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# C0 control characters and DEL. PostgreSQL cannot store NUL in text at all (a 500), and none
# of them belongs in a URL, a search or a form field. Tab, line feed and carriage return do
# belong in a text area; a lone surrogate (JSON "\ud800") cannot be encoded for the database.
_CONTROL = {chr(c) for c in range(0x20)} | {"\x7f"}
_CONTROL_IN_TEXT = _CONTROL - {"\t", "\n", "\r"}


def control_character_in(value: str, *, multiline: bool = True) -> str | None:
    """The first character of `value` that must not be stored (as its repr), or None."""
    banned = _CONTROL_IN_TEXT if multiline else _CONTROL
    for char in value:
        if char in banned or "\ud800" <= char <= "\udfff":
            return repr(char)
    return None


def _control_character_in_query(data: QueryDict, *, multiline: bool = True) -> str | None:
    """The first control character in the keys or values of a query string or form."""
    for key, values in data.lists():
        for item in (key, *values):
            found = control_character_in(item, multiline=multiline)
            if found:
                return found
    return None


def _control_character_in_json(value: object) -> str | None:
    if isinstance(value, str):
        return control_character_in(value)
    if isinstance(value, dict):
        items: list[object] = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        found = _control_character_in_json(item)
        if found:
            return found
    return None


def _may_be_json(content_type: str) -> bool:
    """Bodies the API would read as JSON (django-ninja does not look at the Content-Type)."""
    return content_type in {"", "application/json", "text/plain"} or content_type.endswith("+json")


def accepts_control_characters(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that checks its own input (the providers' webhooks: they must answer 200
    to what they refuse, or the provider redelivers it forever)."""
    view.accepts_control_characters = True  # type: ignore[attr-defined]
    return view


class ControlCharactersMiddleware:
    """Refuse control characters at the edge with a clear 400, before any view or query:
    in the path and query string (every request), in form bodies, and in JSON bodies.

    Steps:
    1. path and query string: on the way in, for every request;
    2. cookies with a control character are dropped (a stray cookie must not lock anyone out);
    3. after the URL resolves: the body, unless the view checks its own (webhooks). A
       url-encoded form is parsed as Django would; a multipart form only where the CSRF check
       has parsed it anyway (not CSRF-exempt), so that no view loses the raw stream; a JSON
       or plain-text body that parses as JSON (the API reads text/plain as JSON too) is walked.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = control_character_in(
            request.path_info, multiline=False
        ) or _control_character_in_query(request.GET, multiline=False)
        if found is not None:
            return self._refuse(request, found, "URL")
        for name in [n for n, v in request.COOKIES.items() if control_character_in(n + v)]:
            del request.COOKIES[name]
            if name == settings.SESSION_COOKIE_NAME and hasattr(request, "session"):
                request.session = self.session_store()  # SessionMiddleware read it already
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method in SAFE_METHODS or getattr(view, "accepts_control_characters", False):
            return None
        content_type = request.content_type or ""
        found: str | None = None
        if content_type == "application/x-www-form-urlencoded" or (
            content_type == "multipart/form-data" and not getattr(view, "csrf_exempt", False)
        ):
            found = _control_character_in_query(request.POST)
        elif _may_be_json(content_type) and request.body:
            try:
                data = json.loads(request.body)
            except ValueError:
                return None  # not JSON: the view says what is wrong with it
            found = _control_character_in_json(data)
        if found is None:
            return None
        return self._refuse(request, found, "body")

    @staticmethod
    def _refuse(request: HttpRequest, found: str, where: str) -> HttpResponse:
        logger.info(
            "refused a control character %s in the %s of %s %s",
            found,
            where,
            request.method,
            request.path_info.encode("unicode_escape").decode()[:200],
        )
        message = _(
            "Yêu cầu có ký tự điều khiển (%(char)s) không được phép. Hãy xóa ký tự đó rồi gửi lại."
        ) % {"char": found}
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
