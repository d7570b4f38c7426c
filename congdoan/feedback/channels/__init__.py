"""Intake and answer channels of "Workers' voice": Zalo Official Account, SMS, paper forms.

`deliver_answer(concern)` is called by the answer task: it queues the officers' answer in the
outbox for the channel the worker used (Zalo → the OA's customer-service message to
``concern.contact_zalo_id``; SMS → ``concern.contact_phone``) and does nothing for channels
where the worker reads the answer on the tracking page (web, API, member, officer, import).
Sending, retries and the delivery log are the outbox's (congdoan/outbox); what happened is
written on the concern's history by `outcomes.py`.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from congdoan.feedback.channels import sms
from congdoan.feedback.models import Channel, Concern, ConcernEvent
from congdoan.outbox.channels import sms as sms_client
from congdoan.outbox.channels import zalo as zalo_client
from congdoan.outbox.errors import ChannelError, ChannelNotConfigured
from congdoan.outbox.models import OutboundMessage
from congdoan.outbox.services import message_enqueue

logger = logging.getLogger("congdoan.feedback.channels")

__all__ = [
    "ChannelError",
    "ChannelNotConfigured",
    "answer_message",
    "concern_ref",
    "deliver_answer",
    "log_delivery",
    "tracking_url",
]


def concern_ref(concern_id: int) -> str:
    """How an outbox message names the concern it is about."""
    return f"feedback.concern:{concern_id}"


def tracking_url(concern: Concern) -> str:
    """The public page where the worker follows this concern with its code."""
    base = settings.SITE_URL.rstrip("/")
    try:
        return base + reverse("feedback:track", args=[concern.code])
    except NoReverseMatch:  # the feedback pages are not mounted (a trimmed deployment)
        return f"{base}/y-kien/"


def log_delivery(concern_id: int | None, *, kind: str, note: str) -> None:
    """The delivery log: one line in the concern's history (officers see it)."""
    if concern_id is None:
        return
    try:
        ConcernEvent.objects.create(concern_id=concern_id, kind=kind, note=note[:1000])
    except Exception:  # the log must never turn a sent message into a failure
        logger.exception("could not log %s for concern %s", kind, concern_id)


def answer_message(concern: Concern) -> str:
    """The answer as one message: "Trả lời ý kiến YK-…: …"."""
    text = " ".join((concern.answer_text or "").split())
    return _("Trả lời ý kiến %(code)s: %(text)s") % {"code": concern.code, "text": text}


def deliver_answer(concern: Concern) -> OutboundMessage | None:
    """Queue the answer for Zalo or SMS in the outbox; no-op for the other channels.

    A concern without the contact (erased after the retention period) or a channel that is
    not configured is logged on the concern and queues nothing: retrying cannot help.
    """
    channel = str(concern.channel)
    if channel == Channel.ZALO:
        recipient = concern.contact_zalo_id
        text = answer_message(concern)
        missing = (
            "" if zalo_client.is_configured() else _("tài khoản Zalo OA / ZALO_OA_ACCESS_TOKEN")
        )
    elif channel == Channel.SMS:
        recipient = concern.contact_phone
        text = sms.fit_segments(
            answer_message(concern), settings.SMS_MAX_SEGMENTS, link=tracking_url(concern)
        )
        missing = " / ".join(sms_client.missing_settings())
    else:
        logger.debug("answer %s: channel %s reads answers on the site", concern.code, channel)
        return None
    if not recipient:
        log_delivery(concern.pk, kind="channel.answer_not_sent", note=f"{channel}: no contact")
        logger.warning("answer %s: %s concern without a contact; not sent", concern.code, channel)
        return None
    if missing:
        note = _("%(channel)s: chưa cấu hình %(setting)s") % {
            "channel": channel,
            "setting": missing,
        }
        log_delivery(concern.pk, kind="channel.answer_not_sent", note=note)
        logger.warning("answer %s: %s", concern.code, note)
        return None
    version = hashlib.sha256(text.encode()).hexdigest()[:16]
    return message_enqueue(
        channel=channel,
        recipient=recipient,
        body=text,
        purpose="feedback.answer",
        ref=concern_ref(concern.pk),
        key=f"feedback.answer:{concern.pk}:{version}",
    )
