"""Training attendance from a sheet: upload → preview (kept on the server) → confirm, the same
pages as an activity's sign-in sheet (`views.attendance_*`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from congdoan.activities import rules, selectors, sheet_flow, training_import
from congdoan.activities.models import TrainingSession
from congdoan.core.importer import ImportResult, StoredPreview
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
    return sheet_flow.upload_page(
        request,
        kind=training_import.TRAINING,
        key=training_import.preview_key(session),
        pk=session.pk,
        preview_name="activities:session_import_preview",
        context=_urls(session),
    )


@officer_required
def session_import_preview(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    return sheet_flow.preview_page(
        request,
        kind=training_import.TRAINING,
        key=training_import.preview_key(session),
        pk=session.pk,
        upload_name="activities:session_import_upload",
        check=lambda sheet: training_import.check_sheet(sheet, session=session),
        context=_urls(session),
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

    result = sheet_flow.confirm(
        request,
        kind=training_import.TRAINING,
        key=training_import.preview_key(session),
        pk=session.pk,
        preview_name="activities:session_import_preview",
        upload_name="activities:session_import_upload",
        run=run,
    )
    if isinstance(result, HttpResponse):
        return result
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
