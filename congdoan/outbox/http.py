"""The one outbound HTTP client of every channel: httpx, with timeouts, no retries of its own.

Retries belong to the outbox (`congdoan.outbox.policy`): a message that fails is tried again
later by the outbox, never by sleeping here. One `httpx.Client` per process keeps its
connections alive between messages; it is rebuilt when the timeout setting changes (tests).
"""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from congdoan.outbox.errors import ChannelError

_lock = threading.Lock()
_client: httpx.Client | None = None
_client_timeout: float | None = None


def client() -> httpx.Client:
    """The process's shared client (thread-safe; connect and read time out)."""
    global _client, _client_timeout
    timeout = float(settings.OUTBOX_HTTP_TIMEOUT)
    with _lock:
        if _client is None or _client_timeout != timeout:
            if _client is not None:
                _client.close()
            _client = httpx.Client(
                timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                headers={"User-Agent": "congdoan-outbox/1"},
                follow_redirects=False,
            )
            _client_timeout = timeout
        return _client


def post_json(
    url: str, payload: dict[str, Any], *, headers: dict[str, str], provider: str
) -> dict[str, Any]:
    """POST `payload` as JSON once; return the JSON object answered.

    Raises ChannelError: retryable for transport failures, timeouts, 5xx, 429 and an answer
    that is not JSON; final for any other 4xx and a JSON answer that is not an object.
    """
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    try:
        response = client().post(
            url,
            content=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                **headers,
            },
        )
    except httpx.TimeoutException as exc:
        raise ChannelError(
            _("%(provider)s: quá thời gian chờ (%(error)s)") % {"provider": provider, "error": exc},
            retryable=True,
        ) from exc
    except httpx.HTTPError as exc:
        raise ChannelError(
            _("%(provider)s: không kết nối được (%(error)s)")
            % {"provider": provider, "error": exc},
            retryable=True,
        ) from exc
    status = response.status_code
    if status >= 400:
        detail = response.content[:200].decode("utf-8", errors="replace")
        raise ChannelError(
            f"{provider}: HTTP {status} {detail}".strip(),
            retryable=status >= 500 or status == 429,
            status=status,
        )
    try:
        data = response.json()
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ChannelError(
            _("%(provider)s: câu trả lời không phải JSON (HTTP %(status)s)")
            % {"provider": provider, "status": status},
            retryable=True,
            status=status,
        ) from exc
    if not isinstance(data, dict):
        raise ChannelError(
            _("%(provider)s: câu trả lời JSON không phải object") % {"provider": provider},
            status=status,
        )
    return data
