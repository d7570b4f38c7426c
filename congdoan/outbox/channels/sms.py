"""Outgoing SMS through the adapter that SMS_PROVIDER names.

Each adapter is a module with ``missing_settings() -> list[str]`` and
``send_sms(to, text, *, request_id="") -> provider id`` that tries once and raises
ChannelError (retryable or not):
- ``generic`` (default, sms_generic.py): the project's generic JSON gateway;
- ``esms`` (sms_esms.py): eSMS.vn brandname SMS, following its published API.
Adding a provider: a module here that follows its documentation, a line in ADAPTERS, a fake
server in the outbox tests.
"""

from __future__ import annotations

import hashlib
from types import ModuleType

from django.conf import settings
from django.utils.translation import gettext as _

from congdoan.outbox.channels import sms_esms, sms_generic
from congdoan.outbox.errors import ChannelNotConfigured
from congdoan.outbox.models import OutboundMessage

ADAPTERS: dict[str, ModuleType] = {"generic": sms_generic, "esms": sms_esms}


def adapter() -> ModuleType:
    name = (settings.SMS_PROVIDER or "generic").strip().lower()
    found = ADAPTERS.get(name)
    if found is None:
        raise ChannelNotConfigured(
            _("SMS: SMS_PROVIDER=%(name)r không có; chọn một trong %(names)s")
            % {"name": name, "names": ", ".join(sorted(ADAPTERS))}
        )
    return found


def missing_settings() -> list[str]:
    """What the chosen provider still needs ([] when SMS can be sent)."""
    try:
        chosen = adapter()
    except ChannelNotConfigured:
        return ["SMS_PROVIDER"]
    missing: list[str] = chosen.missing_settings()
    return missing


def send_sms(to: str, text: str, *, request_id: str = "") -> str:
    """Send one SMS now (one try) through the chosen provider; return its message id."""
    provider_id: str = adapter().send_sms(to, text, request_id=request_id)
    return provider_id


def request_id(message: OutboundMessage) -> str:
    """A key that stays the same over the retries of one message and differs between
    deployments sharing a provider account (providers block a repeated key)."""
    seed = f"{settings.SITE_URL}|{message.pk}|{message.created_at.isoformat()}"
    return "cd-" + hashlib.sha256(seed.encode()).hexdigest()[:32]


def send(message: OutboundMessage) -> str:
    return send_sms(message.recipient, message.body, request_id=request_id(message))
