"""The operations views: the load balancers' health check and the administrators' page of
workers, queues and failed tasks (with a retry button)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from congdoan.core import health
from congdoan.core.models import WorkerHeartbeat
from congdoan.orgs.rules import admin_required
from congdoan.web.services import task_retry

logger = logging.getLogger("congdoan.health")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when everything answers, 503 otherwise; `?only=web` checks only the web side
    (database and cache), for a load balancer that must not drop web servers when the
    worker is down."""
    # `?chi=web` is the Vietnamese name of before issue 13.6: load balancers are configured
    # with it, so it still means the same.
    only = request.GET.get("only") or request.GET.get("chi")
    report = health.health_report(web_only=only == "web")
    response = JsonResponse(report, status=200 if report["status"] == "ok" else 503)
    if response.status_code == 503:
        # A probe every few seconds must not turn into an error (and a mail to ADMINS) every
        # few seconds: one WARNING naming the failing checks instead.
        failing = ", ".join(name for name, check in report["checks"].items() if not check["ok"])
        logger.warning("healthz: %s", failing)
        response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own marker
    return response


@admin_required
@require_GET
def operations(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    workers = [
        {
            "row": row,
            "alive": health.is_live(row, now),
            "age": round((now - row.last_seen).total_seconds()),
        }
        for row in WorkerHeartbeat.objects.all()
    ]
    figures = health.queue_overview(now=now)
    queues = [{"q": q, "age": q.oldest_age_s(now)} for q in figures]
    return render(
        request,
        "web/operations.html",
        {
            "workers": workers,
            "queues": queues,
            "failed": health.failed_tasks(),
            "report": health.health_report(now=now, queues=figures),
        },
    )


@admin_required
@require_POST
def operations_retry(request: HttpRequest, task_id: str) -> HttpResponse:
    if task_retry(actor=request.user, task_id=task_id):
        messages.success(request, _("Đã đưa công việc trở lại hàng đợi."))
    else:
        messages.error(request, _("Không tìm thấy công việc lỗi này (có thể đã được chạy lại)."))
    return redirect("web:operations")
