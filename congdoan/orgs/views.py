from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from congdoan.orgs import selectors, services
from congdoan.orgs.forms import (
    MemberFilterForm,
    UnitCreateForm,
    UnitMergeForm,
    UnitMoveForm,
    UnitRenameForm,
)
from congdoan.orgs.rules import admin_required, officer_required


def public_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A grassroots union's public page: who it is and how to reach it (no people listed)."""
    return render(request, "orgs/public_detail.html", {"unit": selectors.public_union(code=code)})


@officer_required
def tree(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    if query:
        rows = [
            {"unit": u, "indent": 0, "members_total": None}
            for u in selectors.unit_search(viewer=request.user, text=query, limit=100)
        ]
    else:
        rows = selectors.unit_tree(viewer=request.user)
    return render(request, "orgs/tree.html", {"rows": rows, "q": query})


@officer_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_detail(viewer=request.user, code=code)
    filter_form = MemberFilterForm(request.GET)
    page = selectors.unit_members(
        viewer=request.user,
        unit=unit,
        page=request.GET.get("page") or 1,
        filters=filter_form.to_filter(),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "unit": unit,
        "officers": selectors.unit_officers(viewer=request.user, unit=unit),
        "children": unit.children.filter(is_active=True).order_by("sort_key"),
        "members_total": selectors.subtree_member_count(unit=unit),
        "page": page,
        "filter_form": filter_form,
        "q": request.GET.get("q", ""),
        "querystring": query.urlencode(),
        "events": unit.events.all()[:20],
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "orgs/_members.html", context)
    return render(request, "orgs/detail.html", context)


@admin_required
def create(request: HttpRequest) -> HttpResponse:
    form = UnitCreateForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                level=data["level"],
                parent=data["parent"],
                kind=data["kind"],
                employer_name=data["employer_name"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã thêm đơn vị %(name)s.") % {"name": unit.name})
            return redirect("orgs:detail", unit.code)
    return render(request, "orgs/form.html", {"form": form, "title": _("Thêm đơn vị")})


@admin_required
def rename(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_detail(viewer=request.user, code=code)
    form = UnitRenameForm(request.POST or None, initial={"name": unit.name})
    if request.method == "POST" and form.is_valid():
        services.unit_rename(
            actor=request.user,
            unit=unit,
            name=form.cleaned_data["name"],
            on_date=form.cleaned_data["on_date"],
        )
        messages.success(request, _("Đã đổi tên đơn vị."))
        return redirect("orgs:detail", unit.code)
    return render(
        request, "orgs/form.html", {"form": form, "unit": unit, "title": _("Đổi tên đơn vị")}
    )


@admin_required
def move(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_detail(viewer=request.user, code=code)
    form = UnitMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_move(
                actor=request.user,
                unit=unit,
                new_parent=form.cleaned_data["new_parent"],
                on_date=form.cleaned_data["on_date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã chuyển đơn vị."))
            return redirect("orgs:detail", unit.code)
    return render(
        request,
        "orgs/form.html",
        {"form": form, "unit": unit, "title": _("Chuyển đơn vị sang cấp trên khác")},
    )


@admin_required
def merge(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_detail(viewer=request.user, code=code)
    form = UnitMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.unit_merge(
                actor=request.user,
                source=unit,
                target=form.cleaned_data["target"],
                on_date=form.cleaned_data["on_date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã sáp nhập đơn vị."))
            return redirect("orgs:detail", target.code)
    return render(
        request, "orgs/form.html", {"form": form, "unit": unit, "title": _("Sáp nhập đơn vị")}
    )
