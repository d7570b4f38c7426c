"""/theo-doi/thong-tin-sai/: the false claims already known and their published refutations;
items are matched against the active ones (`services.claims` writes, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.monitoring import rules, selectors
from congdoan.monitoring.forms import ClaimForm
from congdoan.monitoring.models import KnownClaim
from congdoan.monitoring.services import claims as claim_services
from congdoan.monitoring.views.common import apply_errors, error_messages
from congdoan.orgs.rules import officer_required
from congdoan.orgs.scoping import units_in_scope


def _claim_for(request: HttpRequest, pk: int) -> KnownClaim:
    claim = selectors.claim_for(request.user, pk)
    if not rules.can_manage_claim(request.user, claim):
        raise PermissionDenied
    return claim


@officer_required
def claim_list(request: HttpRequest) -> HttpResponse:
    claims = list(
        selectors.claims_for(request.user).annotate(
            n_items=Count("items", distinct=True), n_narratives=Count("narratives", distinct=True)
        )
    )
    for claim in claims:
        claim.can_manage = rules.can_manage_claim(request.user, claim)  # type: ignore[attr-defined]
    return render(request, "monitoring/claims.html", {"claims": claims, "nav": "claims"})


@officer_required
def claim_create(request: HttpRequest) -> HttpResponse:
    form = ClaimForm(request.POST or None, units=units_in_scope(request.user))
    if request.method == "POST" and form.is_valid():
        if not rules.can_create_claim_for(request.user, form.cleaned_data["unit"]):
            raise PermissionDenied
        try:
            claim_services.create_claim(request.user, **form.service_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm thông tin sai sự thật cần đối chiếu."))
            return redirect("monitoring:claims")
    return render(
        request, "monitoring/claim_form.html", {"form": form, "claim": None, "nav": "claims"}
    )


@officer_required
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for(request, pk)
    form = ClaimForm(request.POST or None, instance=claim, units=units_in_scope(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            claim_services.update_claim(request.user, claim, **form.service_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("monitoring:claims")
    claim.refresh_from_db()
    return render(
        request, "monitoring/claim_form.html", {"form": form, "claim": claim, "nav": "claims"}
    )


@officer_required
@require_POST
def claim_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for(request, pk)
    try:
        claim_services.deactivate_claim(request.user, claim)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("Đã ngừng đối chiếu thông tin này."))
    return redirect("monitoring:claims")
