"""Pages for direct activities, their attendance (phone checklist, sheet import) and press.

Thin: authorise through the selectors (404 outside the viewer's scope) and the rules, call one
service, render or redirect. Training, good examples, channels and budgets: `views_more.py`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from congdoan.activities import attendance_import as sheet_import
from congdoan.activities import rules, selectors, services, sheet_flow
from congdoan.activities.forms import ActivityForm, PressForm
from congdoan.activities.models import Activity, ActivityKind
from congdoan.core.importer import ImportResult, StoredPreview
from congdoan.core.vndate import vn_number
from congdoan.orgs.rules import officer_required
from congdoan.orgs.scoping import get_unit_in_scope

PER_PAGE = 50
TICK_PAGE = 100


def _year(request: HttpRequest) -> int | None:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@officer_required
def activity_list(request: HttpRequest) -> HttpResponse:
    unit_code = request.GET.get("unit", "")
    unit = get_unit_in_scope(request.user, unit_code) if unit_code else None
    kind = request.GET.get("kind", "")
    kind = kind if kind in ActivityKind.values else ""
    year = _year(request)
    qs = selectors.activities_visible(viewer=request.user, unit=unit, kind=kind, year=year)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page") or 1)
    today = timezone.localdate()
    this_year = today.year
    behind = []
    if not (unit_code or kind or year) and page.number == 1:
        behind = selectors.units_behind_duty(viewer=request.user, year=this_year, today=today)
    return render(
        request,
        "activities/list.html",
        {
            "behind": behind,
            "duty": selectors.YEARLY_DUTY,
            "this_year": this_year,
            "page_obj": page,
            "units": selectors.units_for(viewer=request.user),
            "kinds": ActivityKind.choices,
            "years": list(range(this_year, this_year - 6, -1)),
            "params": {"unit": unit_code, "kind": kind, "year": year},
        },
    )


def _values(form: ActivityForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "unit"}


@officer_required
def activity_create(request: HttpRequest) -> HttpResponse:
    units = selectors.units_for(viewer=request.user)
    form = ActivityForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, unit=form.cleaned_data["unit"], values=_values(form)
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã ghi hoạt động."))
            return redirect("activities:detail", activity.pk)
    return render(request, "activities/form.html", {"form": form, "title": _("Ghi hoạt động mới")})


@officer_required
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.activity_get(viewer=request.user, pk=activity_id)
    page = Paginator(selectors.attendees(activity=activity), TICK_PAGE).get_page(
        request.GET.get("page") or 1
    )
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "attended": page.paginator.count,
            "page_obj": page,
            "can_edit": rules.can_record_for(request.user, activity.unit),
        },
    )


def _editable(request: HttpRequest, activity_id: int) -> Activity:
    activity = selectors.activity_get(viewer=request.user, pk=activity_id)
    if not rules.can_record_for(request.user, activity.unit):
        raise PermissionDenied
    return activity


@officer_required
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _editable(request, activity_id)
    units = selectors.units_for(viewer=request.user).filter(pk=activity.unit_id)
    initial = {f: getattr(activity, f) for f in services.activities.ACTIVITY_FIELDS}
    initial["unit"] = activity.unit_id
    form = ActivityForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, values=_values(form))
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/form.html",
        {"form": form, "title": _("Sửa hoạt động"), "activity": activity},
    )


@officer_required
@require_POST
def activity_delete(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _editable(request, activity_id)
    services.activity_delete(actor=request.user, activity=activity)
    messages.success(request, _("Đã xóa hoạt động."))
    return redirect("activities:list")


@officer_required
def attendance_tick(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The phone checklist: the unit's members (searchable without diacritics), a page at a
    time; saving marks the ticked ones present and the unticked ones shown absent."""
    activity = _editable(request, activity_id)
    query = request.GET.get("q", "")
    if request.method == "POST":
        shown = [int(x) for x in request.POST.getlist("shown") if x.isdigit()]
        ticked = [int(x) for x in request.POST.getlist("present") if x.isdigit()]
        try:
            added, removed = services.attendance_tick(
                actor=request.user, activity=activity, shown_ids=shown, ticked_ids=ticked
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(
                request,
                _("Đã lưu điểm danh: thêm %(a)s, bỏ %(r)s.")
                % {"a": vn_number(added), "r": vn_number(removed)},
            )
        return redirect(request.get_full_path())
    candidates = selectors.attendance_candidates(activity=activity, query=query)
    page = Paginator(candidates, TICK_PAGE).get_page(request.GET.get("page") or 1)
    return render(
        request,
        "activities/tick.html",
        {
            "activity": activity,
            "page_obj": page,
            "present": selectors.present_ids(activity=activity),
            "query": query,
        },
    )


def _sheet_urls(activity: Activity) -> dict[str, str]:
    """Where the shared import pages link to, for an activity's sign-in sheet."""
    return {
        "back_url": reverse("activities:detail", args=[activity.pk]),
        "back_label": activity.title,
        "template_url": reverse("activities:import_template", args=[activity.pk]),
        "upload_url": reverse("activities:import_upload", args=[activity.pk]),
        "confirm_url": reverse("activities:import_confirm", args=[activity.pk]),
    }


@officer_required
def attendance_upload(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _editable(request, activity_id)
    return sheet_flow.upload_page(
        request,
        kind=sheet_import.ATTENDANCE,
        key=sheet_import.preview_key(activity),
        pk=activity.pk,
        preview_name="activities:import_preview",
        context=_sheet_urls(activity),
    )


@officer_required
def attendance_template(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _editable(request, activity_id)
    response = HttpResponse(
        sheet_import.template_xlsx(activity=activity),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="diem-danh-{activity.pk}.xlsx"'
    return response


@officer_required
def attendance_preview(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _editable(request, activity_id)
    return sheet_flow.preview_page(
        request,
        kind=sheet_import.ATTENDANCE,
        key=sheet_import.preview_key(activity),
        pk=activity.pk,
        upload_name="activities:import_upload",
        check=lambda sheet: sheet_import.check_sheet(sheet, activity=activity),
        context=_sheet_urls(activity),
    )


@officer_required
@require_POST
def attendance_confirm(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _editable(request, activity_id)
    valid_only = request.POST.get("valid_only") == "1"

    def run(stored: StoredPreview) -> ImportResult:
        return sheet_import.import_attendance(
            actor=request.user, sheet=stored.sheet, activity=activity, valid_only=valid_only
        )

    result = sheet_flow.confirm(
        request,
        kind=sheet_import.ATTENDANCE,
        key=sheet_import.preview_key(activity),
        pk=activity.pk,
        preview_name="activities:import_preview",
        upload_name="activities:import_upload",
        run=run,
    )
    if isinstance(result, HttpResponse):
        return result
    messages.success(
        request,
        ngettext(
            "Đã ghi %(created)s người tham dự; bỏ qua %(skipped)s dòng lỗi, %(already)s người đã có.",
            "Đã ghi %(created)s người tham dự; bỏ qua %(skipped)s dòng lỗi, %(already)s người đã có.",
            result.created,
        )
        % {
            "created": vn_number(result.created),
            "skipped": vn_number(result.skipped),
            "already": vn_number(result.already),
        },
    )
    return redirect("activities:detail", activity.pk)


@officer_required
def press_list(request: HttpRequest) -> HttpResponse:
    units = selectors.units_for(viewer=request.user)
    form = PressForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        try:
            services.press_create(actor=request.user, unit=form.cleaned_data["unit"], values=values)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã ghi phối hợp báo chí."))
            return redirect("activities:press")
    year = _year(request)
    page = Paginator(selectors.press_visible(viewer=request.user, year=year), PER_PAGE).get_page(
        request.GET.get("page") or 1
    )
    return render(request, "activities/press.html", {"form": form, "page_obj": page})


@officer_required
def press_edit(request: HttpRequest, press_id: int) -> HttpResponse:
    item = selectors.press_get(viewer=request.user, pk=press_id)
    units = selectors.units_for(viewer=request.user).filter(pk=item.unit_id)
    initial = {f: getattr(item, f) for f in services.activities.PRESS_FIELDS}
    initial["unit"] = item.unit_id
    form = PressForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        try:
            services.press_update(actor=request.user, item=item, values=values)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("activities:press")
    return render(
        request, "activities/form.html", {"form": form, "title": _("Sửa phối hợp báo chí")}
    )


@officer_required
@require_POST
def press_delete(request: HttpRequest, press_id: int) -> HttpResponse:
    item = selectors.press_get(viewer=request.user, pk=press_id)
    services.press_delete(actor=request.user, item=item)
    messages.success(request, _("Đã xóa."))
    return redirect("activities:press")
