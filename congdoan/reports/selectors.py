"""Reads of periodic reports, scoped by the viewer's place in the tree (`reports.rules`).

- `report_rows`: for the list page, each unit the viewer answers for at the top of their scope
  and the units directly under it (as the tree was on the period's last day), with its report
  of the period (or none yet), the deadline and what the viewer may do;
- `unit_for_reports`: a unit by code if the viewer may see its reports (`UnitOutOfScope`
  otherwise: the page says so, without telling whether the code exists);
- `report_view`: the report with the figures it shows (frozen snapshot, or live for a draft).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer
from congdoan.orgs.selectors import scope_roots
from congdoan.plan.periods import Period
from congdoan.reports import rules
from congdoan.reports.consolidation import Consolidated, children_at, consolidate
from congdoan.reports.deadlines import due_on
from congdoan.reports.document import ReportDocument, build_document
from congdoan.reports.figures import build_snapshot
from congdoan.reports.models import Report


class UnitOutOfScope(LookupError):
    """No unit with that code in the viewer's scope; str() is the message for the officer."""


@dataclass(frozen=True)
class ReportRow:
    unit: Unit
    report: Report | None
    due: date
    level: int  # 0 for a unit at the top of the viewer's scope, 1 for the units under it
    can_review: bool

    @property
    def overdue(self) -> bool:
        """Past the deadline and not submitted."""
        return self.due < timezone.localdate() and (
            self.report is None or not self.report.is_frozen
        )


def report_rows(*, viewer: Viewer, period: Period) -> list[ReportRow]:
    units: list[tuple[Unit, int]] = []
    for root in scope_roots(viewer=viewer):
        units.append((root, 0))
        units += [(child, 1) for child in children_at(root, period)]
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(unit__in=[u for u, _lvl in units], period_code=period.code)
    }
    due = due_on(period)
    return [
        ReportRow(
            unit=u,
            report=reports.get(u.pk),
            due=due,
            level=level,
            can_review=rules.can_review(viewer, u),
        )
        for u, level in units
    ]


def unit_for_reports(*, viewer: Viewer, code: str) -> Unit:
    unit = Unit.objects.filter(code=code).select_related("level", "parent").first()
    if unit is None or not rules.can_see_unit_reports(viewer, unit):
        raise UnitOutOfScope(
            _(
                "Không có đơn vị mã “%(code)s” trong phạm vi bạn quản lý; bạn chỉ xem được báo "
                "cáo của đơn vị mình và các đơn vị trực thuộc."
            )
            % {"code": code}
        )
    return unit


def report_of(*, unit: Unit, period: Period) -> Report | None:
    return Report.objects.filter(unit=unit, period_code=period.code).first()


@dataclass(frozen=True)
class ReportView:
    unit: Unit
    period: Period
    report: Report | None
    snapshot: dict[str, Any]
    frozen: bool
    due: date


def report_view(*, unit: Unit, period: Period) -> ReportView:
    """The report and the figures it shows: frozen once submitted, live while a draft."""
    report = report_of(unit=unit, period=period)
    frozen = report is not None and report.is_frozen and report.snapshot is not None
    snapshot = report.snapshot if frozen and report else build_snapshot(unit=unit, period=period)
    return ReportView(
        unit=unit,
        period=period,
        report=report,
        snapshot=snapshot or {},
        frozen=frozen,
        due=due_on(period),
    )


def consolidated_view(*, unit: Unit, period: Period) -> Consolidated:
    return consolidate(unit=unit, period=period)


def export_document(*, unit: Unit, period: Period, with_units: bool = True) -> ReportDocument:
    """The document to export: the report's figures and, for a unit with units under it,
    the consolidation of their reports."""
    view = report_view(unit=unit, period=period)
    consolidated = consolidate(unit=unit, period=period) if with_units else None
    if consolidated is not None and not consolidated.children:
        consolidated = None
    return build_document(
        unit=unit,
        period=period,
        report=view.report,
        snapshot=view.snapshot,
        consolidated=consolidated,
    )
