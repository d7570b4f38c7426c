"""Pages of the library: officers' list/search, upload, detail, corrections; public pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.library import rules, selectors, services
from congdoan.library.forms import (
    LayerChoiceForm,
    MetadataForm,
    SearchForm,
    ShareForm,
    UploadForm,
)
from congdoan.library.models import METADATA_FIELDS, DocType, Document, Reading
from congdoan.orgs.rules import officer_required


def _search_params(request: HttpRequest) -> dict[str, Any]:
    form = SearchForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    return {
        "query": (data.get("q") or "").strip(),
        "doc_type": data.get("type") or "",
        "issuer": (data.get("issuer") or "").strip(),
        "year": data.get("year"),
        "unit_code": (data.get("unit") or "").strip(),
        "tag": (data.get("tag") or "").strip(),
        "page": data.get("page") or 1,
    }


def _base_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@officer_required
def document_list(request: HttpRequest) -> HttpResponse:
    params = _search_params(request)
    results = selectors.search_documents(viewer=request.user, **params)
    context = {
        "results": results,
        "params": params,
        "types": DocType.choices,
        **selectors.facets(viewer=request.user),
        "base_query": _base_query(request),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "library/_results.html", context)
    return render(request, "library/list.html", context)


@officer_required
def upload(request: HttpRequest) -> HttpResponse:
    units = selectors.upload_units(viewer=request.user)
    scope_unit = units.first()
    form = UploadForm(
        request.POST or None, request.FILES or None, units=units, initial={"unit": scope_unit}
    )
    outcomes = []
    if request.method == "POST" and form.is_valid():
        files: list[tuple[str, bytes | None]] = []
        for f in form.cleaned_data["files"]:
            # Past the limit nothing more was kept of it (core.uploads): "larger than the limit".
            files.append(
                (
                    f.name,
                    None
                    if f.size > settings.LIBRARY_MAX_BYTES
                    else f.read(settings.LIBRARY_MAX_BYTES + 1),
                )
            )
        outcomes = services.upload_many(
            actor=request.user,
            unit=form.cleaned_data["unit"],
            files=files,
            visibility=form.cleaned_data["visibility"],
            tags=form.cleaned_data["tags"],
        )
        created = sum(1 for o in outcomes if o.status == "created")
        if created and not request.htmx:  # type: ignore[attr-defined]
            messages.success(
                request,
                _("Đã nhận %(n)d tệp; thư viện đang đọc và nhận dạng chữ.") % {"n": created},
            )
    context = {
        "form": form,
        "outcomes": outcomes,
        "max_mb": settings.LIBRARY_MAX_BYTES // (1024 * 1024),
        "max_pages": settings.LIBRARY_MAX_PAGES,
    }
    if request.htmx and request.method == "POST":  # type: ignore[attr-defined]
        return render(request, "library/_upload_result.html", context)
    return render(request, "library/upload.html", context)


@officer_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.document_get(viewer=request.user, pk=pk)
    editable = rules.can_manage(request.user, doc)
    initial = {f: getattr(doc, f) for f in METADATA_FIELDS}
    fields = [
        {
            "name": f,
            "label": getattr(Document._meta.get_field(f), "verbose_name", f),
            "value": doc.get_doc_type_display()
            if f == "doc_type" and doc.doc_type
            else getattr(doc, f),
            "confidence": doc.confidence.get(f),
            "corrected": f in doc.corrected,
        }
        for f in METADATA_FIELDS
    ]
    context = {
        **selectors.document_progress(document=doc),
        "fields": fields,
        "editable": editable,
        "form": MetadataForm(initial=initial),
        "share_form": ShareForm(initial={"visibility": doc.visibility, "tags": doc.tags}),
        "links": selectors.document_links(viewer=request.user, document=doc),
        **_layer_context(doc, editable),
    }
    return render(request, "library/detail.html", context)


def _layer_context(doc: Document, editable: bool) -> dict[str, Any]:
    pages = selectors.document_layers(document=doc)
    own_text = bool(pages) or selectors.has_own_text(document=doc)
    choices = services.layer_choices(doc) if editable and own_text else []
    return {
        "layer_pages": pages,
        "layer_garbled": sum(1 for p in pages if p.garbled),
        "layer_repaired": sum(1 for p in pages if p.reading == Reading.REPAIRED),
        "layer_reocr": sum(1 for p in pages if p.reading == Reading.REOCR),
        "layer_form": LayerChoiceForm(initial={"choice": doc.layer_choice}, choices=choices)
        if choices
        else None,
    }


@officer_required
def layers(request: HttpRequest, pk: int) -> HttpResponse:
    """The document's garbled text layers: each page's layer as found beside the text the
    library keeps, the changed words marked on both sides (no JavaScript needed)."""
    doc = selectors.document_get(viewer=request.user, pk=pk)
    context = {"doc": doc, **_layer_context(doc, rules.can_manage(request.user, doc))}
    return render(request, "library/layers.html", context)


@officer_required
@require_POST
def reread_layers(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer forces how the document's text layers are read: repair, OCR again, or auto."""
    doc = _editable(request, pk)
    form = LayerChoiceForm(request.POST, choices=services.layer_choices(doc))
    if not form.is_valid():
        messages.error(request, _("Cách đọc lớp chữ không hợp lệ."))
        return redirect("library:detail", doc.pk)
    try:
        services.document_reread_layers(
            actor=request.user, document=doc, choice=form.cleaned_data["choice"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã đưa tài liệu vào hàng đợi đọc lại lớp chữ."))
    return redirect("library:detail", doc.pk)


@officer_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.document_get(viewer=request.user, pk=pk)
    context = selectors.document_progress(document=doc)
    if request.htmx and not context["working"]:  # type: ignore[attr-defined]
        response = HttpResponse()
        response["HX-Refresh"] = "true"  # processing ended: show the whole page with its results
        return response
    return render(request, "library/_progress.html", context)


def _editable(request: HttpRequest, pk: int) -> Document:
    doc = selectors.document_get(viewer=request.user, pk=pk)
    if not rules.can_manage(request.user, doc):
        raise PermissionDenied
    return doc


@officer_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _editable(request, pk)
    form = MetadataForm(request.POST)
    if form.is_valid():
        values = {f: form.cleaned_data[f] for f in METADATA_FIELDS if f in request.POST}
        try:
            services.document_correct(actor=request.user, document=doc, values=values)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã lưu thông tin văn bản."))
    else:
        messages.error(
            request,
            _("Thông tin chưa hợp lệ: %(err)s")
            % {
                "err": "; ".join(
                    f"{form.fields[k].label}: {' '.join(str(e) for e in v)}"
                    for k, v in form.errors.items()
                )
            },
        )
    return redirect("library:detail", doc.pk)


@officer_required
@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _editable(request, pk)
    form = ShareForm(request.POST)
    if form.is_valid():
        services.document_share(
            actor=request.user,
            document=doc,
            visibility=form.cleaned_data["visibility"],
            tags=form.cleaned_data["tags"],
        )
        messages.success(request, _("Đã cập nhật chia sẻ."))
    else:
        messages.error(request, _("Mức chia sẻ không hợp lệ."))
    return redirect("library:detail", doc.pk)


@officer_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _editable(request, pk)
    count = services.document_retry(actor=request.user, document=doc)
    messages.success(
        request,
        _("Đã đưa %(n)d trang vào hàng đợi nhận dạng lại.") % {"n": count}
        if count
        else _("Đã đưa tài liệu vào hàng đợi xử lý lại."),
    )
    return redirect("library:detail", doc.pk)


def _file_response(doc: Document, searchable: bool = False) -> FileResponse:
    if searchable:
        if not doc.searchable_pdf:
            raise Http404
        handle = doc.searchable_pdf.open("rb")
        name = doc.original_name.rsplit(".", 1)[0] + _(" (tìm kiếm được)") + ".pdf"
        content_type = "application/pdf"
    else:
        handle = doc.blob.file.open("rb")
        name = doc.original_name
        content_type = doc.blob.content_type
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@officer_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_response(selectors.document_get(viewer=request.user, pk=pk))  # type: ignore[return-value]


@officer_required
def download_searchable(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_response(selectors.document_get(viewer=request.user, pk=pk), searchable=True)  # type: ignore[return-value]


@officer_required
def indicator(request: HttpRequest) -> HttpResponse:
    rows, overall = selectors.digitisation_indicator(viewer=request.user)
    return render(
        request,
        "library/indicator.html",
        {"rows": rows, "overall": overall, "target": settings.LIBRARY_DIGITISATION_TARGET},
    )


def public_list(request: HttpRequest) -> HttpResponse:
    params = _search_params(request)
    params.pop("unit_code")
    results = selectors.search_documents(viewer=None, public_only=True, **params)
    return render(
        request,
        "library/public_list.html",
        {
            "results": results,
            "params": params,
            "types": DocType.choices,
            "base_query": _base_query(request),
        },
    )


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.public_document_get(pk=pk)
    links = selectors.document_links(viewer=None, document=doc)
    return render(request, "library/public_detail.html", {"doc": doc, "links": links})


def public_download(request: HttpRequest, pk: int) -> FileResponse:
    doc = selectors.public_document_get(pk=pk)
    return _file_response(doc, searchable=bool(doc.searchable_pdf))
