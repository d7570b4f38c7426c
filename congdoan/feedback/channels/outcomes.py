"""What the outbox did with a concern's messages, written on the concern's history.

Officers read there that the worker got the tracking code, that an answer went out by Zalo or
SMS, that a reminder or an alert reached someone, or that it could not be sent.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _

from congdoan.feedback.channels import log_delivery
from congdoan.outbox.models import OutboundMessage
from congdoan.outbox.signals import message_failed, message_sent

# purpose → (history kind when sent, when given up)
KINDS = {
    "feedback.receipt": ("channel.receipt_sent", "channel.receipt_failed"),
    "feedback.answer": ("channel.answer_sent", "channel.answer_failed"),
    "feedback.remind": ("remind", "remind_failed"),
    "feedback.urgent": ("alert_sent", "alert_failed"),
    "feedback.escalate": ("escalation_sent", "escalation_failed"),
}


def _concern_id(message: OutboundMessage) -> int | None:
    prefix = "feedback.concern:"
    if not message.ref.startswith(prefix):
        return None
    try:
        return int(message.ref[len(prefix) :])
    except ValueError:
        return None


# Messages to officers: their history line names who got it. Messages to the worker name
# only the channel (their phone or Zalo id stays out of the history).
TO_OFFICERS = {"feedback.remind", "feedback.urgent", "feedback.escalate"}


@receiver(message_sent)
def log_sent(sender: Any, message: OutboundMessage, **kwargs: Any) -> None:
    """One history line: "Nhắc hạn: chairman@example.vn", not the provider's message id
    (kept in the outbox's delivery log for whoever traces a delivery)."""
    kinds = KINDS.get(message.purpose)
    if kinds is not None:
        to_officer = message.purpose in TO_OFFICERS and message.recipient
        log_delivery(
            _concern_id(message),
            kind=kinds[0],
            note=message.recipient if to_officer else str(message.get_channel_display()),
        )


@receiver(message_failed)
def log_failed(sender: Any, message: OutboundMessage, final: bool = False, **kwargs: Any) -> None:
    kinds = KINDS.get(message.purpose)
    if kinds is not None and final:
        log_delivery(
            _concern_id(message),
            kind=kinds[1],
            note=_("%(channel)s (lần %(attempt)s): %(error)s")
            % {
                "channel": message.get_channel_display(),
                "attempt": message.attempts,
                "error": message.last_error,
            },
        )
