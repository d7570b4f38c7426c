"""Member pages: one member's record and history; add, edit, end and renew a membership; export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from congdoan.audit.services import audit_record
from congdoan.orgs import exports, selectors, services
from congdoan.orgs.forms import MemberEndForm, MemberFilterForm, MemberForm, MemberRejoinForm
from congdoan.orgs.models import Member, Unit
from congdoan.orgs.rules import can_manage_unit, can_reset_member_password, officer_required
from congdoan.orgs.scoping import units_in_scope


def _managed_unit(request: HttpRequest, code: str) -> Unit:
    unit = selectors.unit_detail(viewer=request.user, code=code)  # 404 outside the scope
    if not can_manage_unit(request.user, unit):
        raise PermissionDenied
    return unit


def _member(request: HttpRequest, code: str, member_id: int) -> tuple[Unit, Member]:
    unit = _managed_unit(request, code)
    return unit, selectors.member_detail(viewer=request.user, unit=unit, member_id=member_id)


@officer_required
def detail(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    unit, member = _member(request, code, member_id)
    context = {
        "unit": unit,
        "member": member,
        "history": selectors.member_history(member=member),
        "end_form": MemberEndForm(initial={"on_date": timezone.localdate()}),
        "may_reset_password": can_reset_member_password(request.user, member),
    }
    return render(request, "orgs/member_detail.html", context)


@officer_required
def create(request: HttpRequest, code: str) -> HttpResponse:
    unit = _managed_unit(request, code)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            member = services.member_create(
                actor=request.user, unit=unit, full_name=data.pop("full_name"), **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã thêm đoàn viên %(name)s.") % {"name": member.full_name})
            return redirect("orgs:member_detail", unit.code, member.pk)
    return render(
        request, "orgs/member_form.html", {"form": form, "unit": unit, "title": _("Thêm đoàn viên")}
    )


@officer_required
def edit(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    unit, member = _member(request, code, member_id)
    form = MemberForm(request.POST or None, instance=Member.objects.get(pk=member.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu thông tin đoàn viên."))
            return redirect("orgs:member_detail", unit.code, member.pk)
    return render(
        request,
        "orgs/member_form.html",
        {"form": form, "unit": unit, "member": member, "title": _("Sửa thông tin đoàn viên")},
    )


@officer_required
def end(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    unit, member = _member(request, code, member_id)
    form = MemberEndForm(request.POST or None, initial={"on_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_end(
                actor=request.user,
                member=member,
                on_date=form.cleaned_data["on_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi nhận đoàn viên thôi sinh hoạt."))
            return redirect("orgs:member_detail", unit.code, member.pk)
    return render(
        request,
        "orgs/member_form.html",
        {"form": form, "unit": unit, "member": member, "title": _("Kết thúc sinh hoạt")},
    )


@officer_required
def rejoin(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    unit, member = _member(request, code, member_id)
    units = units_in_scope(request.user).filter(is_active=True, level__is_grassroots=True)
    form = MemberRejoinForm(
        request.POST or None,
        units=units,
        initial={"unit": unit.pk, "on_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_rejoin(
                actor=request.user,
                member=member,
                unit=form.cleaned_data["unit"],
                on_date=form.cleaned_data["on_date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi nhận đoàn viên sinh hoạt trở lại."))
            return redirect("orgs:member_detail", member.unit.code, member.pk)
    return render(
        request,
        "orgs/member_form.html",
        {"form": form, "unit": unit, "member": member, "title": _("Sinh hoạt trở lại")},
    )


@officer_required
@require_GET
def export(request: HttpRequest, code: str) -> HttpResponse:
    """The members of the unit and the units under it that the viewer may see, as XLSX."""
    unit = selectors.unit_detail(viewer=request.user, code=code)
    filters = MemberFilterForm(request.GET).to_filter()
    members = list(selectors.members_for_export(viewer=request.user, unit=unit, filters=filters))
    audit_record(
        actor=request.user,
        action="member.export",
        target=unit,
        changes={"rows": len(members), "filters": {k: v for k, v in vars(filters).items() if v}},
    )
    response = HttpResponse(
        exports.members_xlsx(members),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="doan-vien-{unit.code}-{stamp}.xlsx"'
    return response
