"""The site's pages that gather every app: the public home page, the officers' dashboard
(today's work in their scope), and the administrators' ping of the background worker."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_POST

from congdoan.content.selectors import public_headlines
from congdoan.core.page_cache import cache_public_page
from congdoan.core.registry import OFFICER_LINKS, PUBLIC_LINKS
from congdoan.feedback.selectors import officer_today
from congdoan.library.selectors import documents_to_review
from congdoan.monitoring.selectors import officer_today as monitoring_today
from congdoan.orgs.rules import admin_required
from congdoan.orgs.scoping import scope_for
from congdoan.orgs.selectors import dashboard_roots, public_unions
from congdoan.plan.selectors import home_summary
from congdoan.web.tasks import describe_result, worker_ping_enqueue, worker_ping_status

HOME_NEWS = 6  # the latest public news on the home page
HOME_UNIONS = 200  # listed on the home page up to this many; beyond, a search finds one


@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {
            "public_links": PUBLIC_LINKS,
            "unions": public_unions(limit=HOME_UNIONS),
            "news": public_headlines(limit=HOME_NEWS),
            "union_url": reverse("orgs:public_detail", args=["MA"]).removesuffix("MA/"),
        },
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The officer's home page: the work for today in their scope, then the links. The
    member counts of the scope (a count over the whole subtree: half a second for a city)
    come after the page, from `dashboard_scope`, so that today's work shows at once."""
    scope = scope_for(request.user)
    if not scope.is_officer:
        return redirect("accounts:profile")
    since = _last_visit(request)
    panels = [
        {"url": link.url, "title": link.label, "text": link.description} for link in OFFICER_LINKS
    ]
    return render(
        request,
        "web/dashboard.html",
        {
            "roots": dashboard_roots(viewer=request.user, with_members=False),
            "panels": panels,
            "today": timezone.localdate(),
            "work": officer_today(viewer=request.user, since=since),
            "documents": documents_to_review(viewer=request.user, since=since),
            "targets": home_summary(viewer=request.user),
            "watch": monitoring_today(request.user),
        },
    )


@login_required
def dashboard_scope(request: HttpRequest) -> HttpResponse:
    """The officer's scope with its member and grassroots counts (the home page loads it
    after itself; without JavaScript, a link opens it as a page)."""
    if not scope_for(request.user).is_officer:
        return redirect("accounts:profile")
    template = (
        "web/_dashboard_roots.html"
        if getattr(request, "htmx", False)
        else "web/dashboard_scope.html"
    )
    return render(request, template, {"roots": dashboard_roots(viewer=request.user)})


LAST_VISIT_KEY = "dashboard_seen_at"
SINCE_KEY = "dashboard_changes_since"
FIRST_VISIT_WINDOW = timedelta(days=1)  # "what changed" on a first visit in this browser
SITTING = timedelta(hours=1)  # back within this: the same sitting, the same "what changed"


def _last_visit(request: HttpRequest) -> datetime:
    """Since when the page lists what changed: the end of this officer's previous sitting
    (a day ago the first time).

    Steps: 1. the page remembers now as the last visit; 2. back within SITTING of the last
    visit (opened a concern from the list and came back), the same moment as before, so the
    list does not empty itself behind the officer's back; 3. after a longer absence, the
    last visit starts the new list."""
    now = timezone.now()
    seen = parse_datetime(str(request.session.get(LAST_VISIT_KEY, "")))
    since = parse_datetime(str(request.session.get(SINCE_KEY, "")))
    request.session[LAST_VISIT_KEY] = now.isoformat()
    if seen is None or seen > now:
        since = now - FIRST_VISIT_WINDOW
    elif since is None or since > seen or now - seen >= SITTING:
        since = seen
    request.session[SINCE_KEY] = since.isoformat()
    return since


@admin_required
@require_POST
def healthz_worker(request: HttpRequest) -> JsonResponse:
    """Queue a ping for the background worker; answer where to read its outcome (202)."""
    result = worker_ping_enqueue(token=get_random_string(12))
    answer = describe_result(result)
    answer["url"] = reverse("web:healthz_worker_result", args=[result.id])
    return JsonResponse(answer, status=202)


@admin_required
@require_GET
def healthz_worker_result(request: HttpRequest, result_id: str) -> JsonResponse:
    answer = worker_ping_status(result_id=result_id)
    if answer is None:
        return JsonResponse({"id": result_id, "status": "UNKNOWN"}, status=404)
    return JsonResponse(answer)
