"""The account backend the outbox's Facebook and YouTube channels ask for credentials
(`congdoan.outbox.channels.accounts`): registered by `PublishingConfig.ready()`.

An account that must be reconnected is refused here, before any call to the platform: the
first refusal of its token marks it, and every later post fails at once with the same clear
message instead of hammering the platform (no retry storm) until an officer reconnects.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.outbox.channels.accounts import AccountBackend, CredentialsRejected
from congdoan.publishing import oauth, publications
from congdoan.publishing.crypto import CredentialsUnreadable
from congdoan.publishing.models import (
    UNUSABLE_STATUSES,
    AccountStatus,
    ChannelAccount,
    ChannelKind,
)
from congdoan.publishing.services import account_mark, credentials_get

# A YouTube access token this close to its end is refreshed before use.
ACCESS_MARGIN = timedelta(minutes=5)


def _account(ref: str) -> ChannelAccount:
    account = (
        ChannelAccount.objects.select_related("unit").filter(pk=int(ref)).first()
        if ref.isdigit()
        else None
    )
    if account is None:
        raise CredentialsRejected(_("Tài khoản kênh này đã bị gỡ kết nối."))
    return account


def credentials(ref: str, *, refresh: bool = False) -> dict[str, Any]:
    account = _account(ref)
    if account.status in UNUSABLE_STATUSES:
        raise CredentialsRejected(
            _("Kênh %(name)s cần được kết nối lại (%(error)s).")
            % {"name": account, "error": account.last_error or account.get_status_display()}
        )
    try:
        creds = credentials_get(account)
    except CredentialsUnreadable as exc:
        text = _(
            "Không đọc được thông tin đăng nhập của kênh %(name)s (khoá mã hoá đã đổi). "
            "Cán bộ cần kết nối lại kênh."
        ) % {"name": account}
        account_mark(account, status=AccountStatus.ERROR, error=text)
        raise CredentialsRejected(text) from exc
    if not creds.get("access_token") and not creds.get("refresh_token"):
        # Nothing to sign with (a demo account, a connection never finished): the platform is
        # not asked at all.
        raise CredentialsRejected(
            _("Kênh %(name)s chưa có mã truy cập: cán bộ cần kết nối kênh.") % {"name": account}
        )
    if account.kind == ChannelKind.YOUTUBE:
        ends = account.access_token_expires_at
        if refresh or ends is None or ends <= timezone.now() + ACCESS_MARGIN:
            creds = oauth.google_refresh(account, creds)
    creds.setdefault("page_id", account.external_id)
    return creds


def rejected(ref: str, text: str) -> None:
    account = ChannelAccount.objects.select_related("unit").filter(pk=int(ref)).first()
    if account is not None:
        account_mark(account, status=AccountStatus.EXPIRED, error=text)


BACKEND = AccountBackend(
    credentials=credentials,
    rejected=rejected,
    progress_get=publications.progress_get,
    progress_save=publications.progress_save,
)
