"""Linking a person's Zalo account to their platform account, so that the union's Zalo OA can
message them (monitoring alerts to officers).

A Zalo user id is scoped to the OA and opaque: nobody can type it. So the person asks for a
one-time code on their account page (`link_code_create`: 6 digits, valid LINK_CODE_MINUTES,
one live code per person, only its keyed hash kept) and sends "#lienket <code>" to the OA.
Feedback's Zalo intake hands such a message here (`link_from_zalo`, registered in
`AccountsConfig.ready()` through `congdoan.core.registry.register_zalo_prefix`), which stores
the sender's id on the account (`User.zalo_user_id`) and answers through the OA.

- A Zalo account links to one platform account: linking it to another moves it (audited on
  both, and both people are told).
- A code works once; a wrong, expired or spent code gets a clear answer; a sender has
  LINK_TRIES_PER_WINDOW tries per LINK_TRY_WINDOW seconds (a message Zalo delivers again is
  answered as before and not counted again).
- Zalo redelivers a message it thinks lost: the message that spent a code is recognised by
  its id and answered as the first time (the reply's outbox key sends it once).
- The id is personal data: shown to nobody (the account page says only "connected"), the
  admin aside; `zalo_unlink` clears it.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

import regex
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from congdoan.accounts.models import User, ZaloLinkCode
from congdoan.accounts.services import security_notice
from congdoan.audit.services import audit_record
from congdoan.core import ratelimit
from congdoan.orgs.site import home_unit

# The command's spellings (folded: any case, with or without diacritics, are accepted).
ZALO_PREFIXES = ("#lienket", "#lien ket", "# lienket", "# lien ket")
ZALO_HANDLER = "congdoan.accounts.zalo.link_from_zalo"

LINK_CODE_MINUTES = 15
LINK_TRIES_PER_WINDOW = 5
LINK_TRY_WINDOW = 15 * 60
REPLAY_SECONDS = 24 * 3600  # how long a message's answer is kept for Zalo's redeliveries
_SPENT_KEPT = timedelta(days=1)  # a spent or expired code row, then dropped
_DIGITS = regex.compile(r"^\d{6}$")


def _hash(code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"zalo-link:{code}".encode(), "sha256"
    ).hexdigest()


@transaction.atomic
def link_code_create(*, user: User) -> tuple[str, datetime]:
    """A new one-time code for the user (their previous one dies); (code, valid until).
    The clear code is returned once and never stored."""
    now = timezone.now()
    # Codes of anyone that ended a day ago are dropped: the table stays one row per person
    # trying now, and an old hash never blocks a new code.
    ZaloLinkCode.objects.filter(expires_at__lt=now - _SPENT_KEPT).delete()
    ZaloLinkCode.objects.filter(user=user).delete()
    for _try in range(20):
        code = f"{secrets.randbelow(1_000_000):06d}"
        code_hash = _hash(code)
        if not ZaloLinkCode.objects.filter(code_hash=code_hash).exists():
            break
    else:  # a million codes nearly all live at once: not this deployment's size
        raise RuntimeError("no free Zalo link code")
    expires_at = now + timedelta(minutes=LINK_CODE_MINUTES)
    ZaloLinkCode.objects.create(
        user=user, code_hash=code_hash, created_at=now, expires_at=expires_at
    )
    return code, expires_at


def link_code_pending(*, user: User, code: str) -> datetime | None:
    """Until when `code` stays the user's live code (unspent, unexpired); None otherwise.
    The account page shows the code while it is."""
    if not code:
        return None
    return (
        ZaloLinkCode.objects.filter(
            user=user, code_hash=_hash(code), used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .values_list("expires_at", flat=True)
        .first()
    )


def oa_name() -> str:
    """How the account page names the union's OA: the home unit's."""
    unit = home_unit()
    return unit.name if unit is not None else ""


def _linked_reply(user: User) -> str:
    with override(settings.LANGUAGE_CODE):
        return _(
            "Đã kết nối Zalo của bạn với tài khoản Công Đoàn Số “%(name)s”. Từ nay bạn nhận "
            "thông báo, cảnh báo của Công đoàn qua Zalo. Ngắt kết nối: trang Tài khoản."
        ) % {"name": user.full_name or user.username}


def _refusal(kind: str) -> str:
    with override(settings.LANGUAGE_CODE):
        if kind == "help":
            return _(
                "Để kết nối Zalo, vào trang Tài khoản trên Công Đoàn Số, bấm “Kết nối Zalo” "
                "rồi nhắn: #lienket kèm mã 6 chữ số, ví dụ #lienket 123456."
            )
        if kind == "limited":
            return _("Bạn đã nhập sai mã quá nhiều lần. Xin chờ %(minutes)s phút rồi thử lại.") % {
                "minutes": LINK_TRY_WINDOW // 60
            }
        if kind == "expired":
            return _(
                "Mã kết nối đã hết hạn (mã dùng được %(minutes)s phút). Hãy tạo mã mới trên "
                "trang Tài khoản rồi nhắn lại."
            ) % {"minutes": LINK_CODE_MINUTES}
        if kind == "spent":
            return _("Mã kết nối này đã được dùng. Hãy tạo mã mới trên trang Tài khoản.")
        return _(
            "Mã kết nối không đúng. Xin kiểm tra lại mã 6 chữ số trên trang Tài khoản rồi nhắn "
            "lại: #lienket kèm mã."
        )


def link_from_zalo(*, sender_id: str, text: str, msg_id: str) -> str:
    """ "#lienket <code>" sent to the OA (the text after the command); the reply to send back.
    Runs in the Zalo intake's transaction. A message Zalo delivers again gets the answer it
    got the first time, without counting as another try (remembered once that answer's
    transaction is committed, for :data:`REPLAY_SECONDS`)."""
    sender_id = (sender_id or "").strip()[:64]
    if not sender_id:
        return ""
    key = f"accounts:zalo_link:reply:{sender_id}:{msg_id[:100]}" if msg_id else ""
    if key:
        answered = cache.get(key)
        if isinstance(answered, str):
            return answered
    reply = _answer(sender_id=sender_id, text=text, msg_id=msg_id)
    if key:
        transaction.on_commit(lambda: cache.set(key, reply, timeout=REPLAY_SECONDS))
    return reply


def _answer(*, sender_id: str, text: str, msg_id: str) -> str:
    code = regex.sub(r"[\s.\-]", "", text or "")
    if not _DIGITS.match(code):
        return _refusal("help")
    # Zalo's redelivery of the message that spent the code: the same answer, nothing counted.
    again = (
        ZaloLinkCode.objects.filter(used_msg_id=msg_id[:100], used_at__isnull=False)
        .select_related("user")
        .first()
        if msg_id
        else None
    )
    if again is not None and again.user.zalo_user_id == sender_id:
        return _linked_reply(again.user)
    if not ratelimit.hit(
        f"accounts:zalo_link:{sender_id}", limit=LINK_TRIES_PER_WINDOW, window=LINK_TRY_WINDOW
    ):
        return _refusal("limited")
    row = (
        ZaloLinkCode.objects.select_for_update()
        .select_related("user")
        .filter(code_hash=_hash(code))
        .first()
    )
    now = timezone.now()
    if row is None or not row.user.is_active:
        return _refusal("wrong")
    if row.used_at is not None:
        return _refusal("spent")
    if row.expires_at <= now:
        return _refusal("expired")
    row.used_at = now
    row.used_msg_id = (msg_id or "")[:100]
    row.save(update_fields=["used_at", "used_msg_id"])
    zalo_link(user=row.user, zalo_user_id=sender_id)
    return _linked_reply(row.user)


@transaction.atomic
def zalo_link(*, user: User, zalo_user_id: str) -> None:
    """Store the Zalo id on the user (the code proved both ends). A Zalo account linked to
    another platform account moves here: that account loses it, audited, its owner told."""
    now = timezone.now()
    moved_from: list[User] = list(
        User.objects.select_for_update().filter(zalo_user_id=zalo_user_id).exclude(pk=user.pk)
    )
    for previous in moved_from:
        previous.zalo_user_id = ""
        previous.zalo_linked_at = None
        previous.save(update_fields=["zalo_user_id", "zalo_linked_at"])
        audit_record(
            actor=user,
            action="account.zalo_unlink",
            target=previous,
            changes={"moved_to_user": user.pk},
        )
        security_notice(
            user=previous,
            what=_("bị ngắt kết nối Zalo (tài khoản Zalo đó vừa được kết nối với tài khoản khác)"),
        )
    changes: dict[str, Any] = {"replaced": bool(user.zalo_user_id)}
    if moved_from:
        changes["moved_from_user"] = moved_from[0].pk
    user.zalo_user_id = zalo_user_id
    user.zalo_linked_at = now
    user.save(update_fields=["zalo_user_id", "zalo_linked_at"])
    audit_record(actor=user, action="account.zalo_link", target=user, changes=changes)
    security_notice(user=user, what=_("được kết nối với một tài khoản Zalo"))


@transaction.atomic
def zalo_unlink(*, actor: Any, user: User) -> bool:
    """Forget the user's Zalo id (and any code in flight); False when none was linked."""
    ZaloLinkCode.objects.filter(user=user).delete()
    if (
        not User.objects.filter(pk=user.pk)
        .exclude(zalo_user_id="")
        .update(zalo_user_id="", zalo_linked_at=None)
    ):
        return False
    user.zalo_user_id = ""
    user.zalo_linked_at = None
    audit_record(actor=actor, action="account.zalo_unlink", target=user)
    security_notice(user=user, what=_("ngắt kết nối Zalo"))
    return True
