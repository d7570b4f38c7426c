"""The one outbound HTTP client of every channel: httpx, with timeouts, no retries of its own.

Retries belong to the outbox (`congdoan.outbox.policy`): a message that fails is tried again
later by the outbox, never by sleeping here. One `httpx.Client` per process keeps its
connections alive between messages; it is rebuilt when the timeout setting changes (tests).

What a caller gets, from the rawest to the most finished:
- `request(...)`: one call; a transport failure (timeout, refused or cut connection) becomes a
  retryable ChannelError, any answer comes back as it is (the caller reads the platform's
  error body: Facebook's codes, YouTube's reasons);
- `json_of(response)`: the answer's JSON object, ``{}`` when it has none;
- `answer_json(response, provider=)`: the answer's JSON object, or the ChannelError of an
  HTTP error (retryable for 5xx and 429), of a body that is not JSON (retryable) or of JSON
  that is not an object (final);
- `get_json(...)` / `post_json(...)`: `request` then `answer_json`.
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


def request(method: str, url: str, *, provider: str, **kwargs: Any) -> httpx.Response:
    """One HTTP request through the shared client; a transport failure is retryable.

    `kwargs` are httpx's (params, data, files, content, headers). Any HTTP answer, 4xx and 5xx
    included, is returned: what it means is the caller's (or `answer_json`'s) to say.
    """
    try:
        return client().request(method, url, **kwargs)
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


def json_of(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object, or ``{}`` (no body, not JSON, not an object)."""
    try:
        data = response.json()
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def is_retryable_status(status: int) -> bool:
    """Whether an HTTP status says "try again later": 5xx and 429 (Too Many Requests)."""
    return status >= 500 or status == 429


def answer_json(response: httpx.Response, *, provider: str) -> dict[str, Any]:
    """The JSON object of a successful answer.

    Raises ChannelError: retryable for 5xx, 429 and an answer that is not JSON; final for any
    other 4xx and a JSON answer that is not an object.
    """
    status = response.status_code
    if status >= 400:
        detail = response.content[:200].decode("utf-8", errors="replace")
        raise ChannelError(
            f"{provider}: HTTP {status} {detail}".strip(),
            retryable=is_retryable_status(status),
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


def post_json(
    url: str, payload: dict[str, Any], *, headers: dict[str, str], provider: str
) -> dict[str, Any]:
    """POST `payload` as JSON once; return the JSON object answered (errors: `answer_json`)."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    response = request(
        "POST",
        url,
        provider=provider,
        content=body,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            **headers,
        },
    )
    return answer_json(response, provider=provider)


def get_json(
    url: str,
    *,
    provider: str,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """GET once; return the JSON object answered (errors: `answer_json`)."""
    response = request(
        "GET",
        url,
        provider=provider,
        params=params or {},
        headers={"Accept": "application/json", **(headers or {})},
    )
    return answer_json(response, provider=provider)
