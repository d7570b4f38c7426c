"""The request being served, for the few places (audit) that need its address."""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest

# Methods that change nothing, as Django's CSRF check reads them (RFC 9110 §9.2.1).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_ip: ContextVar[str | None] = ContextVar("congdoan_request_ip", default=None)


def set_current_ip(ip: str | None) -> object:
    return _ip.set(ip)


def reset_current_ip(token: object) -> None:
    _ip.reset(token)  # type: ignore[arg-type]


def current_ip() -> str | None:
    return _ip.get()


def client_ip(request: HttpRequest) -> str:
    """The client's address as the proxy middleware left it (REMOTE_ADDR), "" when unknown."""
    return str(request.META.get("REMOTE_ADDR", "") or "")
