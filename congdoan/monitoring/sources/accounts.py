"""Credentials for reading a platform's API: the unit's connected account, else a setting.

The accounts are publishing's (`ChannelAccount`, tokens encrypted). Publishing sits above the
domain apps, so monitoring does not import it: the account is found by model name through
Django's app registry, and its credentials are asked of the account backend publishing
registers in the outbox (`congdoan.outbox.channels.accounts`, the dependency turned round): it
decrypts them, refreshes a YouTube token near its end, and refuses an account that must be
reconnected. A token the platform rejects is reported back through `rejected(ref, text)`, so
the account's officers are asked to reconnect it, as when a post fails.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_noop

from congdoan.monitoring.models import Source
from congdoan.monitoring.sources.base import SourceError
from congdoan.outbox.channels import accounts
from congdoan.outbox.errors import ChannelError

# publishing.models.ChannelKind and AccountStatus values (read by name, see above).
FACEBOOK_PAGE = "facebook_page"
YOUTUBE = "youtube"
USABLE_STATUSES = ("connected", "expiring")


@dataclass(frozen=True)
class Credential:
    token: str
    account_ref: str = ""  # the ChannelAccount's id; "" for the setting's token or key


def account_ref(source: Source, channel_kind: str) -> str:
    """The id of the unit's usable account of this platform ("" when none), the one for the
    watched page first."""
    if not apps.is_installed("congdoan.publishing"):
        return ""
    model = apps.get_model("publishing", "ChannelAccount")
    rows = list(
        model.objects.filter(
            unit_id=source.unit_id, kind=channel_kind, status__in=USABLE_STATUSES
        ).values_list("pk", "external_id")
    )
    rows.sort(key=lambda row: (row[1] != source.external_ref, row[0]))
    return str(rows[0][0]) if rows else ""


def credential(
    source: Source, channel_kind: str, *, fallback: str, refresh: bool = False
) -> Credential:
    ref = account_ref(source, channel_kind)
    if ref:
        try:
            creds = accounts.backend().credentials(ref, refresh=refresh)
        except ChannelError as exc:
            raise SourceError(str(exc)) from exc
        token = str(creds.get("access_token") or "")
        if token:
            return Credential(token=token, account_ref=ref)
    if fallback:
        return Credential(token=fallback)
    raise SourceError(
        gettext_noop(
            "Chưa có quyền đọc: đơn vị cần kết nối tài khoản kênh, hoặc quản trị cần đặt mã "
            "truy cập cho việc theo dõi."
        )
    )


def rejected(cred: Credential, text: str) -> None:
    """The platform refused the token: the account (if it was one) must be reconnected."""
    if cred.account_ref:
        with contextlib.suppress(ChannelError):
            accounts.backend().rejected(cred.account_ref, text)
