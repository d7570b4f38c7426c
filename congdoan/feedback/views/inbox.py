"""The officers' inbox: the list with its filters (HTMX answers the rows only), its XLSX export,
and recording a concern heard on the hotline or at a meeting.

The rows come from `selectors.concern_page` / `concern_export_rows`: the viewer's scope only,
shown through `ConcernView` (contacts masked by the rule).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.feedback import exports, rules, selectors, services
from congdoan.feedback.forms import RecordForm, add_errors
from congdoan.feedback.models import Channel, Status, Topic, Urgency
from congdoan.orgs.rules import officer_required
from congdoan.orgs.scoping import get_unit_in_scope, units_in_scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _inbox_context(request: HttpRequest) -> dict[str, Any]:
    filters = selectors.InboxFilters.from_query(request.GET)
    if "status" not in request.GET:
        filters.status = "open"
    page = selectors.concern_page(
        viewer=request.user, filters=filters, page=request.GET.get("page", 1)
    )
    query = filters.as_query()
    return {
        "page": page,
        "filters": filters,
        "querystring": "&".join(f"{k}={v}" for k, v in query.items()),
        "statuses": Status.choices,
        "topics": Topic.choices,
        "urgencies": Urgency.choices,
        "channels": Channel.choices,
        "units": units_in_scope(request.user).filter(is_active=True).order_by("sort_key")[:500],
    }


@officer_required
def inbox(request: HttpRequest) -> HttpResponse:
    context = _inbox_context(request)
    if getattr(request, "htmx", False):
        return render(request, "feedback/_inbox_rows.html", context)
    return render(request, "feedback/inbox.html", context)


@officer_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    filters = selectors.InboxFilters.from_query(request.GET)
    body = exports.concerns_xlsx(
        selectors.concern_export_rows(viewer=request.user, filters=filters)
    )
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="y-kien-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


@officer_required
def record(request: HttpRequest) -> HttpResponse:
    """An officer records a concern heard on the hotline or at a meeting."""
    units = list(units_in_scope(request.user).filter(is_active=True).order_by("sort_key")[:1000])
    # A grassroots officer records for their own union unless they say otherwise.
    initial = {"unit": units[0].code} if len(units) == 1 else {}
    form = RecordForm(
        request.POST or None, units=units, home=services.fallback_unit(), initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            unit = get_unit_in_scope(request.user, data["unit"]) if data["unit"] else None
            try:
                concern = services.concern_submit(
                    text=data["text"],
                    unit=unit,
                    channel=Channel.OFFICER,
                    is_anonymous=data["is_anonymous"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    wants_upper_level=data["wants_upper_level"],
                    actor=request.user,
                )
            except ValidationError as exc:
                add_errors(form, exc)
                status = 422
            else:
                handler = concern.assigned_unit
                if handler is not None and not rules.can_view_concern(request.user, concern):
                    # Sent above the recorder's scope (the home unit, the upper level): say where.
                    messages.success(
                        request,
                        _("Đã ghi nhận ý kiến %(code)s và chuyển tới %(unit)s.")
                        % {"code": concern.code, "unit": handler.name},
                    )
                    return redirect("feedback:record")
                messages.success(
                    request, _("Đã ghi nhận ý kiến %(code)s.") % {"code": concern.code}
                )
                return redirect("feedback:detail", code=concern.code)
        else:
            status = 422
    return render(request, "feedback/record.html", {"form": form}, status=status)
