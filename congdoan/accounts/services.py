"""Two-factor devices and API tokens: writes, audited."""

from __future__ import annotations

import hashlib
import secrets
from base64 import b32encode
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from congdoan.accounts.models import ApiToken, User
from congdoan.audit.services import audit_record


def totp_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device being set up (created on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_secret_b32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@transaction.atomic
def totp_confirm(*, user: User, token: str) -> bool:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="account.2fa_enable", target=user)
    return True


@transaction.atomic
def totp_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action="account.2fa_disable", target=user)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Any, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the clear key is returned once and never stored."""
    key = "cds_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=_hash(key), prefix=key[4:12])
    audit_record(actor=actor, action="api_token.create", target=token, changes={"name": name})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> bool:
    """Revoke a token; False when it was already revoked (then nothing is recorded)."""
    now = timezone.now()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now) != 1:
        return False
    token.revoked_at = now
    audit_record(actor=actor, action="api_token.revoke", target=token, changes={"name": token.name})
    return True


def api_token_user(key: str) -> User | None:
    """The user of a valid, unrevoked token (used by the API's bearer authentication)."""
    token = (
        ApiToken.objects.filter(key_hash=_hash(key), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
