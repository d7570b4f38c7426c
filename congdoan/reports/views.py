"""Pages of periodic reports (officers; thin: authorise, call one selector or service, render)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.orgs.models import Unit
from congdoan.orgs.rules import officer_required
from congdoan.plan.periods import (
    Period,
    PeriodError,
    current_period,
    parse_period,
    periods_of_year,
)
from congdoan.reports import rules, selectors, services
from congdoan.reports.exports import FORMATS
from congdoan.reports.exports import render as render_export
from congdoan.reports.forms import NarrativeForm, ReturnForm
from congdoan.reports.models import ReportStatus


def _refuse(request: HttpRequest, message: str, status: int = 404) -> HttpResponse:
    return render(request, "reports/message.html", {"message": message}, status=status)


def _started(period: Period) -> Period:
    """The period, if it has begun: a report for a period to come cannot be written yet."""
    if period.start > timezone.localdate():
        raise PeriodError(_("Kỳ báo cáo %(label)s chưa bắt đầu.") % {"label": period.label()})
    return period


def _unit_period(request: HttpRequest, code: str, period: str) -> tuple[Unit, Period]:
    unit = selectors.unit_for_reports(viewer=request.user, code=code)
    return unit, _started(parse_period(period))


@officer_required
def report_list(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("period", "")
    try:
        period = (
            _started(parse_period(code)) if code else current_period("half", timezone.localdate())
        )
    except PeriodError as exc:
        return _refuse(request, str(exc))
    rows = selectors.report_rows(viewer=request.user, period=period)
    years = range(timezone.localdate().year, timezone.localdate().year - 4, -1)
    choices = [(p.code, p.label()) for y in years for p in periods_of_year(y)]
    return render(
        request,
        "reports/list.html",
        {"period": period, "rows": rows, "choices": choices, "statuses": ReportStatus},
    )


@officer_required
def report_detail(request: HttpRequest, code: str, period: str) -> HttpResponse:
    try:
        unit, p = _unit_period(request, code, period)
    except (selectors.UnitOutOfScope, PeriodError) as exc:
        return _refuse(request, str(exc))
    view = selectors.report_view(unit=unit, period=p)
    can_write = rules.can_write(request.user, unit)
    editable = can_write and (view.report is None or view.report.is_editable)
    form = NarrativeForm(
        request.POST or None,
        initial={f: getattr(view.report, f) for f in services.NARRATIVE_FIELDS}
        if view.report
        else None,
    )
    if request.method == "POST":
        if not editable:
            return _refuse(request, _("Báo cáo này không sửa được nữa."), status=403)
        if form.is_valid():
            try:
                if request.POST.get("action") == "submit":
                    services.report_submit(
                        actor=request.user, unit=unit, period=p, fields=form.cleaned_data
                    )
                    messages.success(request, _("Đã nộp báo cáo; số liệu đã được chốt."))
                else:
                    services.report_save(
                        actor=request.user, unit=unit, period=p, fields=form.cleaned_data
                    )
                    messages.success(request, _("Đã lưu bản nháp."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("reports:detail", code=unit.code, period=p.code)
    return render(
        request,
        "reports/detail.html",
        {
            "view": view,
            "form": form,
            "editable": editable,
            "can_review": rules.can_review(request.user, unit)
            and view.report is not None
            and view.report.status == ReportStatus.SUBMITTED,
            "return_form": ReturnForm(),
            "formats": list(FORMATS),
        },
    )


@officer_required
@require_POST
def report_review(request: HttpRequest, code: str, period: str) -> HttpResponse:
    try:
        unit, p = _unit_period(request, code, period)
    except (selectors.UnitOutOfScope, PeriodError) as exc:
        return _refuse(request, str(exc))
    report = selectors.report_of(unit=unit, period=p)
    if report is None:
        return _refuse(request, _("Đơn vị chưa lập báo cáo kỳ này."))
    if not rules.can_review_report(request.user, report):
        raise PermissionDenied
    try:
        if request.POST.get("action") == "accept":
            services.report_accept(actor=request.user, report=report)
            messages.success(request, _("Đã chấp nhận báo cáo."))
        else:
            services.report_return(
                actor=request.user, report=report, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Đã trả lại báo cáo để đơn vị sửa."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reports:detail", code=unit.code, period=p.code)


@officer_required
def report_consolidated(request: HttpRequest, code: str, period: str) -> HttpResponse:
    try:
        unit, p = _unit_period(request, code, period)
    except (selectors.UnitOutOfScope, PeriodError) as exc:
        return _refuse(request, str(exc))
    if unit.level.is_grassroots:
        # A grassroots union has no units under it: its own report is the whole of it.
        return redirect("reports:detail", code=unit.code, period=p.code)
    return render(
        request,
        "reports/consolidated.html",
        {"c": selectors.consolidated_view(unit=unit, period=p), "formats": list(FORMATS)},
    )


@officer_required
def report_download(request: HttpRequest, code: str, period: str, fmt: str) -> HttpResponse:
    try:
        unit, p = _unit_period(request, code, period)
    except (selectors.UnitOutOfScope, PeriodError) as exc:
        return _refuse(request, str(exc))
    if fmt not in FORMATS:
        return _refuse(request, _("Chỉ tải được DOCX, PDF hoặc XLSX."))
    doc = selectors.export_document(unit=unit, period=p)
    content, content_type, filename = render_export(doc, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
