from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.views.decorators.http import require_GET, require_POST

from congdoan.core.registry import OFFICER_LINKS, PUBLIC_LINKS
from congdoan.core.tasks import describe_result, worker_ping_enqueue, worker_ping_status
from congdoan.orgs.scoping import scope_for
from congdoan.orgs.selectors import dashboard_roots, public_unions
from congdoan.orgs.views import admin_required


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"public_links": PUBLIC_LINKS, "unions": public_unions()})


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


@admin_required
@require_POST
def healthz_worker(request: HttpRequest) -> JsonResponse:
    """Queue a ping for the background worker; answer where to read its outcome (202)."""
    result = worker_ping_enqueue(token=get_random_string(12))
    answer = describe_result(result)
    answer["url"] = reverse("core:healthz_worker_result", args=[result.id])
    return JsonResponse(answer, status=202)


@admin_required
@require_GET
def healthz_worker_result(request: HttpRequest, result_id: str) -> JsonResponse:
    answer = worker_ping_status(result_id=result_id)
    if answer is None:
        return JsonResponse({"id": result_id, "status": "UNKNOWN"}, status=404)
    return JsonResponse(answer)
