"""The upload → preview → confirm steps shared by an activity's sign-in sheet (`views.attendance_*`)
and a training session's (`views_sheets.session_import_*`); each view keeps its own page names,
check and success message."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from congdoan.activities.attendance_import import column_labels
from congdoan.activities.forms import AttendanceUploadForm
from congdoan.core import importer
from congdoan.core.importer import ImportResult, Kind, Preview, Sheet, SheetError, StoredPreview


def upload_page(
    request: HttpRequest,
    *,
    kind: Kind,
    key: str,
    pk: int,
    preview_name: str,
    context: Mapping[str, object],
) -> HttpResponse:
    """The upload form; a readable sheet is kept and the browser goes to `preview_name`."""
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = importer.read_upload(form.cleaned_data["file"], kind=kind)
        except SheetError as exc:
            form.add_error("file", str(exc))
        else:
            importer.preview_save(kind=kind, sheet=sheet, owner=request.user, unit_code=key)
            return redirect(preview_name, pk)
    return render(request, "activities/import_upload.html", {**context, "form": form})


def preview_page(
    request: HttpRequest,
    *,
    kind: Kind,
    key: str,
    pk: int,
    upload_name: str,
    check: Callable[[Sheet], Preview],
    context: Mapping[str, object],
) -> HttpResponse:
    """The kept sheet checked row by row, or back to `upload_name` when none waits."""
    stored = importer.preview_get(kind=kind, owner=request.user, unit_code=key)
    if stored is None:
        return redirect(upload_name, pk)
    preview = check(stored.sheet)
    return render(
        request,
        "activities/import_preview.html",
        {
            **context,
            "preview": preview,
            "labels": column_labels(preview.columns),
            "token": stored.token,
        },
    )


def confirm(
    request: HttpRequest,
    *,
    kind: Kind,
    key: str,
    pk: int,
    preview_name: str,
    upload_name: str,
    run: Callable[[StoredPreview], ImportResult],
) -> ImportResult | HttpResponse:
    """Run the import of the posted preview: its result, or the redirect (with the error said)
    when it was refused or has expired."""
    try:
        result = importer.preview_apply(
            kind=kind,
            owner=request.user,
            token=request.POST.get("token", ""),
            unit_code=key,
            run=run,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(preview_name, pk)
    if result is None:
        messages.error(
            request, _("Bản xem trước đã hết hạn hoặc đã được nhập; hãy tải tệp lên lại.")
        )
        return redirect(upload_name, pk)
    return result
