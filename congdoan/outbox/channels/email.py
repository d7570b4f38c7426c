"""E-mail through Django's configured backend (SMTP when EMAIL_HOST is set), with its timeout;
an HTML version (`message.html`) goes as the alternative part of a multipart/alternative mail."""

from __future__ import annotations

import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME
from django.utils.translation import gettext as _

from congdoan.outbox.errors import ChannelError
from congdoan.outbox.models import OutboundMessage


def send(message: OutboundMessage) -> str:
    """Send one e-mail; a refusal of the address is final, anything else is retried."""
    msgid = make_msgid(domain=DNS_NAME.get_fqdn())
    mail = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={**(message.headers or {}), "Message-ID": msgid},
        connection=get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT),
    )
    if message.html:  # multipart/alternative: the text part stays for text-only clients
        mail.attach_alternative(message.html, "text/html")
    try:
        mail.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _reply in exc.recipients.values()]
        raise ChannelError(
            _("E-mail: máy chủ thư từ chối địa chỉ (%(codes)s)") % {"codes": codes},
            retryable=any(code < 500 for code in codes),
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise ChannelError(f"E-mail: {type(exc).__name__}: {exc}", retryable=True) from exc
    return msgid
