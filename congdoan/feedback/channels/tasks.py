"""Background sends of the channels (queue "default"): the receipt with the tracking code."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger("congdoan.feedback.channels")


@task()
def send_channel_message(
    channel: str, recipient: str, text: str, concern_id: int | None = None
) -> str:
    """Send `text` to a Zalo user id or a phone number; log it on the concern's history.

    The HTTP client already retries 5xx answers and timeouts; a final failure raises so the
    task result shows it (and is logged on the concern).
    """
    from congdoan.feedback.channels import log_delivery, sms, zalo

    try:
        if channel == "zalo":
            message_id = zalo.send_text(recipient, text)
        elif channel == "sms":
            message_id = sms.send_sms(recipient, text)
        else:
            raise ValueError(f"unknown channel {channel!r}")
    except Exception as exc:
        log_delivery(concern_id, kind="channel.receipt_failed", note=f"{channel}: {exc}")
        logger.warning("receipt for concern %s by %s failed: %s", concern_id, channel, exc)
        raise
    log_delivery(concern_id, kind="channel.receipt_sent", note=f"{channel}: {message_id}")
    return message_id
