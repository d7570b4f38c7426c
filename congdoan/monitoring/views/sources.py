"""/theo-doi/nguon/: the sources watched with their health, create and edit, "fetch now" (a
background task), and the upload of a social-listening tool's export into a FILE source."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.audit.services import audit_record
from congdoan.monitoring import rules, selectors, tasks
from congdoan.monitoring.forms import SourceForm, UploadForm
from congdoan.monitoring.models import Source, SourceKind
from congdoan.monitoring.services import ingest
from congdoan.monitoring.services import sources as source_services
from congdoan.monitoring.sources import files
from congdoan.monitoring.sources.base import SourceError
from congdoan.monitoring.views.common import apply_errors
from congdoan.orgs.rules import officer_required
from congdoan.orgs.scoping import units_in_scope


def _source_for(request: HttpRequest, pk: int) -> Source:
    source = selectors.source_for(request.user, pk)
    if not rules.can_manage_source(request.user, source):
        raise PermissionDenied
    return source


@officer_required
def source_list(request: HttpRequest) -> HttpResponse:
    sources = selectors.sources_for(request.user)
    return render(request, "monitoring/sources.html", {"sources": sources, "nav": "sources"})


@officer_required
def source_create(request: HttpRequest) -> HttpResponse:
    form = SourceForm(request.POST or None, units=units_in_scope(request.user))
    if request.method == "POST" and form.is_valid():
        if not rules.can_see_unit(request.user, form.cleaned_data["unit"]):
            raise PermissionDenied
        try:
            source = source_services.create_source(request.user, **form.service_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nguồn theo dõi."))
            return redirect("monitoring:source", source.pk)
    return render(
        request, "monitoring/source_form.html", {"form": form, "source": None, "nav": "sources"}
    )


@officer_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The source's health and its edit form; for a FILE source the upload form too."""
    source = _source_for(request, pk)
    form = SourceForm(request.POST or None, instance=source, units=units_in_scope(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            source_services.update_source(request.user, source, **form.service_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu nguồn theo dõi."))
            return redirect("monitoring:source", source.pk)
    source.refresh_from_db()
    return render(
        request,
        "monitoring/source_form.html",
        {
            "form": form,
            "source": source,
            "upload_form": UploadForm() if source.kind == SourceKind.FILE else None,
            "item_count": source.items.count(),
            "nav": "sources",
        },
    )


@officer_required
@require_POST
def source_fetch(request: HttpRequest, pk: int) -> HttpResponse:
    source = _source_for(request, pk)
    if source.kind in (SourceKind.FILE, SourceKind.TIPS):
        messages.error(request, _("Nguồn này không tự lấy tin: tải tệp lên hoặc chờ tin báo."))
        return redirect("monitoring:source", source.pk)
    source_id = source.pk
    transaction.on_commit(lambda: tasks.fetch_source_task.enqueue(source_id))
    messages.success(request, _("Đã yêu cầu lấy tin ngay; tình trạng nguồn cập nhật sau ít phút."))
    return redirect("monitoring:source", source.pk)


@officer_required
@require_POST
def source_upload(request: HttpRequest, pk: int) -> HttpResponse:
    source = _source_for(request, pk)
    if source.kind != SourceKind.FILE:
        raise Http404
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            raw, refused = files.parse_file(form.cleaned_data["file"].read(), form.fmt)
        except SourceError as exc:
            messages.error(request, _("Không đọc được tệp: %(why)s") % {"why": exc})
            return redirect("monitoring:source", source.pk)
        result = ingest.ingest(source, raw)
        audit_record(
            actor=request.user,
            action="monitoring.source.upload",
            target=source,
            changes={
                "file": form.cleaned_data["file"].name,
                "new": result.new,
                "duplicate": result.duplicate,
                "refused": result.refused + len(refused),
            },
        )
        messages.success(
            request,
            _("Đã nhập tệp: %(new)s tin mới, %(dup)s tin trùng, %(refused)s tin bị từ chối.")
            % {
                "new": result.new,
                "dup": result.duplicate,
                "refused": result.refused + len(refused),
            },
        )
        for reason in [*refused, *result.errors][:5]:
            messages.warning(request, reason)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("monitoring:source", source.pk)
