"""What the channels that post for a unit's account (Facebook page, YouTube channel) need from
the app that keeps those accounts (their HTTP calls: `congdoan.outbox.http.request`).

The outbox sits below `congdoan.publishing` and cannot import it: publishing registers an
`AccountBackend` here in its `AppConfig.ready()` (the dependency turned round). A message of
these channels has the account's id as `recipient` and the post as JSON in `body`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from congdoan.outbox.errors import ChannelError, ChannelNotConfigured
from congdoan.outbox.models import OutboundMessage


class CredentialsRejected(ChannelError):
    """The account's token is wrong, expired or lacks a permission: final (retrying would only
    be refused again); the account is marked and its officers asked to reconnect."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message, retryable=False, status=status)


@dataclass(frozen=True)
class AccountBackend:
    # account id → its credentials ({"access_token": …, "page_id": …}); `refresh=True` asks for
    # a fresh access token (after a 401). Raises CredentialsRejected when it must be reconnected.
    credentials: Callable[..., dict[str, Any]]
    # account id, the platform's words: the token stopped working (mark it, tell the officers).
    rejected: Callable[[str, str], None]
    # What a long send has done so far (a resumable upload's session), kept across attempts.
    progress_get: Callable[[OutboundMessage], dict[str, Any]]
    progress_save: Callable[[OutboundMessage, dict[str, Any]], None]


_backend: list[AccountBackend] = []


def register_backend(backend: AccountBackend) -> None:
    _backend[:] = [backend]


def backend() -> AccountBackend:
    if not _backend:
        raise ChannelNotConfigured(_("Chưa có ứng dụng quản lý tài khoản kênh"))
    return _backend[0]


def post_of(message: OutboundMessage) -> dict[str, Any]:
    try:
        data = json.loads(message.body)
    except json.JSONDecodeError as exc:
        raise ChannelError(_("Nội dung bài đăng hỏng (không phải JSON)")) from exc
    if not isinstance(data, dict):
        raise ChannelError(_("Nội dung bài đăng hỏng (không phải JSON)"))
    return data
