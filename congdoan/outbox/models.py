"""Every message that leaves the platform (e-mail, SMS, Zalo…) is a row here first.

A message is written in the same transaction as the change that causes it, so nothing is lost
when a provider, the worker or the database fails afterwards; it is then sent, retried with
the one policy (`congdoan.outbox.policy`) and every attempt is kept (`DeliveryAttempt`).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo OA")
    # Posts of a unit's channel account (congdoan.publishing): the recipient is the account.
    FACEBOOK = "facebook", _("Trang Facebook")
    YOUTUBE = "youtube", _("YouTube")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không được")
    NO_RECIPIENT = "no_recipient", _("Không có người nhận")


class OutboundMessage(models.Model):
    channel = models.CharField(max_length=10, choices=OutboundChannel.choices)
    recipient = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    # Extra e-mail headers ({"List-Unsubscribe": "<https://…>"}); other channels ignore them.
    headers = models.JSONField(default=dict, blank=True)
    # An HTML version of `body` for an e-mail (the e-bulletin's digest); other channels ignore it.
    html = models.TextField(blank=True)
    # What the message is for ("feedback.remind") and what it is about ("feedback.concern:42"):
    # the app that sent it reads them back when it is delivered or fails (signals.py).
    purpose = models.CharField(max_length=40, blank=True)
    ref = models.CharField(max_length=100, blank=True, db_index=True)
    # Enqueuing twice with the same key gives the same message (a redelivered webhook, a sweep
    # that runs twice).
    idempotency_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # While SENDING: after this moment a sender that died is presumed dead and the message due.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]
        verbose_name = _("tin gửi đi")
        verbose_name_plural = _("tin gửi đi")

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient or '—'} ({self.status})"


class DeliveryAttempt(models.Model):
    """The delivery log: one row per try, kept after the message is sent."""

    message = models.ForeignKey(OutboundMessage, on_delete=models.CASCADE, related_name="log")
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    ok = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["started_at"], name="outbox_attempt_at_idx")]

    def __str__(self) -> str:
        return f"{self.message_id} {'ok' if self.ok else 'error'}"
