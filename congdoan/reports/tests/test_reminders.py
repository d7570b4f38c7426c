from __future__ import annotations

from datetime import date

import pytest

from congdoan.outbox.models import OutboundMessage
from congdoan.plan.periods import parse_period
from congdoan.reports import services
from congdoan.reports.deadlines import due_on, send_reminders

pytestmark = pytest.mark.django_db


def test_the_deadlines_follow_the_settings(settings):
    assert due_on(parse_period("2026H1")) == date(2026, 7, 10)
    assert due_on(parse_period("2026")) == date(2027, 1, 15)
    settings.REPORTS_DUE_DAYS_AFTER_END = {"half": -15, "year": 15}
    assert due_on(parse_period("2026H1")) == date(2026, 6, 15)


def test_officers_of_units_not_yet_submitted_are_reminded_once(cast):
    services.report_submit(actor=cast.officer_b, unit=cast.unit_b, period=parse_period("2026H1"))
    sent = send_reminders(today=date(2026, 7, 5))
    to = set(
        OutboundMessage.objects.filter(purpose="reports.reminder").values_list(
            "recipient", flat=True
        )
    )
    assert cast.officer_a.email in to
    assert cast.officer_b.email not in to  # B has submitted
    body = (
        OutboundMessage.objects.filter(purpose="reports.reminder")
        .get(recipient=cast.officer_a.email)
        .body
    )
    assert "trước ngày 10 tháng 7 năm 2026" in body and "ngày ngày" not in body
    assert sent >= 1
    assert send_reminders(today=date(2026, 7, 6)) == 0  # never twice


def test_no_reminder_far_from_a_deadline(cast):
    assert send_reminders(today=date(2026, 4, 1)) == 0
    assert not OutboundMessage.objects.filter(purpose="reports.reminder").exists()
