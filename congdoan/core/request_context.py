"""The request being served, for the few places (audit) that need its address."""

from __future__ import annotations

from contextvars import ContextVar

_ip: ContextVar[str | None] = ContextVar("congdoan_request_ip", default=None)


def set_current_ip(ip: str | None) -> object:
    return _ip.set(ip)


def reset_current_ip(token: object) -> None:
    _ip.reset(token)  # type: ignore[arg-type]


def current_ip() -> str | None:
    return _ip.get()
