"""Training attendance from a sheet: upload → preview (kept on the server) → confirm, the same
pages as an activity's sign-in sheet (`views.attendance_*`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from congdoan.activities import rules, selectors, training_import
from congdoan.activities.attendance_import import column_labels
from congdoan.activities.forms import AttendanceUploadForm
from congdoan.activities.models import TrainingSession
from congdoan.core import importer
from congdoan.core.importer import ImportResult, SheetError, StoredPreview
from congdoan.core.vndate import vn_number
from congdoan.orgs.rules import officer_required


def _session(request: HttpRequest, session_id: int) -> TrainingSession:
    session = selectors.session_get(viewer=request.user, pk=session_id)
    if not rules.can_record_for(request.user, session.unit):
        raise PermissionDenied
    return session


def _urls(session: TrainingSession) -> dict[str, object]:
    return {
        "training": True,
        "back_url": reverse("activities:session", args=[session.pk]),
        "back_label": str(session),
        "template_url": "",
        "upload_url": reverse("activities:session_import_upload", args=[session.pk]),
        "confirm_url": reverse("activities:session_import_confirm", args=[session.pk]),
    }


@officer_required
def session_import_upload(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = importer.read_upload(form.cleaned_data["file"], kind=training_import.TRAINING)
        except SheetError as exc:
            form.add_error("file", str(exc))
        else:
            importer.preview_save(
                kind=training_import.TRAINING,
                sheet=sheet,
                owner=request.user,
                unit_code=training_import.preview_key(session),
            )
            return redirect("activities:session_import_preview", session.pk)
    return render(request, "activities/import_upload.html", {**_urls(session), "form": form})


@officer_required
def session_import_preview(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    stored = importer.preview_get(
        kind=training_import.TRAINING,
        owner=request.user,
        unit_code=training_import.preview_key(session),
    )
    if stored is None:
        return redirect("activities:session_import_upload", session.pk)
    preview = training_import.check_sheet(stored.sheet, session=session)
    return render(
        request,
        "activities/import_preview.html",
        {
            **_urls(session),
            "preview": preview,
            "labels": column_labels(preview.columns),
            "token": stored.token,
        },
    )


@officer_required
@require_POST
def session_import_confirm(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    valid_only = request.POST.get("valid_only") == "1"

    def run(stored: StoredPreview) -> ImportResult:
        return training_import.import_training(
            actor=request.user, sheet=stored.sheet, session=session, valid_only=valid_only
        )

    try:
        result = importer.preview_apply(
            kind=training_import.TRAINING,
            owner=request.user,
            token=request.POST.get("token", ""),
            unit_code=training_import.preview_key(session),
            run=run,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("activities:session_import_preview", session.pk)
    if result is None:
        messages.error(
            request, _("Bản xem trước đã hết hạn hoặc đã được nhập; hãy tải tệp lên lại.")
        )
        return redirect("activities:session_import_upload", session.pk)
    messages.success(
        request,
        ngettext(
            "Đã ghi %(created)s người dự; bỏ qua %(skipped)s dòng lỗi.",
            "Đã ghi %(created)s người dự; bỏ qua %(skipped)s dòng lỗi.",
            result.skipped,
        )
        % {"created": vn_number(result.created), "skipped": vn_number(result.skipped)},
    )
    return redirect("activities:session", session.pk)
