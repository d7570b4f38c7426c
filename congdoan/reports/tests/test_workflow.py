from __future__ import annotations

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congdoan.audit.models import AuditEntry
from congdoan.outbox.models import OutboundMessage
from congdoan.plan.periods import parse_period
from congdoan.reports import selectors, services
from congdoan.reports.figures import build_snapshot
from congdoan.reports.models import Report, ReportStatus
from congdoan.reports.tests.conftest import concern_on, total

pytestmark = pytest.mark.django_db

H1 = parse_period("2026H1")


def test_a_unit_saves_a_draft_then_submits_it_and_the_district_accepts(cast):
    services.report_save(
        actor=cast.officer_a,
        unit=cast.unit_a,
        period=H1,
        fields={"results": "Tổ chức 2 buổi đối thoại", "number": "08"},
    )
    report = Report.objects.get(unit=cast.unit_a, period_code="2026H1")
    assert report.status == ReportStatus.DRAFT and report.kind == "half"
    assert report.snapshot is None
    services.report_submit(actor=cast.officer_a, unit=cast.unit_a, period=H1)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == cast.officer_a
    assert report.snapshot is not None
    assert {s["key"] for s in report.snapshot["sections"]} >= {"plan", "feedback", "library"}
    services.report_accept(actor=cast.district_officer, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == cast.district_officer
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"reports.report.save", "reports.report.submit", "reports.report.accept"} <= actions


def test_a_report_submitted_twice_is_submitted_once_with_a_clear_message(cast):
    services.report_submit(actor=cast.officer_a, unit=cast.unit_a, period=H1)
    first = Report.objects.get(unit=cast.unit_a)
    with pytest.raises(ValidationError) as err:
        services.report_submit(actor=cast.officer_a, unit=cast.unit_a, period=H1)
    assert "đã được nộp" in " ".join(err.value.messages)
    assert Report.objects.filter(unit=cast.unit_a).count() == 1
    again = Report.objects.get(unit=cast.unit_a)
    assert again.snapshot_at == first.snapshot_at


def test_the_narrative_of_a_submitted_report_cannot_be_changed(cast):
    services.report_submit(
        actor=cast.officer_a, unit=cast.unit_a, period=H1, fields={"results": "Bản đã nộp"}
    )
    with pytest.raises(ValidationError):
        services.report_save(
            actor=cast.officer_a, unit=cast.unit_a, period=H1, fields={"results": "Sửa lén"}
        )
    assert Report.objects.get(unit=cast.unit_a).results == "Bản đã nộp"


def test_returning_needs_a_reason_and_resubmission_takes_a_new_snapshot(cast):
    services.report_submit(actor=cast.officer_a, unit=cast.unit_a, period=H1)
    report = Report.objects.get(unit=cast.unit_a)
    assert total(report.snapshot or {}, "feedback.received") == 0
    with pytest.raises(ValidationError) as err:
        services.report_return(actor=cast.district_officer, report=report, reason="  ")
    assert "lý do" in " ".join(err.value.messages)
    services.report_return(
        actor=cast.district_officer, report=report, reason="Thiếu số liệu tháng 6"
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason == "Thiếu số liệu tháng 6"
    concern_on(cast.unit_a, datetime(2026, 6, 20, 9, 0))
    services.report_submit(actor=cast.officer_a, unit=cast.unit_a, period=H1)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert total(report.snapshot or {}, "feedback.received") == 1


def test_a_submitted_report_keeps_its_figures_when_the_data_changes_later(cast):
    concern_on(cast.unit_a, datetime(2026, 3, 2, 8, 0))
    services.report_submit(actor=cast.officer_a, unit=cast.unit_a, period=H1)
    concern_on(cast.unit_a, datetime(2026, 4, 2, 8, 0), text="Ý kiến nhập muộn")
    view = selectors.report_view(unit=cast.unit_a, period=H1)
    assert view.frozen
    assert total(view.snapshot, "feedback.received") == 1
    assert total(build_snapshot(unit=cast.unit_a, period=H1), "feedback.received") == 2


def test_a_draft_shows_live_figures(cast):
    concern_on(cast.unit_a, datetime(2026, 2, 10, 8, 0))
    view = selectors.report_view(unit=cast.unit_a, period=H1)
    assert not view.frozen
    assert total(view.snapshot, "feedback.received") == 1


def test_only_the_level_above_reviews(cast):
    services.report_submit(actor=cast.officer_a, unit=cast.unit_a, period=H1)
    report = Report.objects.get(unit=cast.unit_a)
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=cast.officer_a, report=report)
    with pytest.raises(PermissionDenied):
        services.report_return(actor=cast.officer_b, report=report, reason="không phải việc của B")
    assert Report.objects.get(unit=cast.unit_a).status == ReportStatus.SUBMITTED


def test_an_officer_cannot_write_another_units_report(cast):
    with pytest.raises(PermissionDenied):
        services.report_save(
            actor=cast.officer_b, unit=cast.unit_a, period=H1, fields={"results": "x"}
        )
    assert not Report.objects.exists()


def test_submitting_tells_the_officers_of_the_level_above(cast):
    services.report_submit(actor=cast.officer_a, unit=cast.unit_a, period=H1)
    to = set(
        OutboundMessage.objects.filter(purpose="reports.submitted").values_list(
            "recipient", flat=True
        )
    )
    assert cast.district_officer.email in to
