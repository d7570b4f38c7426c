"""Delivery: try one due message once, and flush everything that is due.

See `congdoan.outbox.services` for the life of a message. No sender ever sleeps: a message
that must wait has a later `next_attempt_at`, and the scheduler's flush picks it up.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from congdoan.outbox.channels import SENDERS
from congdoan.outbox.errors import ChannelError
from congdoan.outbox.models import DeliveryAttempt, MessageStatus, OutboundMessage
from congdoan.outbox.policy import RetryPolicy
from congdoan.outbox.signals import message_failed, message_sent

log = logging.getLogger("congdoan.outbox")


def _due_q(now: Any) -> Q:
    return Q(status=MessageStatus.QUEUED, next_attempt_at__lte=now) | Q(
        status=MessageStatus.SENDING, claimed_until__lt=now
    )


def message_deliver(*, message_id: int, now: Any = None) -> str | None:
    """Try one due message once. Returns its new status, or None when it was not ours to send
    (not due, already sent, or claimed by another sender)."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    claimed = OutboundMessage.objects.filter(_due_q(now), pk=message_id).update(
        status=MessageStatus.SENDING, claimed_until=now + lease, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return None
    message = OutboundMessage.objects.get(pk=message_id)
    started = time.monotonic()
    error: ChannelError | None = None
    provider_id = ""
    try:
        provider_id = SENDERS[message.channel](message)
    except ChannelError as exc:
        error = exc
    except Exception as exc:  # a bug or an unknown failure: logged, retried like a timeout
        log.exception("outbox: message %s (%s) failed unexpectedly", message.pk, message.channel)
        error = ChannelError(f"{type(exc).__name__}: {exc}", retryable=True)
    duration_ms = int((time.monotonic() - started) * 1000)
    DeliveryAttempt.objects.create(
        message=message,
        started_at=now,
        duration_ms=duration_ms,
        ok=error is None,
        error=str(error or "")[:2000],
        provider_id=provider_id[:200],
    )
    if error is None:
        OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.SENT,
            sent_at=timezone.now(),
            provider_id=provider_id[:200],
            last_error="",
            claimed_until=None,
        )
        message.refresh_from_db()
        _signal(message_sent, message)
        return MessageStatus.SENT
    policy = RetryPolicy.from_settings()
    final = not error.retryable or policy.gives_up_after(message.attempts)
    status = MessageStatus.FAILED if final else MessageStatus.QUEUED
    OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=status,
        last_error=str(error)[:2000],
        next_attempt_at=now if final else now + policy.delay(message.attempts),
        claimed_until=None,
    )
    log.warning(
        "outbox: %s message %s, attempt %s: %s%s",
        message.channel,
        message.pk,
        message.attempts,
        error,
        " (gave up)" if final else "",
    )
    message.refresh_from_db()
    _signal(message_failed, message, final=final)
    return status


def _signal(signal: Any, message: OutboundMessage, **extra: Any) -> None:
    for receiver, result in signal.send_robust(sender=OutboundMessage, message=message, **extra):
        if isinstance(result, Exception):
            log.error("outbox: receiver %r failed: %r", receiver, result)


def outbox_flush(*, limit: int = 500, now: Any = None) -> dict[str, int]:
    """Deliver what is due, oldest first. A channel whose provider is unreachable is skipped
    for the rest of this flush (its other messages wait for the next one), so one dead
    provider cannot hold the flush for limit × timeout seconds."""
    now = now or timezone.now()
    rows = list(
        OutboundMessage.objects.filter(_due_q(now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", "channel")[:limit]
    )
    counts = {"sent": 0, "failed": 0, "retry": 0, "skipped": 0}
    down: set[str] = set()
    for pk, channel in rows:
        if channel in down:
            counts["skipped"] += 1
            continue
        status = message_deliver(message_id=pk, now=now)
        if status == MessageStatus.SENT:
            counts["sent"] += 1
        elif status == MessageStatus.FAILED:
            counts["failed"] += 1
        elif status == MessageStatus.QUEUED:
            counts["retry"] += 1
            down.add(channel)
    return counts


def outbox_prune(*, now: Any = None) -> int:
    """Delete messages (and their attempts) older than OUTBOX_RETENTION_DAYS that are done
    with: they hold workers' phone numbers and Zalo ids, which must not outlive the
    concerns' own retention. Waiting messages are kept whatever their age."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    done = [MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.NO_RECIPIENT]
    deleted, _ = OutboundMessage.objects.filter(created_at__lt=limit, status__in=done).delete()
    return deleted
