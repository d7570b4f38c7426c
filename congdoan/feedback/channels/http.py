"""A small JSON-over-HTTP client with timeouts and retries (standard library only).

Retries happen for transport failures (connection refused, timeouts) and for 5xx answers,
with exponential backoff; a 4xx answer or a provider's own error code is final.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger("congdoan.feedback.channels")


class ChannelError(Exception):
    """A message could not be delivered through an external channel."""

    def __init__(self, message: str, *, retryable: bool = False, status: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status


class ChannelNotConfigured(ChannelError):
    """The provider's settings are missing: nothing was sent and retrying cannot help."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    backoff: float = 0.5  # seconds before the 2nd try; doubles each time
    timeout: float = 10.0  # seconds per try

    @classmethod
    def from_settings(cls) -> RetryPolicy:
        """The policy every channel client uses (CHANNELS_HTTP_* settings)."""
        from django.conf import settings

        return cls(
            attempts=settings.CHANNELS_HTTP_ATTEMPTS,
            backoff=settings.CHANNELS_HTTP_BACKOFF,
            timeout=settings.CHANNELS_HTTP_TIMEOUT,
        )


def post_json(
    url: str,
    payload: dict[str, Any],
    *,
    headers: dict[str, str],
    policy: RetryPolicy,
    provider: str,
) -> dict[str, Any]:
    """POST `payload` as JSON, return the decoded JSON answer; raise ChannelError on failure."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    last: ChannelError | None = None
    for attempt in range(1, max(1, policy.attempts) + 1):
        try:
            return _post_once(url, body, headers=headers, timeout=policy.timeout, provider=provider)
        except ChannelError as exc:
            last = exc
            if not exc.retryable or attempt >= policy.attempts:
                break
            delay = policy.backoff * (2 ** (attempt - 1))
            logger.warning(
                "%s: try %d/%d failed (%s); retrying in %.2fs",
                provider,
                attempt,
                policy.attempts,
                exc,
                delay,
            )
            time.sleep(delay)
    assert last is not None
    raise last


def _post_once(
    url: str, body: bytes, *, headers: dict[str, str], timeout: float, provider: str
) -> dict[str, Any]:
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "application/json; charset=utf-8")
    request.add_header("Accept", "application/json")
    for name, value in headers.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        detail = _short(exc.read())
        retryable = exc.code >= 500 or exc.code == 429
        raise ChannelError(
            f"{provider}: HTTP {exc.code} {detail}".strip(), retryable=retryable, status=exc.code
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise ChannelError(f"{provider}: không kết nối được ({reason})", retryable=True) from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ChannelError(
            f"{provider}: câu trả lời không phải JSON (HTTP {status}): {_short(raw)}",
            retryable=True,
            status=status,
        ) from exc
    if not isinstance(data, dict):
        raise ChannelError(f"{provider}: câu trả lời JSON không phải object", status=status)
    return data


def _short(raw: bytes, limit: int = 200) -> str:
    return raw[:limit].decode("utf-8", errors="replace")
