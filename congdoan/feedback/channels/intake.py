"""Turn an incoming Zalo or SMS message into a concern and answer with its tracking code."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass

import regex
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from congdoan.feedback.channels import concern_ref, tracking_url
from congdoan.feedback.channels import sms as sms_lib
from congdoan.feedback.models import Channel, Concern, Status, clean_code
from congdoan.feedback.rules import intake_unit
from congdoan.feedback.services import concern_submit
from congdoan.feedback.services.zalo_prefixes import (  # the registry other apps fill
    _ZALO_PREFIXES,
)
from congdoan.feedback.services.zalo_prefixes import (
    register_zalo_prefix as register_zalo_prefix,  # re-exported: its old home
)
from congdoan.orgs.models import Unit
from congdoan.outbox.services import message_enqueue
from congdoan.text.vietnamese import fold

logger = logging.getLogger("congdoan.feedback.channels")

# "#PX-MAY-PHUMINH" (a unit code) or "#<qr token>" anywhere in the message.
_TAG = regex.compile(r"(?<![\w#])#([A-Za-z0-9][A-Za-z0-9_\-]{1,39})(?![\w\-])")


# A message that is only a tracking code ("YK-7K3M9Q", "ma yk 7k3m9q") asks for its status.
_CODE_ONLY = regex.compile(
    r"^\s*(?:m[aã]\s*)?yk[\s\-]?([a-z0-9]{6})\s*[.!?]*\s*$", regex.IGNORECASE
)


@dataclass(frozen=True)
class IntakeResult:
    concern: Concern | None
    created: bool
    error: str = ""
    status_of: str = ""  # the code asked about, when the message was a status question


def match_unit(text: str) -> tuple[Unit | None, str]:
    """(unit named by a #code or #qr-token in the text, text without that tag).

    The web form's rule (rules.intake_union): a merged union leads to its successor; only
    grassroots unions and the home unit are accepted. Any other tag stays in the text and
    gives no unit (the concern goes to the home unit's inbox).
    """
    for found in _TAG.finditer(text or ""):
        tag = found.group(1)
        unit = intake_unit(code=tag) or intake_unit(token=tag)
        if unit is None:
            continue
        rest = text[: found.start()] + " " + text[found.end() :]
        return unit, regex.sub(r"[ \t]{2,}", " ", rest).strip()
    return None, (text or "").strip()


def receipt_text(concern: Concern) -> str:
    return _(
        "Công đoàn đã nhận ý kiến của bạn. Mã tra cứu: %(code)s. "
        "Theo dõi và nhận trả lời tại %(url)s"
    ) % {"code": concern.code, "url": tracking_url(concern)}


def help_text(error: str) -> str:
    return _(
        "Chưa ghi nhận được ý kiến: %(error)s Xin nhắn lại nội dung ý kiến; có thể thêm mã "
        "công đoàn cơ sở, ví dụ #PX-A."
    ) % {"error": error}


def _send_later(
    channel: str, recipient: str, text: str, concern_id: int | None, *, key: str
) -> None:
    """Queue the reply in the outbox, in the caller's transaction (sent after commit, retried)."""
    message_enqueue(
        channel=channel,
        recipient=recipient,
        body=text,
        purpose="feedback.receipt" if concern_id else "feedback.reply",
        ref=concern_ref(concern_id) if concern_id else "",
        key=key,
    )


def _first_error(exc: ValidationError) -> str:
    messages = exc.messages
    return messages[0] if messages else _("Nội dung không hợp lệ.")


def status_reply(text: str) -> tuple[str, str, str] | None:
    """(code, reply, tracking URL) when the message is only a tracking code; None otherwise."""
    found = _CODE_ONLY.match(text or "")
    if found is None:
        return None
    code = clean_code("YK" + found.group(1))
    concern = Concern.objects.filter(code=code).first()
    if concern is None:
        missing = _("Không tìm thấy ý kiến có mã %(code)s. Xin kiểm tra lại mã.") % {"code": code}
        return code, missing, ""
    reply = _("Ý kiến %(code)s: %(status)s.") % {
        "code": code,
        "status": Status(concern.status).label,
    }
    if concern.status in (Status.ANSWERED, Status.CLOSED) and concern.answer_text:
        reply += " " + _("Trả lời: %(text)s") % {"text": " ".join(concern.answer_text.split())}
    elif concern.due_at is not None:
        reply += " " + _("Hạn trả lời: %(date)s.") % {
            "date": timezone.localtime(concern.due_at).strftime("%d/%m/%Y")
        }
    return code, reply, tracking_url(concern)


def _submit(
    *,
    channel: str,
    raw_text: str,
    external_id: str,
    recipient: str,
    contact_phone: str = "",
    contact_zalo_id: str = "",
) -> IntakeResult:
    existing = Concern.objects.filter(channel=channel, external_id=external_id).first()
    if existing is not None:
        return IntakeResult(concern=existing, created=False)
    asked = status_reply(raw_text)
    if asked is not None:
        code, reply, url = asked
        if channel == Channel.SMS:
            reply = sms_lib.with_link(reply, url, settings.SMS_MAX_SEGMENTS)
        elif url:
            reply = f"{reply} {url}"
        _send_later(channel, recipient, reply, None, key=f"feedback.reply:{channel}:{external_id}")
        return IntakeResult(concern=None, created=False, status_of=code)
    unit, text = match_unit(raw_text)
    try:
        # The concern and its receipt are written together: the receipt cannot be lost.
        with transaction.atomic():
            concern = concern_submit(
                text=text,
                unit=unit,
                channel=channel,
                is_anonymous=True,
                contact_phone=contact_phone,
                contact_zalo_id=contact_zalo_id,
                external_id=external_id,
            )
            _send_later(
                channel,
                recipient,
                receipt_text_for(channel, concern),
                concern.pk,
                key=f"feedback.receipt:{channel}:{external_id}",
            )
    except ValidationError as exc:
        error = _first_error(exc)
        _send_later(
            channel,
            recipient,
            help_text(error),
            None,
            key=f"feedback.reply:{channel}:{external_id}",
        )
        return IntakeResult(concern=None, created=False, error=error)
    return IntakeResult(concern=concern, created=True)


def receipt_text_for(channel: str, concern: Concern) -> str:
    text = receipt_text(concern)
    if channel == Channel.SMS:
        url = tracking_url(concern)
        return sms_lib.with_link(text[: -len(url)].strip(), url, settings.SMS_MAX_SEGMENTS)
    return text


def _zalo_claimed(*, sender_id: str, text: str, msg_id: str) -> IntakeResult | None:
    clean = unicodedata.normalize("NFC", (text or "").strip())
    folded = fold(clean)
    for prefix, handler_path in _ZALO_PREFIXES:
        if len(folded) == len(clean) and folded.startswith(prefix):
            with transaction.atomic():
                reply = import_string(handler_path)(
                    sender_id=sender_id, text=clean[len(prefix) :].strip(), msg_id=msg_id
                )
                if reply:
                    _send_later(
                        Channel.ZALO.value,
                        sender_id,
                        reply,
                        None,
                        key=f"feedback.reply:{Channel.ZALO.value}:{msg_id}",
                    )
            return IntakeResult(concern=None, created=False)
    return None


def zalo_intake(*, sender_id: str, text: str, msg_id: str) -> IntakeResult:
    claimed = _zalo_claimed(sender_id=sender_id, text=text, msg_id=msg_id)
    if claimed is not None:
        return claimed
    return _submit(
        channel=Channel.ZALO.value,
        raw_text=text,
        external_id=msg_id,
        recipient=sender_id,
        contact_zalo_id=sender_id,
    )


def sms_intake(*, phone: str, text: str, msg_id: str) -> IntakeResult:
    valid_phone = phone if phone.startswith("+") else ""
    return _submit(
        channel=Channel.SMS.value,
        raw_text=text,
        external_id=msg_id,
        recipient=phone,
        contact_phone=valid_phone,
    )
