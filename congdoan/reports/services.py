"""Writes of periodic reports: save the narrative, submit (freezing the figures), return for
correction, accept. Each status change is a conditional UPDATE whose row count is checked, so
a report submitted twice (two tabs, a double click, two officers) is submitted once and the
second gets a clear message; every write is audited and tells the other side by e-mail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.core.vndate import vn_date
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer
from congdoan.orgs.selectors import unit_officer_emails
from congdoan.outbox.services import email_enqueue
from congdoan.plan.periods import Period
from congdoan.reports import rules
from congdoan.reports.figures import build_snapshot
from congdoan.reports.models import EDITABLE_STATUSES, Report, ReportStatus

NARRATIVE_FIELDS = ("number", "results", "limitations", "next_tasks", "proposals")


def _person(actor: Viewer) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _current_status_error(report: Report) -> ValidationError:
    current = Report.objects.filter(pk=report.pk).values_list("status", "submitted_at").first()
    if current is None:
        return ValidationError(_("Báo cáo không còn tồn tại; xin tải lại trang."))
    status, submitted_at = current
    if status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED) and submitted_at is not None:
        return ValidationError(
            _(
                "Báo cáo %(period)s của %(unit)s đã được nộp lúc %(time)s (%(status)s); "
                "không nộp lại. Nếu cần sửa, đề nghị cấp trên trả lại báo cáo."
            )
            % {
                "period": report.period_code,
                "unit": report.unit.name,
                "time": timezone.localtime(submitted_at).strftime("%H:%M %d/%m/%Y"),
                "status": ReportStatus(status).label,
            }
        )
    return ValidationError(
        _("Báo cáo vừa được chuyển sang trạng thái “%(status)s”; xin tải lại trang.")
        % {"status": ReportStatus(status).label}
    )


def _move(report: Report, *, from_statuses: tuple[str, ...], to: str, **fields: Any) -> None:
    now = timezone.now()
    moved = Report.objects.filter(pk=report.pk, status__in=list(from_statuses)).update(
        status=to, updated_at=now, **fields
    )
    if moved != 1:
        raise _current_status_error(report)
    report.status = to
    report.updated_at = now
    for name, value in fields.items():
        setattr(report, name, value)


def _draft(unit: Unit, period: Period) -> Report:
    try:
        with transaction.atomic():
            report, _created = Report.objects.get_or_create(
                unit=unit, period_code=period.code, defaults={"kind": period.kind}
            )
    except IntegrityError:  # created by a concurrent request a moment ago
        report = Report.objects.get(unit=unit, period_code=period.code)
    return report


@transaction.atomic
def report_save(*, actor: Viewer, unit: Unit, period: Period, fields: dict[str, str]) -> Report:
    """Save the narrative of a draft (or a returned report); created on first save."""
    if not rules.can_write(actor, unit):
        raise PermissionDenied
    report = _draft(unit, period)
    clean = {k: (fields.get(k) or "").strip() for k in NARRATIVE_FIELDS if k in fields}
    now = timezone.now()
    saved = Report.objects.filter(pk=report.pk, status__in=list(EDITABLE_STATUSES)).update(
        updated_at=now, **clean
    )
    if saved != 1:
        raise _current_status_error(report)
    for name, value in clean.items():
        setattr(report, name, value)
    audit_record(
        actor=actor, action="reports.report.save", target=report, changes={"fields": sorted(clean)}
    )
    return report


@transaction.atomic
def report_submit(
    *, actor: Viewer, unit: Unit, period: Period, fields: dict[str, str] | None = None
) -> Report:
    """Save the narrative if given, freeze every figure into the snapshot, submit upwards."""
    if not rules.can_write(actor, unit):
        raise PermissionDenied
    report = (
        report_save(actor=actor, unit=unit, period=period, fields=fields)
        if fields
        else _draft(unit, period)
    )
    if not report.is_editable:
        raise _current_status_error(report)
    now = timezone.now()
    snapshot = build_snapshot(unit=unit, period=period)
    _move(
        report,
        from_statuses=tuple(EDITABLE_STATUSES),
        to=ReportStatus.SUBMITTED,
        snapshot=snapshot,
        totals=snapshot["totals"],
        snapshot_at=now,
        submitted_at=now,
        submitted_by=_person(actor),
    )
    audit_record(actor=actor, action="reports.report.submit", target=report)
    parent = unit.parent
    emails = unit_officer_emails(parent)
    if emails:
        email_enqueue(
            to=emails,
            subject=_("%(unit)s đã nộp báo cáo %(period)s")
            % {"unit": unit.name, "period": period.label()},
            body=_(
                "%(unit)s đã nộp báo cáo %(period)s %(day)s. Xin xem và chấp nhận hoặc "
                "trả lại tại mục “Báo cáo định kỳ”."
            )
            % {"unit": unit.name, "period": period.label(), "day": vn_date(timezone.localdate())},
            purpose="reports.submitted",
        )
    return report


@transaction.atomic
def report_return(*, actor: Viewer, report: Report, reason: str) -> Report:
    """The level above sends a submitted report back with the reason; its figures thaw."""
    if not rules.can_review_report(actor, report):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Xin ghi lý do trả lại để đơn vị biết cần sửa gì."))
    _move(
        report,
        from_statuses=(ReportStatus.SUBMITTED,),
        to=ReportStatus.RETURNED,
        return_reason=reason,
        reviewed_at=timezone.now(),
        reviewed_by=_person(actor),
    )
    audit_record(
        actor=actor, action="reports.report.return", target=report, changes={"reason": reason}
    )
    _tell_unit(
        report,
        _("Báo cáo %(period)s được trả lại để sửa") % {"period": report.period_code},
        _("Cấp trên trả lại báo cáo %(period)s của %(unit)s. Lý do: %(reason)s")
        % {"period": report.period_code, "unit": report.unit.name, "reason": reason},
    )
    return report


@transaction.atomic
def report_accept(*, actor: Viewer, report: Report) -> Report:
    if not rules.can_review_report(actor, report):
        raise PermissionDenied
    _move(
        report,
        from_statuses=(ReportStatus.SUBMITTED,),
        to=ReportStatus.ACCEPTED,
        reviewed_at=timezone.now(),
        reviewed_by=_person(actor),
        return_reason="",
    )
    audit_record(actor=actor, action="reports.report.accept", target=report)
    _tell_unit(
        report,
        _("Báo cáo %(period)s đã được chấp nhận") % {"period": report.period_code},
        _("Cấp trên đã chấp nhận báo cáo %(period)s của %(unit)s.")
        % {"period": report.period_code, "unit": report.unit.name},
    )
    return report


def _tell_unit(report: Report, subject: str, body: str) -> None:
    emails = unit_officer_emails(report.unit)
    if emails:
        email_enqueue(to=emails, subject=subject, body=body, purpose="reports.reviewed")
