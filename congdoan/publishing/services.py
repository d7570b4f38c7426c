"""Writes of publishing: channel accounts and their credentials (publications: publications.py).

`credentials_get(account)` / `credentials_save(account, data, …)` are the one way to read and
write an account's tokens (helpers of each platform, Zalo's refresh included, use them): the
dict is encrypted at rest, the expiry dates are kept in clear beside it so the refresh job can
find what is due without decrypting anything.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.orgs.models import Unit
from congdoan.orgs.selectors import unit_officer_emails
from congdoan.outbox.services import email_enqueue
from congdoan.publishing import crypto
from congdoan.publishing.models import AccountStatus, ChannelAccount


def credentials_get(account: ChannelAccount) -> dict[str, Any]:
    """The account's decrypted credentials ({} when none were saved).

    Raises `crypto.CredentialsUnreadable` when the keys changed since they were saved.
    """
    return crypto.decrypt(account.credentials_encrypted)


@transaction.atomic
def credentials_save(
    account: ChannelAccount,
    data: dict[str, Any],
    *,
    access_token_expires_at: datetime | None = None,
    refresh_token_expires_at: datetime | None = None,
    keep_refresh_expiry: bool = False,
) -> ChannelAccount:
    """Store fresh credentials (encrypted) with their expiry dates: the account is connected.

    With `keep_refresh_expiry`, a refresh that did not change the refresh token's life keeps
    the stored `refresh_token_expires_at`.
    """
    now = timezone.now()
    account.credentials_encrypted = crypto.encrypt(data)
    account.access_token_expires_at = access_token_expires_at
    if not keep_refresh_expiry:
        account.refresh_token_expires_at = refresh_token_expires_at
    account.status = AccountStatus.CONNECTED
    account.last_error = ""
    account.last_refreshed_at = now
    account.warned_at = None
    fields = [
        "credentials_encrypted",
        "access_token_expires_at",
        "refresh_token_expires_at",
        "status",
        "last_error",
        "last_refreshed_at",
        "warned_at",
        "updated_at",
    ]
    if account.pk is None:
        account.save()
    else:
        account.save(update_fields=fields)
    return account


def account_mark(account: ChannelAccount, *, status: str, error: str) -> bool:
    """Record that the account's credentials stopped working (EXPIRED or ERROR), once, and
    tell the unit's officers by e-mail: the conditional UPDATE returns False (and nobody is
    told again) when another sender already recorded it."""
    updated = (
        ChannelAccount.objects.filter(pk=account.pk)
        .exclude(status=status)
        .update(status=status, last_error=error[:2000], updated_at=timezone.now())
    )
    account.status = status
    account.last_error = error[:2000]
    if updated == 1:
        officers_tell(account, reason=error)
    return updated == 1


def officers_tell(account: ChannelAccount, *, reason: str) -> None:
    """E-mail the unit's officers that the account must be reconnected (once per account,
    status and day: the outbox's key), with the page where the button is."""
    link = settings.SITE_URL.rstrip("/") + reverse("publishing:accounts")
    subject = _("Cần kết nối lại kênh %(name)s") % {"name": account}
    body = _(
        "Kênh %(name)s của %(unit)s: %(status)s.\n%(reason)s\n\n"
        "Kết nối lại tại: %(link)s\n"
        "Các bài chờ đăng lên kênh này sẽ được đăng khi kênh được kết nối lại và bấm Gửi lại."
    ) % {
        "name": account,
        "unit": account.unit.name,
        "status": account.get_status_display(),
        "reason": reason,
        "link": link,
    }
    email_enqueue(
        to=unit_officer_emails(account.unit),
        subject=subject,
        body=body,
        purpose="publishing.reconnect",
        ref=f"publishing.account:{account.pk}",
        key=f"publishing.reconnect:{account.pk}:{account.status}:{timezone.localdate()}",
    )
    ChannelAccount.objects.filter(pk=account.pk).update(warned_at=timezone.now())


@transaction.atomic
def account_connect(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    external_id: str,
    display_name: str,
    credentials: dict[str, Any],
    access_token_expires_at: datetime | None = None,
    refresh_token_expires_at: datetime | None = None,
) -> ChannelAccount:
    """Connect (or reconnect) the unit's account on a platform with fresh credentials."""
    account, created = ChannelAccount.objects.select_for_update().get_or_create(
        unit=unit,
        kind=kind,
        external_id=external_id,
        defaults={"display_name": display_name[:255], "connected_by": actor},
    )
    if not created:
        account.display_name = display_name[:255] or account.display_name
        account.connected_by = actor
        account.save(update_fields=["display_name", "connected_by", "updated_at"])
    credentials_save(
        account,
        credentials,
        access_token_expires_at=access_token_expires_at,
        refresh_token_expires_at=refresh_token_expires_at,
    )
    audit_record(
        actor=actor,
        action="publishing.account.connect",
        target=account,
        changes={"kind": kind, "name": account.display_name, "reconnected": not created},
    )
    return account


@transaction.atomic
def account_disconnect(*, actor: Any, account: ChannelAccount) -> None:
    """Forget the account and its credentials (its publications stay in the log)."""
    audit_record(
        actor=actor,
        action="publishing.account.disconnect",
        target=account,
        unit=account.unit,
        changes={"kind": account.kind, "name": account.display_name},
    )
    account.delete()
