"""When a period's report is due, and the reminders sent before that.

The due day is the period's last day plus `settings.REPORTS_DUE_DAYS_AFTER_END[kind]` days
(10 for a half-year, 15 for the year by default: 10/7, 10/1 and 15/1). The periodic job
`reports.remind` (every `REPORTS_REMIND_EVERY_MINUTES`) e-mails the officers of every active
unit below the top of the tree whose report of a period due within
`REPORTS_REMIND_DAYS_BEFORE` days is not submitted yet, once per unit and period
(`ReportReminder`, unique), through the outbox.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.vndate import vn_date
from congdoan.orgs.models import Unit
from congdoan.orgs.selectors import unit_officer_emails
from congdoan.outbox.services import email_enqueue
from congdoan.plan.periods import Period, periods_of_year
from congdoan.reports.models import FROZEN_STATUSES, Report, ReportReminder


def due_on(period: Period) -> date:
    return period.end + timedelta(days=settings.REPORTS_DUE_DAYS_AFTER_END[period.kind])


def periods_due_soon(today: date) -> list[Period]:
    """Periods whose deadline falls between today and `REPORTS_REMIND_DAYS_BEFORE` days on."""
    horizon = today + timedelta(days=settings.REPORTS_REMIND_DAYS_BEFORE)
    found = []
    for year in (today.year - 1, today.year):
        for period in periods_of_year(year):
            if today <= due_on(period) <= horizon:
                found.append(period)
    return found


def send_reminders(today: date | None = None) -> int:
    """Remind the officers of the units that have not submitted; returns the e-mails queued."""
    today = today or timezone.localdate()
    queued = 0
    for period in periods_due_soon(today):
        done = set(
            Report.objects.filter(period_code=period.code, status__in=FROZEN_STATUSES).values_list(
                "unit_id", flat=True
            )
        ) | set(
            ReportReminder.objects.filter(period_code=period.code).values_list("unit_id", flat=True)
        )
        units = Unit.objects.filter(is_active=True, parent__isnull=False).exclude(pk__in=done)
        for unit in units.iterator():
            queued += _remind(unit, period)
    return queued


def _remind(unit: Unit, period: Period) -> int:
    emails = unit_officer_emails(unit)
    try:
        with transaction.atomic():
            ReportReminder.objects.create(
                unit=unit, period_code=period.code, recipients=len(emails)
            )
            if emails:
                email_enqueue(
                    to=emails,
                    subject=_("Nhắc nộp báo cáo %(period)s") % {"period": period.label()},
                    body=_(
                        "Báo cáo %(period)s của %(unit)s cần nộp cho cấp trên trước "
                        "%(due)s. Số liệu đã được điền sẵn từ nền tảng; xin bổ sung phần nhận "
                        "xét và nộp tại mục “Báo cáo định kỳ”."
                    )
                    % {"period": period.label(), "unit": unit.name, "due": vn_date(due_on(period))},
                    purpose="reports.reminder",
                )
    except IntegrityError:  # another run reminded this unit first
        return 0
    return 1 if emails else 0
