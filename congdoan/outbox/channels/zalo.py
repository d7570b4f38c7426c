"""Zalo Official Account: the customer-service text message (``POST /v3.0/oa/message/cs``).

Zalo answers HTTP 200 with ``{"error": 0, "data": {"message_id": …}}`` or a non-zero error,
which is final (a user who never followed the OA, a bad token…).

Tokens. An OA access token lives about 25 hours, so it is not a setting: the unit's Zalo OA
account (congdoan.publishing, connected by an officer, refreshed by a periodic job) gives it
through the `TokenSource` that publishing registers at start-up. This module cannot import
publishing (the outbox is a layer below it), hence the registration. What is sent:
1. the source's token for the message (`current(ref)`: the account the ref names, else the
   deployment's own OA); none → the static ZALO_OA_ACCESS_TOKEN of older deployments;
2. when Zalo says that token is invalid or expired (-216, -124) and it came from an account,
   the source renews it once (`renew`) and the message is sent once more with the new one;
3. still refused, or a static token refused: a final error that tells the officers to
   reconnect the OA, so the outbox does not retry a message that cannot go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from congdoan.outbox.errors import ChannelError, ChannelNotConfigured
from congdoan.outbox.http import post_json
from congdoan.outbox.models import OutboundMessage

SEND_PATH = "/v3.0/oa/message/cs"
# Zalo OA text messages are limited to 2000 characters.
MAX_TEXT = 2000
# Zalo's answers for an access token that is not valid (-216) or has expired (-124).
TOKEN_ERRORS = frozenset({-216, -124})


@dataclass(frozen=True)
class ZaloToken:
    access_token: str
    # The ChannelAccount it belongs to; None for the static ZALO_OA_ACCESS_TOKEN.
    account_id: int | None = None


class TokenSource(Protocol):
    def current(self, ref: str) -> ZaloToken | None:
        """The token to send a message with this outbox `ref`; None: no account connected."""

    def renew(self, rejected: ZaloToken) -> ZaloToken | None:
        """A fresh token after Zalo refused `rejected` (refreshed once, or already refreshed
        by another sender); None when the account cannot be refreshed (reconnect needed).
        Raises a retryable ChannelError when Zalo's OAuth server cannot be reached."""


_source: TokenSource | None = None


def register_token_source(source: TokenSource | None) -> None:
    """Called by publishing's AppConfig.ready (None in tests that want the static token)."""
    global _source
    _source = source


def token_for(ref: str = "") -> ZaloToken | None:
    """The token a message with `ref` is sent with, or None when Zalo is not configured."""
    found = _source.current(ref) if _source is not None else None
    if found is not None:
        return found
    static = settings.ZALO_OA_ACCESS_TOKEN
    return ZaloToken(static) if static else None


def is_configured() -> bool:
    """Whether a message could be sent now (a connected account or the static token)."""
    return token_for() is not None


def _post(token: ZaloToken, user_id: str, text: str) -> dict[str, Any]:
    return post_json(
        settings.ZALO_OA_API_BASE.rstrip("/") + SEND_PATH,
        {"recipient": {"user_id": user_id}, "message": {"text": text}},
        headers={"access_token": token.access_token},
        provider="Zalo OA",
    )


def send_text(user_id: str, text: str, *, ref: str = "") -> str:
    """Send a customer-service text to a Zalo user now; return Zalo's message id.

    One try, or two when the first token was refused and the account renewed it."""
    token = token_for(ref)
    if token is None:
        raise ChannelNotConfigured(
            _("Zalo OA: chưa kết nối tài khoản Zalo OA và chưa cấu hình ZALO_OA_ACCESS_TOKEN")
        )
    if not user_id:
        raise ChannelError(_("Zalo OA: thiếu mã người nhận (user_id)"))
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    data = _post(token, user_id, text)
    error = data.get("error")
    if error in TOKEN_ERRORS and token.account_id is not None and _source is not None:
        renewed = _source.renew(token)
        if renewed is not None and renewed.access_token != token.access_token:
            data = _post(renewed, user_id, text)
            error = data.get("error")
    if error != 0:
        message = _("Zalo OA: lỗi %(code)s: %(detail)s") % {
            "code": error,
            "detail": data.get("message") or _("lỗi không rõ"),
        }
        if error in TOKEN_ERRORS:
            message += " " + _(
                "Mã truy cập Zalo OA không còn dùng được: cán bộ cần kết nối lại Zalo OA "
                "ở trang Kênh xuất bản của đơn vị."
            )
        raise ChannelError(message)
    inner = data.get("data") or {}
    return str(inner.get("message_id", "")) if isinstance(inner, dict) else ""


def send(message: OutboundMessage) -> str:
    return send_text(message.recipient, message.body, ref=message.ref)
