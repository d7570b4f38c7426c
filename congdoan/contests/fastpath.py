"""The answer call's short road: `POST /api/v1/contests/attempts/{token}/answers` served in
front of Django's middleware stack when everything about it is ordinary.

A contest's peak is thousands of phones sending one small answer each every few seconds. On
the full stack an answer costs the whole middleware chain (locale, messages, OTP, CSP, axes…),
loading the user to decide on CSRF, the router and the API framework, for a call whose work is
one session read, two rate-limit counters and two SQL statements. This WSGI wrapper
(config/wsgi.py) serves that call directly, and only when it can prove the call is an ordinary
one; anything else goes down the full stack unchanged, which answers it as before:

1. the method, the path and the host (ALLOWED_HOSTS) are the answer call's; the body is small
   (MAX_BODY); plain HTTP is not redirected to HTTPS (SECURE_SSL_REDIRECT);
2. the session (the same SessionStore the site uses: Redis in front of the database) remembers
   that it opened this attempt (`session.remember_attempt`, written by the attempt page or the
   API's first call) — the attempt token is a 128-bit capability given to that session;
3. the session is a phone participant's (no login) or a member's login already marked as one
   the officers' idle limit does not apply to (accounts.middleware.NOT_APPLICABLE): an officer's
   session goes the full way, where the idle timeout is enforced;
4. Django's own CsrfViewMiddleware passes it (the token in X-CSRFToken, Origin and Referer as
   on the full stack), for logins and phones alike;
5. the body is the JSON the API describes.
Then the same functions as the API view count the rate limits and store the answer
(`api.answer_response`), and the response gets the security headers of the full stack
(SecurityMiddleware, X-Frame-Options, Vary: Cookie, no caching). A refusal of the rate limit or
of the attempt (409, 410, 400, 404) is answered here too, in the language of the visitor's
cookie; a database or Redis failure is handed to the full stack, which answers 503.

Set CONTESTS_ANSWER_FAST_PATH=0 to send every call the full way (same answers, more CPU).
`congdoan bench contest` measures both (`--fast-path off`).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY as LOGIN_KEY
from django.core import signals
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from congdoan.accounts.middleware import NOT_APPLICABLE, SEEN_AT
from congdoan.contests import api
from congdoan.contests.session import ATTEMPTS_KEY
from congdoan.core.middleware import use_proxy_address

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _no_view(*args: Any, **kwargs: Any) -> HttpResponse:  # CsrfViewMiddleware needs a view
    raise AssertionError("never called")


def _unused(request: Any) -> HttpResponse:
    raise AssertionError("never called")


class AnswerFastPath:
    """WSGI middleware: the answer call when it is ordinary, else the wrapped application."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        # The API's own route (api:answer), with a token of the shape attempts have.
        head, _sep, tail = reverse("api:answer", args=["TOKEN"]).partition("TOKEN")
        self.pattern = re.compile(re.escape(head) + r"([A-Za-z0-9_-]{1,32})" + re.escape(tail))
        self.sessions = import_module(settings.SESSION_ENGINE).SessionStore
        self.csrf = CsrfViewMiddleware(_unused)
        self.security = SecurityMiddleware(_unused)
        self.frames = XFrameOptionsMiddleware(_unused)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or not settings.CONTESTS_ANSWER_FAST_PATH:
            return self.app(environ, start_response)
        match = self.pattern.fullmatch(environ.get("PATH_INFO", ""))
        if match is None:
            return self.app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self.app(environ, start_response)
        if not 0 < length <= api.MAX_BODY:
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(length)
        # Whatever happens next, the full stack can still read the body.
        environ["wsgi.input"] = io.BytesIO(body)
        response = self._serve(environ, match.group(1), body)
        if response is None:
            environ["wsgi.input"] = io.BytesIO(body)
            return self.app(environ, start_response)
        status = f"{response.status_code} {response.reason_phrase}"
        headers = [*response.items()]
        headers += [("Set-Cookie", c.output(header="")) for c in response.cookies.values()]
        start_response(status, headers)
        return [response.content]

    def _serve(self, environ: dict[str, Any], token: str, body: bytes) -> HttpResponse | None:
        """The response, or None for the full stack."""
        use_proxy_address(environ)  # REMOTE_ADDR as the full stack sees it (per-address limits)
        request = WSGIRequest(environ)
        try:
            request.get_host()  # ALLOWED_HOSTS, as the full stack checks it
        except DisallowedHost:
            return None
        if self.security.process_request(request) is not None:  # an HTTPS redirect
            return None
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not key:
            return None
        # The signals Django's handler sends around a request (stale or broken database
        # connections closed, the query log reset…).
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            return self._answer(request, key, token, body)
        except (DatabaseError, ConnectionError, OSError):
            return None  # the full stack answers 503 (core.dbdown) or its own error
        finally:
            signals.request_finished.send(sender=self.__class__)

    def _answer(
        self, request: WSGIRequest, key: str, token: str, body: bytes
    ) -> HttpResponse | None:
        session = self.sessions(key)
        participant_id = session.get(ATTEMPTS_KEY, {}).get(token)
        if not participant_id:
            return None
        if session.get(LOGIN_KEY) is not None and session.get(SEEN_AT) != NOT_APPLICABLE:
            return None  # an officer (idle timeout) or a login not yet marked
        if self.csrf.process_view(request, _no_view, (), {}) is not None:
            return None  # the full stack answers the refusal in its words
        try:
            data = json.loads(body)
        except ValueError:
            return None
        parsed = api.answer_input(data)
        if parsed is None:
            return None
        request.session = session
        try:
            language = translation.get_supported_language_variant(
                request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
            )
        except LookupError:
            language = settings.LANGUAGE_CODE
        response: HttpResponse
        with translation.override(language):
            response = api.answer_response(request, token, int(participant_id), *parsed)
        response["Content-Language"] = language
        patch_vary_headers(response, ("Cookie",))
        add_never_cache_headers(response)
        response = self.security.process_response(request, response)
        return self.frames.process_response(request, response)


def wrap(app: WSGIApp) -> WSGIApp:
    """The site's WSGI application with the answer call's short road in front (config/wsgi.py)."""
    return AnswerFastPath(app)
