from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from congdoan.audit.selectors import audit_entries
from congdoan.orgs.views import admin_required


@admin_required
def entry_list(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in ("action", "actor", "unit", "object_type")}
    entries = audit_entries(viewer=request.user, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "filters": filters})
