"""One small module per outbound channel, each with ``send(message) -> provider id``.

`send` raises ChannelError (retryable or not) when the message was not delivered. Adding a
channel: a module here, a line in SENDERS and a choice in OutboundChannel.
"""

from __future__ import annotations

from collections.abc import Callable

from congdoan.outbox.channels import email, facebook, sms, youtube, zalo
from congdoan.outbox.models import OutboundMessage

SENDERS: dict[str, Callable[[OutboundMessage], str]] = {
    "email": email.send,
    "sms": sms.send,
    "zalo": zalo.send,
    # A unit's channel accounts (credentials from congdoan.publishing, see accounts.py).
    "facebook": facebook.send,
    "youtube": youtube.send,
}
