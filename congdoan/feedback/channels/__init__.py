"""Intake and answer channels of "Workers' voice": Zalo Official Account, SMS, paper forms.

`deliver_answer(concern)` is called by the answer task: it sends the officers' answer back
through the channel the worker used (Zalo → the OA's customer-service message to
``concern.contact_zalo_id``; SMS → ``concern.contact_phone``) and does nothing for channels
where the worker reads the answer on the tracking page (web, API, member, officer, import).
It raises `ChannelError` when the provider fails, so that the task can retry.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from congdoan.feedback.channels.http import ChannelError, ChannelNotConfigured

logger = logging.getLogger("congdoan.feedback.channels")

__all__ = [
    "ChannelError",
    "ChannelNotConfigured",
    "answer_message",
    "deliver_answer",
    "log_delivery",
    "tracking_url",
]


def tracking_url(concern: Any) -> str:
    """The public page where the worker follows this concern with its code."""
    from django.urls import NoReverseMatch, reverse

    base = settings.SITE_URL.rstrip("/")
    try:
        return base + reverse("feedback:track", args=[concern.code])
    except NoReverseMatch:  # the feedback pages are not mounted (a trimmed deployment)
        return f"{base}/y-kien/"


def log_delivery(concern_id: int | None, *, kind: str, note: str) -> None:
    """The delivery log: one line in the concern's history (officers see it)."""
    if concern_id is None:
        return
    from congdoan.feedback.models import ConcernEvent

    try:
        ConcernEvent.objects.create(concern_id=concern_id, kind=kind, note=note[:1000])
    except Exception:  # the log must never turn a sent message into a failure
        logger.exception("could not log %s for concern %s", kind, concern_id)


def answer_message(concern: Any) -> str:
    text = " ".join((concern.answer_text or "").split())
    return _("Trả lời ý kiến %(code)s: %(text)s") % {"code": concern.code, "text": text}


def deliver_answer(concern: Any) -> None:
    """Send the answer back through Zalo or SMS; no-op for the other channels.

    Raises ChannelError when the provider fails (the task retries). A channel that is not
    configured, or a concern without the contact (erased after the retention period), is
    logged on the concern and not raised: retrying cannot help.
    """
    from congdoan.feedback.channels import sms, zalo

    channel = str(concern.channel)
    if channel == "zalo":
        recipient = concern.contact_zalo_id
        text = answer_message(concern)
    elif channel == "sms":
        recipient = concern.contact_phone
        text = sms.fit_segments(
            answer_message(concern), settings.SMS_MAX_SEGMENTS, link=tracking_url(concern)
        )
    else:
        logger.debug("answer %s: channel %s reads answers on the site", concern.code, channel)
        return
    if not recipient:
        log_delivery(concern.pk, kind="channel.answer_not_sent", note=f"{channel}: no contact")
        logger.warning("answer %s: %s concern without a contact; not sent", concern.code, channel)
        return
    try:
        if channel == "zalo":
            message_id = zalo.send_text(recipient, text)
        else:
            message_id = sms.send_sms(recipient, text)
    except ChannelNotConfigured as exc:
        log_delivery(concern.pk, kind="channel.answer_not_sent", note=str(exc))
        logger.warning("answer %s: %s", concern.code, exc)
        return
    except ChannelError as exc:
        log_delivery(concern.pk, kind="channel.answer_failed", note=f"{channel}: {exc}")
        raise
    log_delivery(concern.pk, kind="channel.answer_sent", note=f"{channel}: {message_id}")
    logger.info("answer %s: sent by %s (message %s)", concern.code, channel, message_id)
