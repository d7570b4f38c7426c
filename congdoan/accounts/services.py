"""Security writes of an account: two-factor devices, API tokens, passwords, reset codes.

Each is audited, and each tells the person what changed (`security_notice`: an e-mail, or an
SMS for an account with only a phone), so that a change they did not make does not go unseen.
Turning two-factor on and changing the password revoke every API token: a token minted by
whoever knew the old secrets must not outlive them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import b32encode
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_otp.plugins.otp_totp.models import TOTPDevice

from congdoan.accounts.models import TOKEN_READ, TOKEN_WRITE_SCOPES, ApiToken, ResetCode, User
from congdoan.audit.services import audit_record
from congdoan.core import ratelimit
from congdoan.core.qr import qr_svg as core_qr_svg
from congdoan.core.vndate import vn_short_date
from congdoan.outbox.services import email_enqueue, sms_enqueue

# -- notices -----------------------------------------------------------------------------------


def security_notice(*, user: User, what: str) -> None:
    """Tell the person that their account's security changed (queued through the outbox)."""
    with override(settings.LANGUAGE_CODE):
        now = timezone.localtime()
        when = f"{now:%H:%M} {vn_short_date(now)}"
        text = _(
            "Công Đoàn Số: tài khoản của bạn vừa %(what)s (%(when)s). Nếu không phải bạn làm,"
            " hãy đổi mật khẩu ngay và báo cho công đoàn."
        ) % {"what": what, "when": when}
        if user.email:
            email_enqueue(
                to=[user.email],
                subject=_("Thay đổi bảo mật tài khoản Công Đoàn Số"),
                body=text,
                purpose="account.notice",
                ref=f"user:{user.pk}",
            )
        elif user.phone:
            sms_enqueue(to=user.phone, text=text, purpose="account.notice", ref=f"user:{user.pk}")


# -- two-factor --------------------------------------------------------------------------------


def totp_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device being set up (created on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_secret_b32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    return qr_svg(device.config_url)


def qr_svg(text: str) -> str:
    """The code as inline SVG text (the two-factor set-up, a member's reset link)."""
    return core_qr_svg(text, box_size=8).decode()


def totp_wait_seconds(*, user: User) -> int:
    """Seconds before the user's authenticator accepts a code again after too many wrong ones
    (django-otp's throttle); 0 when a code would be checked now. Without this, a right code
    typed during the wait is refused as if it were wrong."""
    now = timezone.now()
    waits = [
        int((details["locked_until"] - now).total_seconds()) + 1
        for device in TOTPDevice.objects.filter(user=user, confirmed=True)
        for allowed, details in [device.verify_is_allowed()]
        if not allowed and details and "locked_until" in details
    ]
    return max(waits, default=0)


def totp_wait_message(*, user: User) -> str | None:
    """What to tell someone who types a code while django-otp's throttle would not check it
    (it would call a right code wrong); None when a code would be checked now."""
    wait = totp_wait_seconds(user=user)
    if not wait:
        return None
    return _(
        "Mã chưa được kiểm tra: sau lần nhập sai vừa rồi, để chống dò mã, xin chờ %(n)s giây rồi nhập lại."
    ) % {"n": wait}


@transaction.atomic
def totp_confirm(*, user: User, token: str) -> TOTPDevice | None:
    """Confirm the pending device with a code from it; every API token is revoked."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    revoked = api_tokens_revoke_all(user=user)
    audit_record(
        actor=user, action="account.2fa_enable", target=user, changes={"tokens_revoked": revoked}
    )
    security_notice(user=user, what=_("bật xác thực hai lớp"))
    return device


@transaction.atomic
def totp_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action="account.2fa_disable", target=user)
    security_notice(user=user, what=_("tắt xác thực hai lớp"))


# -- API tokens --------------------------------------------------------------------------------


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    actor: Any,
    user: User,
    name: str,
    scopes: list[str] | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token (reading only unless write scopes are given); the clear key is returned
    once and never stored."""
    scopes = [TOKEN_READ] if scopes is None else scopes
    unknown = set(scopes) - {TOKEN_READ, *TOKEN_WRITE_SCOPES}
    if unknown or not scopes:
        raise ValidationError(_("Quyền của mã API không hợp lệ."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("Ngày hết hạn phải ở tương lai."))
    key = "cds_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=_hash(key),
        prefix=key[4:12],
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        action="api_token.create",
        target=token,
        changes={
            "name": name,
            "scopes": token.scopes,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    security_notice(user=user, what=_("tạo mã API “%(name)s”") % {"name": name})
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


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every live token of the user (inside the caller's transaction); how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def api_token_for(key: str) -> ApiToken | None:
    """The valid token of this key (not revoked, not expired, its user active); its last use
    is recorded. Used by the API's bearer authentication."""
    token = (
        ApiToken.objects.filter(key_hash=_hash(key), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or token.is_expired or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def api_token_user(key: str) -> User | None:
    token = api_token_for(key)
    return token.user if token is not None else None


# -- passwords ---------------------------------------------------------------------------------


@transaction.atomic
def password_set(*, actor: Any, user: User, password: str, how: str) -> int:
    """Set a new password (`how`: "change", "reset_email" (also an officer's link: the same
    page) or "reset_sms"); every API token is revoked; the person is told. Returns the
    number of tokens revoked."""
    user.set_password(password)
    user.save(update_fields=["password"])
    revoked = api_tokens_revoke_all(user=user)
    audit_record(
        actor=actor,
        action="account.password_" + how,
        target=user,
        changes={"tokens_revoked": revoked},
    )
    security_notice(user=user, what=_("đổi mật khẩu"))
    return revoked


RESET_CODE_MINUTES = 15
RESET_CODE_ATTEMPTS = 5
RESET_CODES_PER_HOUR = 3


def _code_hash(user: User, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{user.pk}:{code}".encode(), "sha256"
    ).hexdigest()


@transaction.atomic
def reset_code_send(*, user: User) -> bool:
    """Text a 6-digit reset code to the user's phone (at most RESET_CODES_PER_HOUR an hour);
    False when none was sent."""
    if not user.phone or not user.is_active:
        return False
    if not ratelimit.hit(f"accounts:reset_sms:{user.pk}", limit=RESET_CODES_PER_HOUR, window=3600):
        return False
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    ResetCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    ResetCode.objects.create(
        user=user,
        code_hash=_code_hash(user, code),
        expires_at=now + timedelta(minutes=RESET_CODE_MINUTES),
    )
    with override(settings.LANGUAGE_CODE):
        text = _(
            "Công Đoàn Số: mã đặt lại mật khẩu của bạn là %(code)s (dùng trong %(minutes)s phút)."
            " Đừng đưa mã này cho ai."
        ) % {"code": code, "minutes": RESET_CODE_MINUTES}
    sms_enqueue(to=user.phone, text=text, purpose="account.reset_code", ref=f"user:{user.pk}")
    audit_record(actor=None, action="account.reset_code_sent", target=user)
    return True


def reset_code_check(*, user: User, code: str) -> bool:
    """True once for the right, fresh code; wrong tries count, and the code dies after
    RESET_CODE_ATTEMPTS of them."""
    now = timezone.now()
    live = (
        ResetCode.objects.filter(
            user=user, used_at__isnull=True, expires_at__gt=now, attempts__lt=RESET_CODE_ATTEMPTS
        )
        .order_by("-created_at")
        .first()
    )
    if live is None:
        return False
    if not hmac.compare_digest(live.code_hash, _code_hash(user, code.strip())):
        ResetCode.objects.filter(pk=live.pk).update(attempts=live.attempts + 1)
        return False
    return ResetCode.objects.filter(pk=live.pk, used_at__isnull=True).update(used_at=now) == 1


@transaction.atomic
def password_reset_link_by_officer(*, actor: Any, user: User) -> str:
    """A one-time reset link (Django's signed token: it dies with the first new password, or
    after PASSWORD_RESET_TIMEOUT) that a union's officer hands to a member who cannot reset
    by e-mail or SMS. The officer never learns the password. Returns the link's path."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)},
    )
    audit_record(actor=actor, action="account.reset_link_by_officer", target=user)
    security_notice(
        user=user,
        what=_("được cán bộ công đoàn %(name)s tạo đường dẫn đặt lại mật khẩu") % {"name": actor},
    )
    return path
