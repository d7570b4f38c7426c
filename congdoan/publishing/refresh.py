"""The periodic job that keeps channel credentials working (`publishing.refresh`).

Each run: renews the YouTube access tokens that end within CHANNEL_REFRESH_BEFORE_MINUTES
(Facebook page tokens do not expire; Zalo OA's are renewed by congdoan/publishing/zalo.py);
marks EXPIRING, and tells the officers once, each account whose grant (refresh token,
Facebook's data access) ends within CHANNEL_RECONNECT_WARN_DAYS; marks EXPIRED, and tells them,
each one whose grant has ended. A platform that cannot be reached is tried again next run.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from congdoan.outbox.channels.accounts import CredentialsRejected
from congdoan.outbox.errors import ChannelError
from congdoan.publishing import oauth
from congdoan.publishing.crypto import CredentialsUnreadable
from congdoan.publishing.models import (
    USABLE_STATUSES,
    AccountStatus,
    ChannelAccount,
    ChannelKind,
)
from congdoan.publishing.services import account_mark, credentials_get

log = logging.getLogger("congdoan.publishing")


def channels_refresh(*, now: Any = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"refreshed": 0, "expiring": 0, "expired": 0, "failed": 0}
    soon = now + timedelta(minutes=settings.CHANNEL_REFRESH_BEFORE_MINUTES)
    due = ChannelAccount.objects.select_related("unit").filter(
        kind=ChannelKind.YOUTUBE, status__in=USABLE_STATUSES, access_token_expires_at__lte=soon
    )
    for account in due:
        try:
            oauth.google_refresh(account, credentials_get(account))
        except CredentialsRejected:
            counts["expired"] += 1
        except CredentialsUnreadable:
            account_mark(
                account,
                status=AccountStatus.ERROR,
                error=_("Không đọc được thông tin đăng nhập (khoá mã hoá đã đổi)."),
            )
            counts["expired"] += 1
        except ChannelError as exc:
            log.warning("publishing: refreshing %s failed, next run retries: %s", account.pk, exc)
            counts["failed"] += 1
        else:
            counts["refreshed"] += 1

    grants = ChannelAccount.objects.select_related("unit").filter(
        status__in=USABLE_STATUSES, refresh_token_expires_at__isnull=False
    )
    for account in grants.filter(refresh_token_expires_at__lte=now):
        account_mark(
            account,
            status=AccountStatus.EXPIRED,
            error=_("Quyền truy cập kênh đã hết hạn; cần kết nối lại."),
        )
        counts["expired"] += 1
    warn = now + timedelta(days=settings.CHANNEL_RECONNECT_WARN_DAYS)
    ending = grants.filter(
        status=AccountStatus.CONNECTED,
        refresh_token_expires_at__gt=now,
        refresh_token_expires_at__lte=warn,
    )
    for account in ending:
        assert account.refresh_token_expires_at is not None
        when = date_format(timezone.localtime(account.refresh_token_expires_at), "j/n/Y")
        account_mark(
            account,
            status=AccountStatus.EXPIRING,
            error=_("Quyền truy cập kênh hết hạn ngày %(when)s; hãy kết nối lại trước ngày đó.")
            % {"when": when},
        )
        counts["expiring"] += 1
    return counts
