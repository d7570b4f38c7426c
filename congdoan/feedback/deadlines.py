"""Deadlines, reminders, escalation and retention: the periodic sweep.

`check_deadlines()` is run by `congdoan scheduler` every FEEDBACK_CHECK_EVERY_MINUTES (or by
`congdoan feedback check-deadlines` from cron). Each step claims rows with a conditional
UPDATE, so two sweeps running at once never remind twice, and queues its e-mails in the
outbox in the same transaction: a mail server that is down delays a reminder (the outbox
retries it), it never loses it, and the sweep itself never waits for a mail server.
`reminded_at` means "the reminder is queued"; the history says "Nhắc hạn" once it is sent.

An alert goes to the officers of the concern's unit or, when that unit has none with an
e-mail, to the nearest unit above that has: it is never dropped; if even the top has no one,
the outbox keeps it as "no recipient" (the channels page shows it) and the log says so.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.feedback.channels import concern_ref, log_delivery
from congdoan.feedback.models import OPEN_STATUSES, Concern, ConcernEvent
from congdoan.feedback.services.routing import deadline_for, fallback_unit, upper_unit
from congdoan.feedback.services.tracking import erased_contact
from congdoan.feedback.triage import triage_leftovers
from congdoan.orgs.models import Unit
from congdoan.orgs.selectors import unit_officer_emails
from congdoan.outbox.services import email_enqueue

log = logging.getLogger("congdoan.feedback")


def officer_emails_upward(unit: Unit | None) -> list[str]:
    """E-mails of the managing officers of `unit`, else of the nearest unit above with any."""
    seen: set[int] = set()
    while unit is not None and unit.pk not in seen:
        seen.add(unit.pk)
        emails = unit_officer_emails(unit)
        if emails:
            return emails
        unit = Unit.objects.filter(pk=unit.parent_id).first() if unit.parent_id else None
    return []


def recipients(concern: Concern) -> list[str]:
    if concern.assignee_id and concern.assignee and concern.assignee.email:
        return [concern.assignee.email]
    unit = concern.assigned_unit or concern.unit
    if unit is None:
        unit = fallback_unit()
    return officer_emails_upward(unit)


def _link(concern: Concern) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("feedback:detail", args=[concern.code])


def _mail(
    concern: Concern, subject: str, body: str, to: list[str], *, purpose: str, key: str
) -> int:
    """Queue the e-mails in the outbox (in the caller's transaction); how many recipients.

    No recipient at all is never silent: logged here, on the concern's history, and kept in
    the outbox as "no recipient".
    """
    # The body never carries the worker's contact: e-mail leaves the scoping layer.
    text = (
        body
        + "\n\n"
        + _("Nội dung: %(text)s") % {"text": concern.display_text[:500]}
        + "\n"
        + _link(concern)
    )
    if not to:
        log.warning(
            "feedback: no officer e-mail for %s or any unit above (%s)", concern.code, subject
        )
        log_delivery(concern.pk, kind="no_recipient", note=subject)
    email_enqueue(
        to=to, subject=subject, body=text, purpose=purpose, ref=concern_ref(concern.pk), key=key
    )
    return len(to)


def notify_urgent(*, concern_id: int) -> int:
    concern = (
        Concern.objects.select_related("assigned_unit", "assignee").filter(pk=concern_id).first()
    )
    if concern is None:
        return 0
    with transaction.atomic():
        return _mail(
            concern,
            _("[Khẩn] Ý kiến %(code)s cần xử lý ngay") % {"code": concern.code},
            _("Một ý kiến khẩn cấp vừa được tiếp nhận: %(reasons)s.")
            % {"reasons": ", ".join(_(reason) for reason in concern.urgency_reasons)},
            recipients(concern),
            purpose="feedback.urgent",
            key=f"feedback.urgent:{concern.pk}",
        )


def _remind(now: datetime) -> int:
    soon = now + timedelta(hours=settings.FEEDBACK_REMIND_BEFORE_HOURS)
    sent = 0
    rows = Concern.objects.filter(
        status__in=OPEN_STATUSES, due_at__gt=now, due_at__lte=soon, reminded_at__isnull=True
    )
    for concern in rows.select_related("assigned_unit", "assignee", "unit")[:500]:
        with transaction.atomic():
            claimed = Concern.objects.filter(pk=concern.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed != 1:
                continue
            due = concern.due_at
            assert due is not None  # filtered on due_at above
            local_due = timezone.localtime(due)
            _mail(
                concern,
                _("Nhắc hạn: ý kiến %(code)s") % {"code": concern.code},
                _("Ý kiến %(code)s đến hạn trả lời lúc %(due)s.")
                % {"code": concern.code, "due": local_due.strftime("%H:%M %d/%m/%Y")},
                recipients(concern),
                purpose="feedback.remind",
                key=f"feedback.remind:{concern.pk}:{int(due.timestamp())}",
            )
        sent += 1
    return sent


def _escalate(now: datetime) -> int:
    """Overdue and never escalated: hand it to the level above (the district) and tell them."""
    moved = 0
    rows = Concern.objects.filter(
        status__in=OPEN_STATUSES, due_at__lt=now, escalated_at__isnull=True
    )
    for concern in rows.select_related("assigned_unit", "assigned_unit__level", "unit")[:500]:
        target = concern.assigned_unit
        if target is not None and target.level.is_grassroots:
            target = upper_unit(target)
        with transaction.atomic():
            claimed = Concern.objects.filter(
                pk=concern.pk, escalated_at__isnull=True, due_at__lt=now
            ).update(
                escalated_at=now,
                assigned_unit=target,
                assignee=None,
                due_at=deadline_for(concern.urgency, now),
                reminded_at=None,
            )
            if claimed != 1:
                continue
            concern.refresh_from_db()
            ConcernEvent.objects.create(concern=concern, kind="escalate", note=str(target or ""))
            _mail(
                concern,
                _("Quá hạn: ý kiến %(code)s chuyển lên cấp trên") % {"code": concern.code},
                _("Ý kiến %(code)s đã quá hạn trả lời và được chuyển tới %(unit)s.")
                % {"code": concern.code, "unit": target},
                officer_emails_upward(target),
                purpose="feedback.escalate",
                key=f"feedback.escalate:{concern.pk}",
            )
        moved += 1
    return moved


def erase_expired_contacts(now: datetime | None = None) -> int:
    """Erase contact details of concerns closed longer ago than FEEDBACK_RETENTION_DAYS."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.FEEDBACK_RETENTION_DAYS)
    return Concern.objects.filter(closed_at__lt=limit, contact_erased_at__isnull=True).update(
        **erased_contact(now)
    )


def check_deadlines(now: datetime | None = None) -> dict[str, int]:
    """One sweep. Steps: 1. triage what was never triaged; 2. remind; 3. escalate; 4. retention."""
    now = now or timezone.now()
    counts = {"triaged": triage_leftovers()}
    # Each step on its own: one that fails (a bug, a lock) is logged and the others still run.
    for name, step in (
        ("reminded", _remind),
        ("escalated", _escalate),
        ("erased", erase_expired_contacts),
    ):
        try:
            counts[name] = step(now)
        except Exception:
            log.exception("feedback: deadline step %s failed; the next sweep retries", name)
            counts[name] = 0
    return counts
