"""Sent by the outbox so that the app that queued a message can log the outcome.

Both carry ``message`` (an OutboundMessage); `message_failed` also ``final`` (no more tries).
Receivers must not raise: the outbox logs and ignores their errors.
"""

from __future__ import annotations

from django.dispatch import Signal

message_sent = Signal()
message_failed = Signal()
