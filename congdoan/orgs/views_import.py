"""Member import pages: upload a sheet → preview every row → confirm.

The read sheet waits on the server (`core.importer.preview_save`: the officer's own, with an
expiry; not in the session) between the preview and the confirmation. The confirmation form
sends its token back, so an old tab cannot confirm a newer upload, and the confirmation
claims it once (`preview_apply`) and checks the sheet again before writing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from congdoan.core import importer
from congdoan.core.importer import ImportResult, StoredPreview
from congdoan.core.vndate import vn_number
from congdoan.orgs import imports, selectors
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import can_manage_unit, officer_required


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh sách đoàn viên (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )


def _managed_unit(request: HttpRequest, code: str) -> Unit:
    unit = selectors.unit_detail(viewer=request.user, code=code)  # 404 outside the scope
    if not can_manage_unit(request.user, unit):
        raise PermissionDenied
    return unit


@officer_required
def upload(request: HttpRequest, code: str) -> HttpResponse:
    unit = _managed_unit(request, code)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            sheet = importer.read_upload(upload_file, kind=imports.MEMBERS)
            imports.check_sheet(sheet, unit=unit, viewer=request.user)  # header problems show here
        except imports.SheetError as exc:
            form.add_error("file", str(exc))
        else:
            importer.preview_save(
                kind=imports.MEMBERS, sheet=sheet, owner=request.user, unit_code=unit.code
            )
            return redirect("orgs:import_preview", unit.code)
    return render(
        request,
        "orgs/import_upload.html",
        {
            "unit": unit,
            "form": form,
            "max_rows": imports.max_rows(),
            "columns": imports.column_labels(imports.FIELDS),
        },
    )


@officer_required
def template(request: HttpRequest, code: str) -> HttpResponse:
    unit = _managed_unit(request, code)
    response = HttpResponse(
        imports.template_xlsx(unit=unit),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mau-doan-vien-{unit.code}.xlsx"'
    return response


@officer_required
def preview(request: HttpRequest, code: str) -> HttpResponse:
    unit = _managed_unit(request, code)
    stored = importer.preview_get(kind=imports.MEMBERS, owner=request.user, unit_code=unit.code)
    if stored is None:
        return redirect("orgs:import_upload", unit.code)
    try:
        result = imports.check_sheet(stored.sheet, unit=unit, viewer=request.user)
    except imports.SheetError as exc:
        messages.error(request, str(exc))
        return redirect("orgs:import_upload", unit.code)
    return render(
        request,
        "orgs/import_preview.html",
        {
            "unit": unit,
            "preview": result,
            "labels": imports.column_labels(result.columns),
            "token": stored.token,
        },
    )


@officer_required
@require_POST
def confirm(request: HttpRequest, code: str) -> HttpResponse:
    unit = _managed_unit(request, code)
    valid_only = request.POST.get("valid_only") == "1"

    def run(stored: StoredPreview) -> ImportResult:
        return imports.import_members(
            actor=request.user,
            sheet=stored.sheet,
            unit=unit,
            viewer=request.user,
            valid_only=valid_only,
        )

    try:
        result = importer.preview_apply(
            kind=imports.MEMBERS,
            owner=request.user,
            token=request.POST.get("token", ""),
            unit_code=unit.code,
            run=run,
        )
    except (ValidationError, imports.SheetError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
        return redirect("orgs:import_preview", unit.code)
    if result is None:
        messages.error(
            request, _("Bản xem trước đã hết hạn hoặc đã được nhập; hãy tải tệp lên lại.")
        )
        return redirect("orgs:import_upload", unit.code)
    if result.skipped:
        messages.success(
            request,
            ngettext(
                "Đã nhập %(created)s đoàn viên; bỏ qua %(skipped)s dòng lỗi.",
                "Đã nhập %(created)s đoàn viên; bỏ qua %(skipped)s dòng lỗi.",
                result.created,
            )
            % {"created": vn_number(result.created), "skipped": vn_number(result.skipped)},
        )
    else:
        created = result.created
        messages.success(
            request,
            ngettext("Đã nhập %(created)s đoàn viên.", "Đã nhập %(created)s đoàn viên.", created)
            % {"created": vn_number(created)},
        )
    return redirect("orgs:detail", unit.code)
