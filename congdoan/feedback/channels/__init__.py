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

from congdoan.feedback.channels.http import ChannelError

logger = logging.getLogger("congdoan.feedback.channels")

__all__ = ["ChannelError", "answer_message", "deliver_answer", "log_delivery", "tracking_url"]


def tracking_url(concern: Any) -> str:
    """The public page where the worker follows this concern with its code."""
    from django.urls import NoReverseMatch, reverse

    base = settings.SITE_URL.rstrip("/")
    for name in ("feedback:track", "feedback:tracking", "feedback:lookup"):
        try:
            return base + reverse(name, args=[concern.code])
        except NoReverseMatch:
            continue
    return f"{base}/y-kien/tra-cuu/?ma={concern.code}"


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
    """Send the answer back through Zalo or SMS; no-op for the other channels."""
    from congdoan.feedback.channels import sms, zalo

    channel = str(concern.channel)
    if channel == "zalo":
        if not concern.contact_zalo_id:
            logger.warning("answer %s: Zalo concern without a Zalo id; not sent", concern.code)
            return
        try:
            message_id = zalo.send_text(concern.contact_zalo_id, answer_message(concern))
        except ChannelError as exc:
            log_delivery(concern.pk, kind="channel.answer_failed", note=f"zalo: {exc}")
            raise
        log_delivery(concern.pk, kind="channel.answer_sent", note=f"zalo: {message_id}")
        logger.info("answer %s: sent by Zalo OA (message %s)", concern.code, message_id)
    elif channel == "sms":
        if not concern.contact_phone:
            logger.warning("answer %s: SMS concern without a phone; not sent", concern.code)
            return
        text = sms.fit_segments(
            answer_message(concern), settings.SMS_MAX_SEGMENTS, link=tracking_url(concern)
        )
        try:
            message_id = sms.send_sms(concern.contact_phone, text)
        except ChannelError as exc:
            log_delivery(concern.pk, kind="channel.answer_failed", note=f"sms: {exc}")
            raise
        log_delivery(concern.pk, kind="channel.answer_sent", note=f"sms: {message_id}")
        logger.info(
            "answer %s: sent by SMS (%d segments, message %s)",
            concern.code,
            sms.segment_count(text),
            message_id,
        )
    else:
        logger.debug("answer %s: channel %s reads answers on the site", concern.code, channel)
