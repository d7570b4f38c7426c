"""Background sends of the channels (queue "default"): the receipt with the tracking code."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("congdoan.feedback.channels")


@task()
def send_channel_message(
    channel: str, recipient: str, text: str, concern_id: int | None = None, attempt: int = 1
) -> str:
    """Send `text` to a Zalo user id or a phone number; log it on the concern's history.

    The HTTP client retries 5xx answers and timeouts within seconds; when the provider is still
    failing, the task enqueues itself again later (1, 2, 4… × CHANNELS_RETRY_MINUTES) up to
    CHANNELS_TASK_ATTEMPTS times, where the backend can defer. A final or non-retryable failure
    raises so the task result shows it.
    """
    from congdoan.feedback.channels import ChannelError, log_delivery, sms, zalo

    try:
        if channel == "zalo":
            message_id = zalo.send_text(recipient, text)
        elif channel == "sms":
            message_id = sms.send_sms(recipient, text)
        else:
            raise ValueError(f"unknown channel {channel!r}")
    except Exception as exc:
        log_delivery(
            concern_id, kind="channel.receipt_failed", note=f"{channel} (lần {attempt}): {exc}"
        )
        logger.warning("receipt for concern %s by %s failed: %s", concern_id, channel, exc)
        if (
            isinstance(exc, ChannelError)
            and exc.retryable
            and _retry_later(channel, recipient, text, concern_id, attempt)
        ):
            return ""
        raise
    log_delivery(concern_id, kind="channel.receipt_sent", note=f"{channel}: {message_id}")
    return message_id


def _retry_later(
    channel: str, recipient: str, text: str, concern_id: int | None, attempt: int
) -> bool:
    if attempt >= settings.CHANNELS_TASK_ATTEMPTS:
        return False
    if not send_channel_message.get_backend().supports_defer:
        return False
    delay = timedelta(minutes=settings.CHANNELS_RETRY_MINUTES * 2 ** (attempt - 1))
    send_channel_message.using(run_after=timezone.now() + delay).enqueue(
        channel, recipient, text, concern_id, attempt + 1
    )
    return True
