# ruff: noqa: F811 - pytest fixtures from fakes.fixtures are used as parameters
"""The outbox: every message queued with the change that causes it, sent after commit, retried
with one policy while a provider is down, delivered after it recovers, never dropped silently.
Real SMTP and HTTP fakes on loopback; the clock is moved by passing `now`."""

from __future__ import annotations

import logging
import random
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from congdoan.audit.log.display import describe
from congdoan.audit.models import AuditEntry
from congdoan.feedback import deadlines
from congdoan.feedback.deadlines import check_deadlines, notify_urgent
from congdoan.feedback.models import Concern, ConcernEvent
from congdoan.feedback.tasks import feedback_check_deadlines
from congdoan.feedback.tests.fakes import FakeZaloOA
from congdoan.feedback.tests.fakes.fixtures import (  # noqa: F401 (fixtures)
    fake_smtp,
    fake_zalo,
    fast_retries,
)
from congdoan.feedback.tests.fakes.smtp import FakeSmtpServer
from congdoan.orgs.models import Appointment
from congdoan.outbox.delivery import message_deliver, outbox_flush, outbox_prune
from congdoan.outbox.models import DeliveryAttempt, MessageStatus, OutboundMessage
from congdoan.outbox.policy import RetryPolicy
from congdoan.outbox.services import email_enqueue, message_enqueue

pytestmark = pytest.mark.django_db


def _later(message: OutboundMessage) -> Any:
    message.refresh_from_db()
    return message.next_attempt_at + timedelta(seconds=1)


def test_reminder_waits_while_smtp_refuses_and_is_delivered_after_recovery(
    cast: Any, submit: Any, fake_smtp: FakeSmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    concern = submit("Xin hỏi về lịch nghỉ Tết", unit=cast.unit_a)
    Concern.objects.filter(pk=concern.pk).update(due_at=timezone.now() + timedelta(hours=2))
    fake_smtp.refuse()
    with django_capture_on_commit_callbacks(execute=True):
        counts = check_deadlines()  # the sweep finishes: no failure of the mail server ends it
    assert counts["reminded"] == 1
    message = OutboundMessage.objects.get(purpose="feedback.remind")
    assert message.status == MessageStatus.QUEUED and message.attempts == 1
    assert "SMTPConnectError" in message.last_error and message.recipient == cast.officer_a.email
    assert fake_smtp.messages == []
    # Never said sent before it was sent.
    assert not ConcernEvent.objects.filter(concern=concern, kind="remind").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert check_deadlines()["reminded"] == 0  # queued once, not again

    fake_smtp.refuse(False)
    assert outbox_flush(now=_later(message))["sent"] == 1
    (mail,) = fake_smtp.messages
    assert concern.code in mail["Subject"] and mail["To"] == cast.officer_a.email
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at is not None
    assert [a.ok for a in DeliveryAttempt.objects.filter(message=message)] == [False, True]
    assert ConcernEvent.objects.filter(concern=concern, kind="remind").count() == 1
    # The history names who was reminded, not the mail server's message id.
    (event,) = ConcernEvent.objects.filter(concern=concern, kind="remind")
    assert event.note == cast.officer_a.email and "@localhost" not in event.note


def test_flush_sends_nothing_before_its_time(
    cast: Any, fake_smtp: FakeSmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    fake_smtp.refuse()
    with django_capture_on_commit_callbacks(execute=True):
        message = message_enqueue(channel="email", recipient="a@example.vn", subject="s", body="b")
    fake_smtp.refuse(False)
    assert outbox_flush()["sent"] == 0  # the backoff is not over yet
    assert outbox_flush(now=_later(message))["sent"] == 1


def test_zalo_receipt_is_retried_by_the_outbox_after_the_provider_recovers(
    fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    fake_zalo.fail_next(1, status=503)
    with django_capture_on_commit_callbacks(execute=True):
        message = message_enqueue(channel="zalo", recipient="u-1", body="Mã tra cứu YK-ABC234")
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and "503" in message.last_error
    assert outbox_flush(now=_later(message))["sent"] == 1
    assert len(fake_zalo.requests) == 2  # the refused try, then the retry
    assert fake_zalo.sent[-1]["text"] == "Mã tra cứu YK-ABC234"


def test_message_gives_up_after_the_configured_attempts_and_says_so(
    fake_zalo: FakeZaloOA, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 3
    fake_zalo.fail_next(10, status=502)
    with django_capture_on_commit_callbacks(execute=True):
        message = message_enqueue(channel="zalo", recipient="u-1", body="xin chào")
    for _ in range(3):
        outbox_flush(now=_later(message))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 3
    assert len(fake_zalo.requests) == 3


def test_backoff_doubles_up_to_the_cap_with_jitter() -> None:
    policy = RetryPolicy(max_attempts=10, base_seconds=30, cap_seconds=3600)
    rng = random.Random(7)
    for attempts, plain in [(1, 30), (2, 60), (3, 120), (8, 3600), (9, 3600)]:
        seconds = policy.delay(attempts, rng=rng).total_seconds()
        assert 0.5 * plain <= seconds < 1.5 * plain
    assert policy.gives_up_after(10) and not policy.gives_up_after(9)


def test_same_key_queues_one_message(django_capture_on_commit_callbacks: Any) -> None:
    first = message_enqueue(channel="email", recipient="a@example.vn", body="b", key="k-1")
    again = message_enqueue(channel="email", recipient="a@example.vn", body="b", key="k-1")
    assert first.pk == again.pk and OutboundMessage.objects.count() == 1


def test_message_of_a_sender_that_died_is_sent_again_after_its_lease(
    fake_zalo: FakeZaloOA, settings: Any
) -> None:
    message = message_enqueue(channel="zalo", recipient="u-1", body="xin chào")
    now = timezone.now()
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_until=now + timedelta(minutes=5), attempts=1
    )
    assert message_deliver(message_id=message.pk, now=now) is None  # still someone's
    later = now + timedelta(minutes=6)
    assert message_deliver(message_id=message.pk, now=later) == MessageStatus.SENT
    assert len(fake_zalo.sent) == 1


# --- alerts climb the tree (issue 11, item 2) ---------------------------------------------


def test_urgent_alert_climbs_to_the_district_when_the_union_has_no_officer_email(
    cast: Any, fake_smtp: FakeSmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    cast.officer_a.email = ""
    cast.officer_a.save(update_fields=["email"])
    concern = Concern.objects.create(
        unit=cast.unit_a, assigned_unit=cast.unit_a, text="Tai nạn lao động ở xưởng dập"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_urgent(concern_id=concern.pk) == 1
    (mail,) = fake_smtp.messages
    assert mail["To"] == cast.district_officer.email
    assert ConcernEvent.objects.filter(concern=concern, kind="alert_sent").exists()


def test_alert_with_no_officer_anywhere_is_kept_as_no_recipient_and_logged(
    cast: Any, fake_smtp: FakeSmtpServer, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Appointment.objects.all().delete()
    concern = Concern.objects.create(
        unit=cast.unit_a, assigned_unit=cast.unit_a, text="Tai nạn lao động ở xưởng dập"
    )
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        assert notify_urgent(concern_id=concern.pk) == 0
    message = OutboundMessage.objects.get(purpose="feedback.urgent")
    assert message.status == MessageStatus.NO_RECIPIENT and message.recipient == ""
    assert fake_smtp.messages == []
    assert ConcernEvent.objects.filter(concern=concern, kind="no_recipient").exists()
    assert concern.code in caplog.text


# --- the channels page ---------------------------------------------------------------------


def test_failing_channel_shows_up_for_officers_without_recipients_or_errors(
    cast: Any, client_of: Any, fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    fake_zalo.fail_next(1, payload={"error": -230, "message": "User not interacted +84912345678"})
    with django_capture_on_commit_callbacks(execute=True):
        message_enqueue(channel="zalo", recipient="u-secret", body="xin chào")
    page = client_of(cast.officer_a).get("/hop-thu-di/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Zalo OA" in text and "đang lỗi" in text
    assert "u-secret" not in text and "+84912345678" not in text


def test_admin_retries_a_failed_message_and_an_officer_cannot(
    cast: Any, client_of: Any, fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    fake_zalo.fail_next(1, payload={"error": -230, "message": "User not interacted"})
    with django_capture_on_commit_callbacks(execute=True):
        message = message_enqueue(channel="zalo", recipient="u-1", body="xin chào")
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    url = f"/hop-thu-di/{message.pk}/gui-lai/"
    assert client_of(cast.officer_a).post(url).status_code == 403
    admin = client_of(cast.admin)
    assert "u-1" in admin.get("/hop-thu-di/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url).status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and len(fake_zalo.requests) == 2


def test_deadline_chain_is_queued_again_even_when_the_sweep_fails(
    settings: Any, monkeypatch: Any
) -> None:
    """Without `congdoan scheduler`, the self-rescheduling task must not end on a failure."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "ocr"]}
    }

    def mail_server_down(now: Any = None) -> dict[str, int]:
        raise ConnectionRefusedError("SMTP")

    monkeypatch.setattr(deadlines, "check_deadlines", mail_server_down)
    with pytest.raises(ConnectionRefusedError):
        feedback_check_deadlines.call(reschedule=True)
    assert DBTaskResult.objects.filter(task_path__endswith="feedback_check_deadlines").count() == 1


def test_old_delivered_messages_are_pruned_and_waiting_ones_kept(settings: Any) -> None:
    old = timezone.now() - timedelta(days=settings.OUTBOX_RETENTION_DAYS + 1)
    sent = message_enqueue(channel="sms", recipient="+84912345678", body="Mã YK-ABC234")
    waiting = message_enqueue(channel="sms", recipient="+84912345679", body="Mã YK-ABC235")
    OutboundMessage.objects.filter(pk=sent.pk).update(created_at=old, status=MessageStatus.SENT)
    OutboundMessage.objects.filter(pk=waiting.pk).update(created_at=old)
    assert outbox_prune() == 1
    assert list(OutboundMessage.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_an_administrators_retry_is_audited_in_words(cast: Any, client_of: Any) -> None:
    message = message_enqueue(channel="sms", recipient="0912345678", body="x", purpose="test")
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED)
    response = client_of(cast.admin).post(f"/hop-thu-di/{message.pk}/gui-lai/")
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="outbox.message.retry")
    assert [(c.label, c.text) for c in describe([entry])[0].changes] == [
        ("kênh", "SMS"),
        ("mục đích", "test"),
    ]


def test_email_carries_the_extra_headers_it_was_queued_with(
    fake_smtp: FakeSmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    headers = {
        "List-Unsubscribe": "<https://congdoan.example/ban-tin/huy/abc/>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    with django_capture_on_commit_callbacks(execute=True):
        (message,) = email_enqueue(to=["a@example.vn"], subject="s", body="b", headers=headers)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.headers == headers
    (mail,) = fake_smtp.messages
    assert mail["List-Unsubscribe"] == headers["List-Unsubscribe"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["Message-ID"]  # the channel's own header is still there
