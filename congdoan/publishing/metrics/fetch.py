"""The periodic job `publishing.metrics`: read the reach figures of recent posts.

Each run (every REACH_FETCH_EVERY_MINUTES):
1. takes the publications PUBLISHED within the last REACH_FETCH_DAYS on Facebook, YouTube and
   Zalo OA, with the platform's id of the post, whose post is not known to be deleted, of an
   account that can still be used;
2. per account: reads its credentials once (an unreadable or unusable account is skipped, as
   the senders do), then each post's figures (`clients.read_*`);
3. saves the figures (`figures_save`: the latest row, and the day's row of the history);
4. on a refused token marks the account EXPIRED through `services.account_mark` (its officers
   are e-mailed once, as the refresh job does) and leaves its other posts; on a rate limit
   leaves the account's other posts for the next run; on a deleted post marks it gone; any
   other failure is written beside the post's last figures and tried again next run.
Nothing here raises: one platform down does not stop the others.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congdoan.outbox.channels.accounts import CredentialsRejected
from congdoan.outbox.errors import ChannelError
from congdoan.publishing import backend, zalo
from congdoan.publishing.crypto import CredentialsUnreadable
from congdoan.publishing.metrics.clients import (
    FetchError,
    Problem,
    Reading,
    read_facebook,
    read_youtube,
    read_zalo,
)
from congdoan.publishing.models import (
    USABLE_STATUSES,
    AccountStatus,
    ChannelAccount,
    ChannelKind,
    Publication,
    PublicationStatus,
)
from congdoan.publishing.models_metrics import FIGURES, PublicationMetrics, PublicationMetricsDay
from congdoan.publishing.services import account_mark

log = logging.getLogger("congdoan.publishing.metrics")

KINDS = (ChannelKind.FACEBOOK_PAGE, ChannelKind.YOUTUBE, ChannelKind.ZALO_OA)


def due_publications(now: datetime) -> list[Publication]:
    since = now - timedelta(days=settings.REACH_FETCH_DAYS)
    return list(
        Publication.objects.filter(
            status=PublicationStatus.PUBLISHED,
            kind__in=KINDS,
            published_at__gte=since,
            account__status__in=USABLE_STATUSES,
        )
        .exclude(remote_id="")
        .exclude(metrics__gone=True)
        .select_related("account", "account__unit")
        .order_by("account_id", "published_at", "pk")
    )


def figures_save(publication: Publication, reading: Reading, now: datetime) -> None:
    """The latest figures, and the same as the day's row of the history (one per local day)."""
    figures = {name: reading.figures.get(name) for name in FIGURES}
    with transaction.atomic():
        PublicationMetrics.objects.update_or_create(
            publication=publication,
            defaults={
                **figures,
                "fetched_at": now,
                "tried_at": now,
                "raw": reading.raw,
                "error": "",
            },
        )
        PublicationMetricsDay.objects.update_or_create(
            publication=publication, day=timezone.localdate(now), defaults=figures
        )


def problem_save(publication: Publication, error: FetchError, now: datetime) -> None:
    """The last figures stay; the problem is written beside them."""
    PublicationMetrics.objects.update_or_create(
        publication=publication,
        defaults={
            "error": str(error)[:1000],
            "tried_at": now,
            "gone": error.problem is Problem.GONE,
        },
    )


def _reader(account: ChannelAccount) -> Any:
    """A function reading one post of this account: (remote id) → Reading."""
    ref = str(account.pk)
    creds = backend.credentials(ref)  # CredentialsRejected: unusable, already told
    if account.kind == ChannelKind.FACEBOOK_PAGE:
        return lambda remote_id: read_facebook(remote_id, creds)
    if account.kind == ChannelKind.YOUTUBE:

        def refresh() -> dict[str, Any]:
            try:
                return backend.credentials(ref, refresh=True)
            except CredentialsRejected as exc:  # Google refused: the account is marked
                raise FetchError(str(exc), Problem.RECONNECT) from exc
            except ChannelError as exc:
                raise FetchError(str(exc), Problem.FAILED) from exc

        return lambda remote_id: read_youtube(remote_id, creds, refresh)

    def renew(rejected: str) -> dict[str, Any] | None:
        try:
            outcome = zalo.account_refresh(account_id=account.pk, rejected_token=rejected)
        except ChannelError as exc:
            raise FetchError(str(exc), Problem.FAILED) from exc
        if outcome not in ("refreshed", "fresh"):
            return None
        return backend.credentials(ref)

    return lambda remote_id: read_zalo(remote_id, creds, renew)


def metrics_fetch(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job (see the module's docstring); counts of what happened, for the log."""
    now = now or timezone.now()
    counts = {"read": 0, "failed": 0, "gone": 0, "skipped": 0, "reconnect": 0}
    by_account: dict[int, list[Publication]] = {}
    for publication in due_publications(now):
        assert publication.account_id is not None
        by_account.setdefault(publication.account_id, []).append(publication)
    for rows in by_account.values():
        account = rows[0].account
        assert account is not None
        try:
            read = _reader(account)
        except (CredentialsRejected, CredentialsUnreadable, ChannelError) as exc:
            log.info("metrics: account %s skipped: %s", account.pk, exc)
            counts["skipped"] += len(rows)
            continue
        for index, publication in enumerate(rows):
            try:
                reading = read(publication.remote_id)
            except FetchError as exc:
                problem_save(publication, exc, now)
                if exc.problem is Problem.GONE:
                    counts["gone"] += 1
                    continue
                counts["failed"] += 1
                if exc.problem is Problem.RECONNECT:
                    account_mark(account, status=AccountStatus.EXPIRED, error=str(exc))
                    counts["reconnect"] += 1
                if exc.problem in (Problem.RECONNECT, Problem.LIMITED):
                    counts["skipped"] += len(rows) - index - 1
                    break
                continue
            figures_save(publication, reading, now)
            counts["read"] += 1
    log.info("metrics: %s", counts)
    return counts
