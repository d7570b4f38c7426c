"""Webhooks of the intake channels (Zalo OA, SMS gateway) and the paper-form import pages."""

from __future__ import annotations

import json
import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from congdoan.core import importer
from congdoan.core.importer import ImportResult, SheetError, StoredPreview
from congdoan.core.middleware import accepts_control_characters, control_character_in
from congdoan.core.vndate import vn_number
from congdoan.feedback import importers
from congdoan.feedback.channels import intake, sms, zalo
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import can_manage_unit, officer_required
from congdoan.orgs.scoping import get_unit_in_scope, units_in_scope

logger = logging.getLogger("congdoan.feedback.channels")

# -- webhooks ----------------------------------------------------------------------------------


def _forbidden() -> JsonResponse:
    return JsonResponse({"error": "invalid signature"}, status=403)


@accepts_control_characters
@csrf_exempt
@require_POST
def zalo_webhook(request: HttpRequest) -> HttpResponse:
    """Zalo OA events. Only `user_send_text` creates a concern; other events are acknowledged."""
    raw = request.body
    if not zalo.verify_signature(raw, request.headers.get(zalo.SIGNATURE_HEADER)):
        logger.warning(
            "zalo webhook: bad or missing signature from %s", request.META.get("REMOTE_ADDR")
        )
        return _forbidden()
    body = json.loads(raw.decode("utf-8"))  # verify_signature already parsed it
    event = zalo.parse_text_event(body)
    if event is None:
        return JsonResponse({"ok": True, "ignored": str(body.get("event_name", ""))[:50]})
    refused = _refuse_control_characters("zalo", event.msg_id, event.sender_id, event.text)
    if refused is not None:
        return refused
    result = intake.zalo_intake(sender_id=event.sender_id, text=event.text, msg_id=event.msg_id)
    return _intake_answer(result)


@accepts_control_characters
@csrf_exempt
@require_POST
def sms_webhook(request: HttpRequest) -> HttpResponse:
    """An incoming SMS from the gateway (form or JSON: from, text, id, timestamp)."""
    raw = request.body
    if not sms.verify_signature(raw, request.headers.get(sms.SIGNATURE_HEADER)):
        logger.warning(
            "sms webhook: bad or missing signature from %s", request.META.get("REMOTE_ADDR")
        )
        return _forbidden()
    try:
        message = sms.parse_payload(raw, request.content_type or "")
    except sms.PayloadError as exc:
        # Signed, so from the gateway: an error answer would have it redelivered forever.
        logger.warning("sms webhook: refused a signed payload: %s", exc)
        return JsonResponse({"ok": False, "error": str(exc)})
    refused = _refuse_control_characters("sms", message.msg_id, message.phone, message.text)
    if refused is not None:
        return refused
    result = intake.sms_intake(phone=message.phone, text=message.text, msg_id=message.msg_id)
    return _intake_answer(result)


def _refuse_control_characters(channel: str, *fields: str) -> JsonResponse | None:
    """A signed message with a control character (a NUL cannot be stored) is acknowledged
    with 200 and logged, never stored: an error answer would make the provider redeliver it
    forever."""
    found = next((f for field in fields if (f := control_character_in(field))), None)
    if found is None:
        return None
    logger.warning(
        "%s webhook: refused message %s with a control character %s",
        channel,
        fields[0].encode("unicode_escape").decode()[:80],
        found,
    )
    return JsonResponse({"ok": False, "error": "control characters"})


def _intake_answer(result: intake.IntakeResult) -> JsonResponse:
    # 200 even when the text was refused: the provider must not redeliver; the worker got a help reply.
    if result.status_of:
        return JsonResponse({"ok": True, "status_of": result.status_of})
    if result.concern is None:
        return JsonResponse({"ok": False, "error": result.error})
    return JsonResponse({"ok": True, "code": result.concern.code, "duplicate": not result.created})


# -- paper forms import ------------------------------------------------------------------------


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.name}"


class ImportForm(forms.Form):
    unit = UnitChoiceField(
        label=gettext_lazy("Đơn vị mặc định (cho các dòng không ghi mã đơn vị)"),
        queryset=Unit.objects.none(),
        to_field_name="code",
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp phiếu đã gõ lại (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units_in_scope(user).filter(is_active=True)


def _managed(request: HttpRequest, code: str) -> Unit:
    unit = get_unit_in_scope(request.user, code)  # 404 outside the scope
    if not can_manage_unit(request.user, unit):
        raise PermissionDenied
    return unit


def _render_preview(request: HttpRequest, form: ImportForm, stored: StoredPreview) -> HttpResponse:
    unit = _managed(request, stored.unit_code)
    preview = importers.preview_sheet(
        stored.sheet, default_unit=unit, may_use=importers.officer_may_use(request.user)
    )
    return render(
        request,
        "feedback/import.html",
        {
            "form": form,
            "unit": unit,
            "preview": preview,
            "token": stored.token,
            "max_rows": importers.MAX_ROWS,
        },
    )


@officer_required
def paper_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview every row with its errors (nothing written yet)."""
    initial = {}
    if request.GET.get("don_vi"):
        initial["unit"] = request.GET["don_vi"]
    form = ImportForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        unit: Unit = form.cleaned_data["unit"]
        _managed(request, unit.code)
        upload = form.cleaned_data["file"]
        try:
            sheet = importer.read_upload(upload, kind=importers.PAPER_FORMS)
        except SheetError as exc:
            form.add_error("file", str(exc))
        else:
            stored = importer.preview_save(
                kind=importers.PAPER_FORMS, sheet=sheet, owner=request.user, unit_code=unit.code
            )
            return _render_preview(request, form, stored)
    return render(
        request,
        "feedback/import.html",
        {"form": form, "preview": None, "max_rows": importers.MAX_ROWS},
    )


@officer_required
@require_POST
def paper_import_confirm(request: HttpRequest) -> HttpResponse:
    valid_only = request.POST.get("valid_only") == "1"
    token = request.POST.get("token", "")

    def run(stored: StoredPreview) -> ImportResult:
        unit = _managed(request, stored.unit_code)
        # Check again: the officer's scope or the units may have changed since the preview.
        preview = importers.preview_sheet(
            stored.sheet, default_unit=unit, may_use=importers.officer_may_use(request.user)
        )
        return importers.import_sheet(preview=preview, actor=request.user, valid_only=valid_only)

    try:
        result = importer.preview_apply(
            kind=importers.PAPER_FORMS, owner=request.user, token=token, run=run
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        stored = importer.preview_get(kind=importers.PAPER_FORMS, owner=request.user, token=token)
        if stored is None:
            return redirect("feedback_channels:import")
        form = ImportForm(user=request.user, initial={"unit": stored.unit_code})
        return _render_preview(request, form, stored)
    if result is None:
        messages.error(
            request, _("Bản xem trước đã hết hạn hoặc đã được nhập; hãy tải tệp lên lại.")
        )
        return redirect("feedback_channels:import")
    created = result.created
    text = ngettext(
        "Đã nhập %(created)s ý kiến từ phiếu giấy.",
        "Đã nhập %(created)s ý kiến từ phiếu giấy.",
        created,
    ) % {"created": vn_number(created)}
    if result.already:
        n = result.already
        text += " " + ngettext(
            "%(n)s dòng đã được nhập từ trước, không nhập lại.",
            "%(n)s dòng đã được nhập từ trước, không nhập lại.",
            n,
        ) % {"n": vn_number(n)}
    if result.skipped:
        n = result.skipped
        text += " " + ngettext("Bỏ qua %(n)s dòng lỗi.", "Bỏ qua %(n)s dòng lỗi.", n) % {
            "n": vn_number(n)
        }
    messages.success(request, text)
    return redirect("feedback_channels:import")
