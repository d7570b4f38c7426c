"""Writes of the outbox: queue a message, retry a failed one by hand (delivery: delivery.py).

The life of a message:
1. `message_enqueue` writes it in the caller's transaction (idempotent by key) and, on
   commit, queues the `deliver_message` task: the first try comes within seconds.
2. `message_deliver` claims it with a conditional UPDATE (QUEUED and due, or SENDING whose
   sender died), tries the channel once, logs the attempt, then marks it SENT, or QUEUED
   again with a later `next_attempt_at` (the retry policy), or FAILED after the last try.
3. `outbox_flush`, run by the scheduler every OUTBOX_FLUSH_EVERY_SECONDS, delivers what is
   due: the retries, and any message whose task was lost (worker killed, queue down).
No sender ever sleeps: waiting is `next_attempt_at`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from congdoan.audit.services import audit_record
from congdoan.outbox.models import MessageStatus, OutboundMessage
from congdoan.outbox.tasks import deliver_message

log = logging.getLogger("congdoan.outbox")


def message_enqueue(
    *,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    purpose: str = "",
    ref: str = "",
    key: str | None = None,
    headers: dict[str, str] | None = None,
    html: str = "",
) -> OutboundMessage:
    """Queue one message to one recipient; sent after the current transaction commits.

    With `key`, a second call with the same key returns the first message and sends nothing.
    An empty `recipient` is stored as NO_RECIPIENT (shown on the channels page, never sent).
    `headers` are extra e-mail headers (List-Unsubscribe…) and `html` an HTML version of the
    body of an e-mail; other channels ignore them.
    """
    fields: dict[str, Any] = {
        "channel": channel,
        "recipient": recipient[:254],
        "subject": subject[:255],
        "body": body,
        "headers": dict(headers or {}),
        "html": html,
        "purpose": purpose[:40],
        "ref": ref[:100],
        "idempotency_key": key[:200] if key else None,
    }
    if not recipient:
        fields.update(status=MessageStatus.NO_RECIPIENT, last_error=body[:200])
    if key:
        existing = OutboundMessage.objects.filter(idempotency_key=fields["idempotency_key"]).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                message = OutboundMessage.objects.create(**fields)
        except IntegrityError:  # the same key queued at this very moment by another process
            return OutboundMessage.objects.get(idempotency_key=fields["idempotency_key"])
    else:
        message = OutboundMessage.objects.create(**fields)
    if message.status == MessageStatus.QUEUED:
        transaction.on_commit(lambda: _deliver_soon(message.pk))
    else:
        log.warning("outbox: %s message %s has no recipient (%s)", channel, message.pk, purpose)
    return message


def email_enqueue(
    *,
    to: list[str],
    subject: str,
    body: str,
    purpose: str = "",
    ref: str = "",
    key: str = "",
    headers: dict[str, str] | None = None,
    html: str = "",
) -> list[OutboundMessage]:
    """One e-mail per address (each retried on its own); none → one NO_RECIPIENT row.

    `headers`: extra headers for every address (a per-address header, such as a personal
    List-Unsubscribe link, needs one call per address); `html`: an HTML version of `body`
    (sent as multipart/alternative: the text stays for clients that show no HTML).
    """
    addresses = sorted({a for a in to if a}) or [""]
    return [
        message_enqueue(
            channel="email",
            recipient=address,
            subject=subject,
            body=body,
            purpose=purpose,
            ref=ref,
            key=f"{key}:{address}" if key else None,
            headers=headers,
            html=html,
        )
        for address in addresses
    ]


def sms_enqueue(
    *, to: str, text: str, purpose: str = "", ref: str = "", key: str = ""
) -> OutboundMessage:
    """Queue an SMS (a receipt, an answer, a password-reset code…) through the outbox."""
    return message_enqueue(
        channel="sms", recipient=to, body=text, purpose=purpose, ref=ref, key=key or None
    )


def _deliver_soon(message_id: int) -> None:
    try:
        deliver_message.enqueue(message_id)
    except Exception:  # the queue is down: the scheduler's flush sends it
        log.exception("outbox: could not queue message %s; the next flush sends it", message_id)


@transaction.atomic
def message_retry(*, actor: Any, message: OutboundMessage) -> bool:
    """An officer's "try again" on a failed message: due now, with a fresh set of attempts."""
    updated = OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    if updated != 1:
        return False
    audit_record(
        actor=actor,
        action="outbox.message.retry",
        target=message,
        changes={"channel": message.channel, "purpose": message.purpose},
    )
    transaction.on_commit(lambda: _deliver_soon(message.pk))
    return True
