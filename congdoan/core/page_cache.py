"""Whole public pages kept in the cache for anonymous visitors (docs/publishing.md, "Public
pages: caching").

A page is kept under its language, host and path (with its query), and under the current
*version*: a number that `public_pages_changed()` replaces whenever something the public pages
show is saved or deleted (the models an app names with `watch(...)`; content watches its
products, photos, themes and the units). A new version leaves every kept page behind at once;
PUBLIC_PAGE_CACHE_SECONDS (60 s) is only the safety net for what no signal announces.

Never kept or served from the cache: a request with a cookie other than the language and CSRF
ones (a session: a signed-in user, or pending messages), anything but GET/HEAD, an answer other
than a plain 200, an answer that sets a cookie, uses the CSRF token or the session, or says
private/no-store.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "pagecache:version"
# A page with a form (the concern form) is kept with this in place of its CSRF token, and each
# visitor gets their own token in its place (`csrf_slot`, `lookup(..., with_csrf=True)`).
CSRF_SLOT = "csrfslot7c1e0b9a4d"
KEPT_QUERY = {"page"}  # the only query a kept page may have (a list's page number)
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Link")


@dataclass
class CachedPage:
    """A kept page: its answer, and what the view noted beside it (e.g. the product's id)."""

    response: HttpResponse
    extra: dict[str, Any] = field(default_factory=dict)


def _seconds() -> int:
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 60))


def _cacheable_request(request: HttpRequest) -> bool:
    if _seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if set(request.GET) - KEPT_QUERY:
        return False  # random query strings must not fill the cache
    allowed = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    return not set(request.COOKIES) - allowed


def version() -> str:
    """The current version of the public pages (a new one after each change they show): a key
    part for anything else kept as long as the public data stays the same."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return str(version)


def _key(request: HttpRequest, version: str) -> str:
    where = f"{get_language()}|{request.get_host()}|{request.get_full_path()}"
    return f"pagecache:{version}:{hashlib.sha256(where.encode()).hexdigest()}"


def csrf_slot(request: HttpRequest) -> dict[str, str]:
    """Context for a page with a form that may be kept: its CSRF token drawn as `CSRF_SLOT`
    (filled in by `store` and `lookup`); nothing for a request that is not kept."""
    if _cacheable_request(request) and request.method == "GET":
        return {"csrf_token": CSRF_SLOT}
    return {}


def _fill_csrf(request: HttpRequest, content: bytes) -> bytes:
    if CSRF_SLOT.encode() not in content:
        return content
    return content.replace(CSRF_SLOT.encode(), get_token(request).encode())


def lookup(request: HttpRequest, *, with_csrf: bool = False) -> CachedPage | None:
    """The kept page for this anonymous request, or None (not kept, or not cacheable);
    `with_csrf`: the page's form gets this visitor's own CSRF token (and cookie)."""
    if not _cacheable_request(request):
        return None
    kept = cache.get(_key(request, version()))
    if kept is None:
        return None
    content = _fill_csrf(request, kept["content"]) if with_csrf else kept["content"]
    response = HttpResponse(content, status=200)
    for name, value in kept["headers"].items():
        response[name] = value
    patch_vary_headers(response, ["Cookie"])
    return CachedPage(response=response, extra=kept["extra"])


def store(
    request: HttpRequest,
    response: HttpResponse,
    *,
    extra: dict[str, Any] | None = None,
    with_csrf: bool = False,
) -> bool:
    """Keep the view's answer for the next anonymous visitors when nothing in it is personal;
    True when it was kept. `with_csrf`: the page was drawn with `csrf_slot`; it is kept with
    the slot, and this visitor's answer gets their own token in its place."""
    if with_csrf and not response.streaming:
        real_token_drawn = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))  # before filling
        content = response.content
        response.content = _fill_csrf(request, content)
        if real_token_drawn:
            return False
    elif response.streaming:
        return False
    elif request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False  # the page holds a CSRF token: it belongs to this visitor
    else:
        content = response.content
    if not _cacheable_request(request) or request.method != "GET":
        return False
    if response.status_code != 200 or response.cookies:
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.modified or session.session_key):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    control = response.get("Cache-Control", "").lower()
    if "private" in control or "no-store" in control or "no-cache" in control:
        return False
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    kept = {"content": content, "headers": headers, "extra": extra or {}}
    cache.set(_key(request, version()), kept, timeout=_seconds())
    return True


def cache_public_page(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """A public page kept for anonymous visitors (see the module's docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        hit = lookup(request)
        if hit is not None:
            return hit.response
        response = view(request, *args, **kwargs)
        store(request, response)
        return response

    return wrapper


def public_pages_changed() -> None:
    """Leave every kept page behind: now (this transaction's readers) and again after the
    commit (so that a page drawn from the old data in between is not kept either)."""
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)
    transaction.on_commit(
        lambda: cache.set(VERSION_KEY, str(time.time_ns()), timeout=None), robust=True
    )


def _changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures
    public_pages_changed()


def watch(*watched: type[models.Model]) -> None:
    """Any save or delete of these models (or a change of their many-to-many links) changes
    the public pages."""
    for model in watched:
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
        for m2m in model._meta.many_to_many:
            through = getattr(model, m2m.name).through
            m2m_changed.connect(_changed, sender=through, dispatch_uid=f"{uid}:{m2m.name}")
