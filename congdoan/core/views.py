from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from congdoan.core.registry import OFFICER_LINKS, PUBLIC_LINKS
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import scope_for
from congdoan.orgs.selectors import dashboard_roots


def home(request: HttpRequest) -> HttpResponse:
    unit_count = Unit.objects.filter(is_active=True, level__is_grassroots=True).count()
    return render(request, "core/home.html", {"public_links": PUBLIC_LINKS, "unit_count": unit_count})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.is_officer:
        return redirect("accounts:profile")
    panels = [{"url": link.url, "title": link.label, "text": link.description} for link in OFFICER_LINKS]
    return render(
        request,
        "core/dashboard.html",
        {"roots": dashboard_roots(viewer=request.user), "panels": panels, "today": timezone.localdate()},
    )


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
