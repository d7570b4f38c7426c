from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from congdoan.audit.log.display import describe
from congdoan.audit.log.forms import AuditFilterForm
from congdoan.audit.log.selectors import audit_entries
from congdoan.orgs.rules import officer_required


@officer_required
def entry_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, viewer=request.user)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(viewer=request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "rows": describe(list(page)),
            "form": form,
            "querystring": query.urlencode(),
        },
    )
