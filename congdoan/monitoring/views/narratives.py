"""A narrative (/theo-doi/luong/<id>/): its items, the spread chart, sources, reach, snapshots,
the events' timeline and the handling forms (status, assignment and deadline, note, the content
product that answers it); an item with its snapshots; the list of items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.content import selectors as content_selectors
from congdoan.core import charts
from congdoan.core.vndate import vn_short_date
from congdoan.monitoring import grouping, rules, selectors
from congdoan.monitoring.forms import AssignForm, ItemFilterForm, NoteForm, TransitionForm
from congdoan.monitoring.models import Item, Narrative, NarrativeStatus, Snapshot
from congdoan.monitoring.services import handling
from congdoan.monitoring.views.common import apply_errors, error_messages, query_without_page
from congdoan.orgs.rules import officer_required

ITEMS_SHOWN = 200
PRODUCTS_SHOWN = 20


def transition_targets(status: str) -> list[str]:
    """The statuses a narrative may move to from `status`, in the workflow's order."""
    allowed = set(handling.allowed_targets(status))
    return [value for value in NarrativeStatus.values if value in allowed]


def _products(request: HttpRequest, narrative: Narrative, *, posted: bool) -> QuerySet[Any]:
    """The products the form offers: those the viewer manages matching the search box
    (`product_q`), and the one already linked. A post is checked against all of them."""
    every = content_selectors.product_list(viewer=request.user)
    if posted:
        return every
    shown = list(
        content_selectors.product_list(
            viewer=request.user, q=(request.GET.get("product_q") or "")[:200]
        ).values_list("pk", flat=True)[:PRODUCTS_SHOWN]
    )
    if narrative.product_id:
        shown.append(narrative.product_id)
    return every.filter(pk__in=shown)


def _forms(
    request: HttpRequest, narrative: Narrative, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    forms: dict[str, Any] = {
        "transition_form": bound.get("transition")
        or TransitionForm(
            targets=transition_targets(narrative.status),
            products=_products(request, narrative, posted=False),
            initial={"response_kind": narrative.response_kind, "product": narrative.product_id},
        ),
        "assign_form": bound.get("assign")
        or AssignForm(
            officers=selectors.assignable_officers(request.user, narrative),
            initial={"assignee": narrative.assignee_id, "deadline": narrative.deadline},
        ),
        "note_form": bound.get("note") or NoteForm(),
    }
    return forms


def _detail(
    request: HttpRequest,
    narrative: Narrative,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    items = selectors.narrative_items(narrative)
    snapshots = (
        Snapshot.objects.filter(item__narrative=narrative)
        .select_related("item")
        .order_by("-taken_at")[:20]
    )
    can_handle = rules.can_handle(request.user, narrative)
    context: dict[str, Any] = {
        "narrative": narrative,
        "items": items[:ITEMS_SHOWN],
        "item_total": items.count(),
        "sources": selectors.narrative_sources(narrative),
        "snapshots": snapshots,
        "events": selectors.narrative_events(narrative),
        "can_handle": can_handle,
        "product_q": (request.GET.get("product_q") or "")[:200],
        "nav": "index",
    }
    if can_handle:
        context.update(_forms(request, narrative, bound))
    return render(request, "monitoring/narrative.html", context, status=status)


@officer_required
def narrative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.narrative_detail(request.user, pk))


def _handled(request: HttpRequest, pk: int) -> Narrative:
    narrative = selectors.narrative_detail(request.user, pk)
    if not rules.can_handle(request.user, narrative):
        raise PermissionDenied
    return narrative


@officer_required
@require_POST
def narrative_transition(request: HttpRequest, pk: int) -> HttpResponse:
    narrative = _handled(request, pk)
    form = TransitionForm(
        request.POST,
        targets=transition_targets(narrative.status),
        products=_products(request, narrative, posted=True),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            handling.transition(
                request.user,
                narrative,
                data["to_status"],
                reason=data["reason"],
                response_kind=data["response_kind"],
                product=data["product"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã chuyển sang: %(status)s.")
                % {"status": NarrativeStatus(data["to_status"]).label},
            )
            return redirect("monitoring:narrative", narrative.pk)
    return _detail(request, narrative, {"transition": form}, status=400)


@officer_required
@require_POST
def narrative_assign(request: HttpRequest, pk: int) -> HttpResponse:
    narrative = _handled(request, pk)
    form = AssignForm(request.POST, officers=selectors.assignable_officers(request.user, narrative))
    if form.is_valid():
        try:
            handling.assign(
                request.user,
                narrative,
                form.cleaned_data["assignee"],
                form.cleaned_data["deadline"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã phân công người phụ trách."))
            return redirect("monitoring:narrative", narrative.pk)
    return _detail(request, narrative, {"assign": form}, status=400)


@officer_required
@require_POST
def narrative_note(request: HttpRequest, pk: int) -> HttpResponse:
    narrative = _handled(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            handling.add_note(request.user, narrative, form.cleaned_data["text"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm ghi chú."))
            return redirect("monitoring:narrative", narrative.pk)
    return _detail(request, narrative, {"note": form}, status=400)


@officer_required
def narrative_chart(request: HttpRequest, pk: int) -> HttpResponse:
    """The narrative's spread: items a day (or an hour for a story younger than two days) as
    an SVG line chart (core.charts); the page keeps the figures beside it."""
    narrative = selectors.narrative_detail(request.user, pk)
    span = narrative.last_seen_at - narrative.first_seen_at
    hourly = span.total_seconds() < 2 * 86400
    points = grouping.spread(narrative, bucket="hour" if hourly else "day")
    labels = [
        timezone.localtime(p[0]).strftime("%H:%M") if hourly else vn_short_date(p[0])[:5]
        for p in points
    ]
    svg = charts.line_chart(
        labels,
        [(_("Số tin"), [p[1] for p in points])],
        title=_("Lan truyền theo giờ") if hourly else _("Lan truyền theo ngày"),
        width=charts.width_for(request.GET, 480),  # the axis labels thinned to fit
        height=240,
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    return response


# -- items -------------------------------------------------------------------------------


@officer_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_for(request.user, pk)
    narrative = item.narrative
    return render(
        request,
        "monitoring/item.html",
        {
            "item": item,
            "snapshots": item.snapshots.order_by("-taken_at"),
            "can_handle": rules.can_see_unit(request.user, item.source.unit)
            if narrative is None
            else rules.can_handle(request.user, narrative),
            "nav": "items",
        },
    )


@officer_required
@require_POST
def item_snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep evidence now: the item's page fetched (safely) and stored as a snapshot."""
    item = selectors.item_for(request.user, pk)
    if item.narrative is not None and not rules.can_handle(request.user, item.narrative):
        raise PermissionDenied
    try:
        handling.snapshot_now(request.user, item)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("Đã yêu cầu lưu bằng chứng; kết quả ghi vào diễn biến xử lý."))
    return redirect("monitoring:item", item.pk)


def filter_items(items: QuerySet[Item], f: dict[str, Any]) -> QuerySet[Item]:
    """The filters `selectors.items_for` does not take (the exact label, the kind)."""
    for name in ("toxicity", "stance", "kind"):
        if f[name]:
            items = items.filter(**{name: f[name]})
    return items


@officer_required
def item_list(request: HttpRequest) -> HttpResponse:
    form = ItemFilterForm(request.GET or None, sources=selectors.sources_for(request.user))
    f = form.values()
    items = selectors.items_for(request.user, source=f["source"], relevant=f["relevant"], q=f["q"])
    page = Paginator(filter_items(items, f), 50).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "query": query_without_page(request), "nav": "items"}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "monitoring/_items.html", context)
    return render(request, "monitoring/items.html", context)
