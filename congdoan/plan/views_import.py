"""Import of earlier periods' figures: upload a sheet → preview every row → confirm
(`core.importer`: the sheet waits on the server, the confirmation claims it once)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from congdoan.core import importer
from congdoan.core.importer import ImportResult, StoredPreview
from congdoan.core.vndate import vn_number
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import officer_required
from congdoan.plan import imports, rules
from congdoan.plan.views import unit_param


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp số liệu (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )


def _managed(request: HttpRequest) -> Unit:
    unit = unit_param(request)  # 404 outside the scope
    if not rules.can_import_figures(request.user, unit):
        raise PermissionDenied
    return unit


def _to(name: str, unit: Unit) -> HttpResponse:
    return redirect(f"{reverse(name)}?unit={unit.code}")


@officer_required
def upload(request: HttpRequest) -> HttpResponse:
    unit = _managed(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = importer.read_upload(form.cleaned_data["file"], kind=imports.FIGURES)
        except imports.SheetError as exc:
            form.add_error("file", str(exc))
        else:
            importer.preview_save(
                kind=imports.FIGURES, sheet=sheet, owner=request.user, unit_code=unit.code
            )
            return _to("plan:import_preview", unit)
    return render(
        request,
        "plan/import_upload.html",
        {
            "unit": unit,
            "form": form,
            "max_rows": imports.MAX_ROWS,
            "codes": imports.indicators.all_indicators(),
        },
    )


@officer_required
def template(request: HttpRequest) -> HttpResponse:
    unit = _managed(request)
    response = HttpResponse(
        imports.template_xlsx(unit=unit),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="mau-so-lieu-chi-tieu-{unit.code}.xlsx"'
    )
    return response


@officer_required
def preview(request: HttpRequest) -> HttpResponse:
    unit = _managed(request)
    stored = importer.preview_get(kind=imports.FIGURES, owner=request.user, unit_code=unit.code)
    if stored is None:
        return _to("plan:import_upload", unit)
    result = imports.check_sheet(stored.sheet, unit=unit, viewer=request.user)
    return render(
        request,
        "plan/import_preview.html",
        {
            "unit": unit,
            "preview": result,
            "labels": imports.column_labels(),
            "token": stored.token,
        },
    )


@officer_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    unit = _managed(request)
    valid_only = request.POST.get("valid_only") == "1"

    def run(stored: StoredPreview) -> ImportResult:
        return imports.import_figures(
            actor=request.user,
            sheet=stored.sheet,
            unit=unit,
            viewer=request.user,
            valid_only=valid_only,
        )

    try:
        result = importer.preview_apply(
            kind=imports.FIGURES,
            owner=request.user,
            token=request.POST.get("token", ""),
            unit_code=unit.code,
            run=run,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _to("plan:import_preview", unit)
    if result is None:
        messages.error(
            request, _("Bản xem trước đã hết hạn hoặc đã được nhập; hãy tải tệp lên lại.")
        )
        return _to("plan:import_upload", unit)
    text = ngettext(
        "Đã nhập %(created)s số liệu.", "Đã nhập %(created)s số liệu.", result.created
    ) % {"created": vn_number(result.created)}
    if result.already:
        text += " " + ngettext(
            "%(n)s dòng đã có sẵn, giữ nguyên.", "%(n)s dòng đã có sẵn, giữ nguyên.", result.already
        ) % {"n": vn_number(result.already)}
    if result.skipped:
        text += " " + ngettext(
            "Bỏ qua %(n)s dòng lỗi.", "Bỏ qua %(n)s dòng lỗi.", result.skipped
        ) % {"n": vn_number(result.skipped)}
    messages.success(request, text)
    return _to("plan:dashboard", unit)
