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

__all__ = ["ChannelError", "answer_message", "deliver_answer", "tracking_url"]


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


def _answer_text(concern: Any) -> str:
    """The answer's text, whichever shape the core model gives it."""
    for attr in ("answer_text", "answer"):
        value = getattr(concern, attr, None)
        if isinstance(value, str) and value.strip():
            return value.strip()
        text = getattr(value, "text", None)
        if isinstance(text, str) and text.strip():
            return text.strip()
    answers = getattr(concern, "answers", None)
    if answers is not None and hasattr(answers, "order_by"):
        latest = answers.order_by("-created_at", "-pk").first()
        if latest is not None:
            return str(getattr(latest, "text", "")).strip()
    return ""


def answer_message(concern: Any) -> str:
    text = _answer_text(concern)
    return _("Trả lời ý kiến %(code)s: %(text)s") % {"code": concern.code, "text": text}


def deliver_answer(concern: Any) -> None:
    """Send the answer back through Zalo or SMS; no-op for the other channels."""
    from congdoan.feedback.channels import sms, zalo

    channel = str(concern.channel)
    if channel == "zalo":
        if not concern.contact_zalo_id:
            logger.warning("answer %s: Zalo concern without a Zalo id; not sent", concern.code)
            return
        message_id = zalo.send_text(concern.contact_zalo_id, answer_message(concern))
        logger.info("answer %s: sent by Zalo OA (message %s)", concern.code, message_id)
    elif channel == "sms":
        if not concern.contact_phone:
            logger.warning("answer %s: SMS concern without a phone; not sent", concern.code)
            return
        text = sms.fit_segments(
            answer_message(concern), settings.SMS_MAX_SEGMENTS, link=tracking_url(concern)
        )
        message_id = sms.send_sms(concern.contact_phone, text)
        logger.info(
            "answer %s: sent by SMS (%d segments, message %s)",
            concern.code, sms.segment_count(text), message_id,
        )
    else:
        logger.debug("answer %s: channel %s reads answers on the site", concern.code, channel)
