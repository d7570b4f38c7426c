"""Figures for officers: duplicate groups, the dashboard and its chart, the period summary for the
six-month report, the Office's retraining button, and the Office's export of one contact's data.

Every figure counts only the viewer's scope (the selectors); who may retrain or export a
contact is `rules.can_retrain_models` / `rules.can_export_contacts`.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.audit.services import audit_record
from congdoan.core import charts
from congdoan.feedback import exports, rules, selectors
from congdoan.feedback.forms import ContactExportForm
from congdoan.feedback.models import Topic
from congdoan.feedback.training import load_report, retrain_request, retrain_state
from congdoan.feedback.views.inbox import XLSX
from congdoan.feedback.views.params import param
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import officer_required
from congdoan.orgs.scoping import get_unit_in_scope


@officer_required
def clusters(request: HttpRequest) -> HttpResponse:
    return render(
        request, "feedback/clusters.html", {"clusters": selectors.cluster_list(viewer=request.user)}
    )


@officer_required
def cluster(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.cluster_detail(viewer=request.user, cluster_id=pk)
    return HttpResponseRedirect(reverse("feedback:inbox") + f"?status=&cluster={pk}")


def _unit_param(request: HttpRequest) -> Unit | None:
    """The unit of ?unit=<code> when the viewer may see it (404 otherwise), or None."""
    code = request.GET.get("unit", "").strip()
    return get_unit_in_scope(request.user, code) if code else None


@officer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    unit = _unit_param(request)
    today = timezone.localdate()
    start = today.replace(day=1)
    return render(
        request,
        "feedback/dashboard.html",
        {
            "unit": unit,
            "table": selectors.topic_unit_month(viewer=request.user, unit=unit),
            "spikes": selectors.spikes(viewer=request.user),
            "month": selectors.feedback_period_summary(
                viewer=request.user, unit=unit, start=start, end=today
            ),
            "year": selectors.feedback_period_summary(
                viewer=request.user, unit=unit, start=today - timedelta(days=365), end=today
            ),
            "quality": _model_quality(),
            "retrain": retrain_state(),
            "can_retrain": rules.can_retrain_models(request.user),
        },
    )


@officer_required
def dashboard_chart(request: HttpRequest) -> HttpResponse:
    """The topics by month as an SVG chart (the dashboard shows it; exports may embed it)."""
    unit = _unit_param(request)
    table = selectors.topic_unit_month(viewer=request.user, unit=unit)
    today = timezone.localdate()
    months = [*table["months"][:-1], table["months"][-1] + "*"] if table["months"] else []
    svg = charts.line_chart(
        months,
        [(row["label"], row["counts"]) for row in table["topics"][: len(charts.PALETTE)]],
        title=_("Ý kiến theo chủ đề và tháng (*: đến ngày %(day)s)") % {"day": today.day}
        + (f" — {unit.name}" if unit else ""),
        partial_last=True,
        width=charts.width_for(request.GET, 720),
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@officer_required
@require_POST
def retrain(request: HttpRequest) -> HttpResponse:
    """The Office's button: queue a retraining on the worker; the dashboard shows its state."""
    if not rules.can_retrain_models(request.user):
        raise PermissionDenied
    if retrain_request(actor=request.user):
        messages.success(
            request, _("Đã gửi yêu cầu huấn luyện lại; máy chủ nền sẽ chạy trong ít phút.")
        )
    else:
        messages.info(request, _("Đang có một lần huấn luyện lại chưa xong."))
    return redirect(reverse("feedback:dashboard") + "#huan-luyen")


def _model_quality() -> dict[str, Any] | None:
    report = load_report()
    if report is None:
        return None
    # The report keeps the topic labels of the language it was trained in: name them again
    # in the viewer's language from the codes.
    names = dict(Topic.choices)
    for table in (report, report.get("officer_labels") or {}):
        for row in table.get("per_topic", []):
            row["label"] = str(names.get(row.get("topic"), row.get("label", "")))
    return report


def _parse_date(value: str, default: date) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return default


@officer_required
def summary(request: HttpRequest) -> HttpResponse:
    """The period's summary, ready to copy into the six-month report (?from=&to=&unit=&format=json)."""
    today = timezone.localdate()
    start = _parse_date(param(request.GET, "from"), today.replace(day=1))
    end = _parse_date(param(request.GET, "to"), today)
    if end < start:
        start, end = end, start
    unit = _unit_param(request)
    data = selectors.feedback_period_summary(viewer=request.user, unit=unit, start=start, end=end)
    if param(request.GET, "format") == "json":
        return HttpResponse(
            json.dumps(data, ensure_ascii=False, default=str, indent=2),
            content_type="application/json",
        )
    return render(
        request, "feedback/summary.html", {"s": data, "unit": unit, "start": start, "end": end}
    )


@officer_required
def contact_export(request: HttpRequest) -> HttpResponse:
    """Everything held about one phone number (the Office answers a person's access request)."""
    if not rules.can_export_contacts(request.user):
        raise Http404
    form = ContactExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        rows = selectors.contact_export(viewer=request.user, phone=form.cleaned_data["phone"])
        audit_record(
            actor=request.user, action="feedback.contact_export", changes={"rows": len(rows)}
        )
        if form.cleaned_data["format"] == "xlsx":
            response = HttpResponse(exports.contact_rows_xlsx(rows), content_type=XLSX)
            response["Content-Disposition"] = 'attachment; filename="du-lieu-lien-he.xlsx"'
            return response
        response = HttpResponse(
            json.dumps(rows, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="du-lieu-lien-he.json"'
        return response
    return render(request, "feedback/contact_export.html", {"form": form})
