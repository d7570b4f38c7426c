"""The officers' studio: the unit's products, writing and editing them (from a phone too), the
workflow's buttons, comments, versions and their differences, and the shared library.

Thin views: each authorises through content.rules / content.selectors (another unit's
product is a 404), calls one service and redirects, or renders. Every form is a plain HTML
form; a refused step (a schedule in the past, approving one's own product) comes back as a
message on the page, never as an error page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.content import calendar, hooks, rules, selectors, services
from congdoan.content.diff import version_diff
from congdoan.content.forms import (
    CommentForm,
    LibraryFilterForm,
    ListFilterForm,
    ProductForm,
    RejectForm,
    ReuseForm,
    ScheduleForm,
    VersionsForm,
)
from congdoan.content.media import product_media_add, product_media_remove
from congdoan.content.models import (
    Audience,
    Highlight,
    MediaKind,
    Product,
    ProductKind,
    ProductStatus,
    Sharing,
)
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import officer_required

PER_PAGE = 20


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _add_errors(form: Any, exc: ValidationError) -> None:
    """A service's refusal beside the field it names (or above the form when it names none)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, " ".join(ValidationError(error).messages))
    else:
        form.add_error(None, _errors(exc))


def _base_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@officer_required
def product_list(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET)
    form.is_valid()  # a bad value drops that filter only (cleaned_data keeps the good ones)
    data = form.cleaned_data
    status: str = data.get("status") or ""
    params: dict[str, Any] = {"status": status, "waiting": bool(data.get("waiting"))}
    waiting = selectors.awaiting_approval(viewer=request.user)
    products: Any = (
        waiting
        if params["waiting"]
        else selectors.product_list(viewer=request.user, status=status or None)
    )
    page_obj = Paginator(products, PER_PAGE).get_page(data.get("page") or 1)
    context = {
        "page_obj": page_obj,
        "params": params,
        "statuses": ProductStatus.choices,
        "waiting_count": len(waiting),
        "base_query": _base_query(request),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "content/_list.html", context)
    return render(request, "content/list.html", context)


def _save_files(request: HttpRequest, form: ProductForm, product: Product) -> bool:
    """Attach the form's photos and files; a refused one is an error on its field (False)."""
    ok = True
    for field, files in (
        ("photos", form.uploads()),
        ("attachments", form.cleaned_data["attachments"]),
    ):
        for upload in files:
            try:
                product_media_add(actor=request.user, product=product, upload=upload)
            except ValidationError as exc:
                form.add_error(field, _errors(exc))
                ok = False
            except PermissionDenied:
                form.add_error(field, _("Sản phẩm ở trạng thái này không thêm tệp được."))
                ok = False
    return ok


def _form_page(
    request: HttpRequest, form: ProductForm, product: Product | None, *, correcting: bool = False
) -> HttpResponse:
    action = reverse("content:edit", args=[product.pk]) if product else reverse("content:new")
    return render(
        request,
        "content/form.html",
        {
            "form": form,
            "product": product,
            "correcting": correcting,
            "action": action,
            "offer_submit": product is None
            or (product.status == ProductStatus.DRAFT and rules.can_submit(request.user, product)),
        },
        status=400 if form.errors else 200,
    )


def _after_save(request: HttpRequest, form: ProductForm, product: Product) -> HttpResponse:
    files_ok = _save_files(request, form, product)
    if request.POST.get("then") == "submit" and files_ok:
        try:
            services.product_submit(actor=request.user, product=product)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Đã lưu và gửi duyệt."))
            return redirect("content:detail", product.pk)
    if not files_ok:
        messages.error(request, _("Đã lưu bài; một số tệp không nhận được (xem lý do bên dưới)."))
        return _form_page(request, form, product)
    messages.success(request, _("Đã lưu bản nháp."))
    return redirect("content:detail", product.pk)


@officer_required
def product_new(request: HttpRequest) -> HttpResponse:
    units = rules.writable_units(request.user)
    if not units:
        messages.error(request, _("Bạn chưa giữ chức vụ ở đơn vị nào nên chưa viết sản phẩm được."))
        return redirect("content:list")
    highlights = calendar.highlight_choices(request.user)
    # The calendar's "plan a product" link names the highlight (and "event" for an event).
    asked = request.GET.get("highlight", "")
    initial = {
        "unit": units[0],
        "kind": ProductKind.EVENT if request.GET.get("kind") == "event" else ProductKind.NEWS,
        "sharing": Sharing.UNIT,
        "is_digital": True,
        "highlight": highlights.filter(pk=asked).first() if asked.isdigit() else None,
    }
    form = ProductForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        highlights=highlights,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(
                actor=request.user, unit=form.cleaned_data["unit"], **form.fields_for_service()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _after_save(request, form, product)
    return _form_page(request, form, None)


def _initial(product: Product) -> dict[str, Any]:
    return {
        "unit": product.unit,
        "kind": product.kind,
        "title": product.title,
        "summary": product.summary,
        "body": product.body,
        "themes": list(product.themes.all()),
        "audiences": product.audiences,
        "tags": ", ".join(product.tags),
        "is_digital": product.is_digital,
        "sharing": product.sharing,
        "event_starts_at": product.event_starts_at,
        "event_ends_at": product.event_ends_at,
        "event_place": product.event_place,
        "highlight": product.highlight,
    }


def _product(request: HttpRequest, pk: int) -> Product:
    """The product if the viewer may see it in the studio; 404 otherwise (no hint it exists)."""
    return selectors.product_get_for_viewer(viewer=request.user, pk=pk)


@officer_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft; on a published product the same form is a correction (content.services
    keeps the old text as a version and marks the public page "đã cập nhật")."""
    product = _product(request, pk)
    if not rules.can_edit(request.user, product):
        messages.error(request, _("Sản phẩm đang chờ duyệt hoặc chờ đăng: không sửa được."))
        return redirect("content:detail", product.pk)
    correcting = product.status == ProductStatus.PUBLISHED
    highlights = calendar.highlight_choices(request.user)
    if product.highlight_id is not None:  # planned earlier against one now past: keep it
        highlights = highlights | Highlight.objects.filter(pk=product.highlight_id)
    form = ProductForm(
        request.POST or None,
        None if correcting else request.FILES or None,
        units=[product.unit],
        highlights=highlights.distinct(),
        initial=_initial(product),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(
                actor=request.user, product=product, **form.fields_for_service()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if correcting:
                messages.success(request, _("Đã đính chính; trang công khai ghi “đã cập nhật”."))
                return redirect("content:detail", product.pk)
            return _after_save(request, form, product)
    return _form_page(request, form, product, correcting=correcting)


def _detail_context(request: HttpRequest, product: Product, **forms: Any) -> dict[str, Any]:
    audience_labels = dict(Audience.choices)
    return {
        "product": product,
        "can": rules.offers(request.user, product),
        "audiences": [audience_labels.get(a, a) for a in product.audiences],
        "media": list(product.media.all()),
        "comments": selectors.comments(viewer=request.user, product=product),
        "versions": list(selectors.versions(viewer=request.user, product=product)),
        "show_reuse_count": rules.can_see_reuse_count(request.user, product),
        # several units to put a reused copy in: the officer chooses (_actions.html)
        "reuse_units": rules.reuse_units(request.user, product)
        if product.status == ProductStatus.PUBLISHED
        else [],
        "comment_form": forms.get("comment_form") or CommentForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(),
        # what other apps add (publishing's channels, reach figures): content.hooks
        "extra_links": hooks.product_links(request.user, product),
        "panels": hooks.product_panels(request.user, product),
    }


@officer_required
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product(request, pk)
    return render(request, "content/detail.html", _detail_context(request, product))


NOT_ALLOWED = _("Bạn không thể làm việc này với sản phẩm ở trạng thái hiện tại.")


def _step(request: HttpRequest, pk: int, do: Any, done: str) -> HttpResponse:
    """One workflow button: the service checks the rule and the state; a refusal (approving
    one's own product, a product someone else moved first) is a message on the page."""
    product = _product(request, pk)
    try:
        do(actor=request.user, product=product)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied:
        messages.error(request, str(NOT_ALLOWED))
    else:
        messages.success(request, done)
    return redirect("content:detail", product.pk)


@officer_required
@require_POST
def product_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.product_submit, _("Đã gửi duyệt."))


@officer_required
@require_POST
def product_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.product_approve, _("Đã duyệt."))


@officer_required
@require_POST
def product_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.product_publish, _("Đã đăng."))


@officer_required
@require_POST
def product_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.product_archive, _("Đã lưu trữ."))


def _form_step(
    request: HttpRequest, pk: int, form_class: Any, form_name: str, do: Any, done: str
) -> HttpResponse:
    """A workflow step with a small form (send back with a reason, schedule at a time, a
    comment): a refusal comes back on the product's page beside that form, with status 400."""
    product = _product(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            do(actor=request.user, product=product, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, str(NOT_ALLOWED))
        else:
            messages.success(request, done)
            return redirect("content:detail", product.pk)
    if form.non_field_errors():
        messages.error(request, " ".join(form.non_field_errors()))
    context = _detail_context(request, product, **{form_name: form})
    return render(request, "content/detail.html", context, status=400)


@officer_required
@require_POST
def product_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_step(
        request,
        pk,
        RejectForm,
        "reject_form",
        services.product_reject,
        _("Đã trả lại cho tác giả."),
    )


@officer_required
@require_POST
def product_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_step(
        request,
        pk,
        ScheduleForm,
        "schedule_form",
        services.product_schedule,
        _("Đã hẹn giờ đăng."),
    )


@officer_required
@require_POST
def product_comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_step(
        request,
        pk,
        CommentForm,
        "comment_form",
        services.product_comment,
        _("Đã gửi ý kiến."),
    )


@officer_required
@require_POST
def product_reuse(request: HttpRequest, pk: int) -> HttpResponse:
    source = _product(request, pk)
    units = rules.reuse_units(request.user, source)
    if not units:
        messages.error(
            request, _("Sản phẩm này không dùng lại được (chỉ sản phẩm đã đăng của đơn vị khác).")
        )
        return redirect("content:detail", source.pk)
    form = ReuseForm(request.POST, units=units)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("unit", [])))
        return redirect("content:detail", source.pk)
    unit = form.chosen()
    try:
        copy = services.product_reuse(actor=request.user, source=source, unit=unit)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("content:detail", source.pk)
    messages.success(
        request, _("Đã tạo bản sao ghi nguồn trong đơn vị của bạn; sửa rồi gửi duyệt.")
    )
    return redirect("content:edit", copy.pk)


@officer_required
def product_versions(request: HttpRequest, pk: int) -> HttpResponse:
    product = _product(request, pk)
    versions = list(selectors.versions(viewer=request.user, product=product))
    if not versions:
        raise Http404
    form = VersionsForm(request.GET)
    form.is_valid()  # a bad value drops that filter only (cleaned_data keeps the good ones)
    data = form.cleaned_data
    numbers = {v.number: v for v in versions}
    new = numbers.get(data.get("b") or versions[-1].number, versions[-1])
    old = numbers.get(data.get("a") or 0) or (versions[-2] if len(versions) > 1 else new)
    diff = version_diff(old, new)
    return render(
        request,
        "content/versions.html",
        {"product": product, "versions": versions, "old": old, "new": new, "diff": diff},
    )


@officer_required
@require_POST
def product_media_delete(request: HttpRequest, pk: int, media_pk: int) -> HttpResponse:
    product = _product(request, pk)
    media = product.media.filter(pk=media_pk).first()
    if media is None:
        raise Http404
    try:
        product_media_remove(actor=request.user, media=media)
    except PermissionDenied:
        messages.error(request, str(NOT_ALLOWED))
    else:
        messages.success(request, _("Đã bỏ tệp khỏi sản phẩm."))
    return redirect("content:edit", product.pk)


@officer_required
def product_media(request: HttpRequest, pk: int, media_pk: int) -> HttpResponse:
    product = _product(request, pk)
    media = product.media.filter(pk=media_pk).first()
    if media is None:
        raise Http404
    inline = media.kind == MediaKind.PHOTO  # our own re-encoded JPEG/PNG; the rest downloads
    response = FileResponse(
        media.file.open("rb"),
        as_attachment=not inline,
        filename=(media.file.name or "tep").rsplit("/", 1)[-1],
        content_type=media.content_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response  # type: ignore[return-value]  # a FileResponse streams


@officer_required
def library(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET)
    form.is_valid()  # a bad value drops that filter only (cleaned_data keeps the good ones)
    data = form.cleaned_data
    params: dict[str, Any] = {
        "q": (data.get("q") or "").strip(),
        "theme": data.get("theme") or "",
        "kind": data.get("kind") or "",
        "unit": (data.get("unit") or "").strip(),
        "since": data.get("since"),
        "until": data.get("until"),
    }
    shared = selectors.shared_library(viewer=request.user)
    chosen_unit = Unit.objects.filter(code=params["unit"]).first() if params["unit"] else None
    products = selectors.shared_library(
        viewer=request.user,
        q=params["q"],
        theme=params["theme"] or None,
        kind=params["kind"] or None,
        unit=chosen_unit,
        date_from=params["since"],
        date_to=params["until"],
    )
    page_obj = Paginator(products, PER_PAGE).get_page(data.get("page") or 1)
    writable = rules.writable_units(request.user)  # once for the page, not per product
    context = {
        "page_obj": page_obj,
        "params": params,
        "kinds": ProductKind.choices,
        "themes": selectors.themes(),
        "units": Unit.objects.filter(pk__in=shared.values("unit_id")).order_by("name"),
        # each product with the units a copy of it may go to (none: no "Dùng lại" button)
        "rows": [(p, rules.reuse_units(request.user, p, among=writable)) for p in page_obj],
        "base_query": _base_query(request),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "content/_library_results.html", context)
    return render(request, "content/library.html", context)
