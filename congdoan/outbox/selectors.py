"""Reads of the outbox: how each channel is doing, and the messages that need a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, QuerySet

from congdoan.orgs.scoping import Viewer
from congdoan.outbox.models import DeliveryAttempt, MessageStatus, OutboundChannel, OutboundMessage
from congdoan.outbox.rules import can_manage_outbox

ATTENTION = (MessageStatus.FAILED, MessageStatus.NO_RECIPIENT)


@dataclass(frozen=True)
class ChannelHealth:
    channel: str
    label: str
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str  # empty for viewers who may not read errors (they can name a recipient)
    queued: int
    failed: int
    no_recipient: int

    @property
    def failing(self) -> bool:
        """The last try failed (no success since), or messages wait that no try delivered."""
        if self.last_error_at is None:
            return False
        return self.last_success_at is None or self.last_error_at > self.last_success_at


def channel_health(*, viewer: Viewer) -> list[ChannelHealth]:
    counts: dict[tuple[str, str], int] = {
        (row["channel"], row["status"]): row["n"]
        for row in OutboundMessage.objects.values("channel", "status").annotate(n=Count("id"))
    }
    last_ok = dict(
        DeliveryAttempt.objects.filter(ok=True)
        .values("message__channel")
        .annotate(at=Max("started_at"))
        .values_list("message__channel", "at")
    )
    with_errors = can_manage_outbox(viewer)
    rows = []
    for channel in OutboundChannel:
        error = (
            DeliveryAttempt.objects.filter(ok=False, message__channel=channel.value)
            .order_by("-started_at", "-id")
            .values("started_at", "error")
            .first()
        )
        rows.append(
            ChannelHealth(
                channel=channel.value,
                label=str(channel.label),
                last_success_at=last_ok.get(channel.value),
                last_error_at=error["started_at"] if error else None,
                last_error=(error["error"] if error and with_errors else ""),
                queued=counts.get((channel.value, MessageStatus.QUEUED), 0)
                + counts.get((channel.value, MessageStatus.SENDING), 0),
                failed=counts.get((channel.value, MessageStatus.FAILED), 0),
                no_recipient=counts.get((channel.value, MessageStatus.NO_RECIPIENT), 0),
            )
        )
    return rows


def messages_needing_attention(*, viewer: Viewer) -> QuerySet[OutboundMessage]:
    """Failed and recipient-less messages, newest first; nothing for non-administrators."""
    if not can_manage_outbox(viewer):
        return OutboundMessage.objects.none()
    return OutboundMessage.objects.filter(status__in=ATTENTION).order_by("-created_at", "-id")


def message_for_retry(*, viewer: Viewer, message_id: int) -> OutboundMessage | None:
    return messages_needing_attention(viewer=viewer).filter(pk=message_id).first()
