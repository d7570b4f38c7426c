"""Officers' calendar pages: the month view (no script), the private iCalendar link (make,
revoke) and the feed itself (calendar.py, calendar_ical.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congdoan.content import calendar, calendar_ical
from congdoan.orgs.rules import officer_required

MONTHS = range(1, 13)


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if low <= number <= high else default


def _month_page(request: HttpRequest, new_link: str = "") -> HttpResponse:
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year, 2000, 2100)
    month = _int(request.GET.get("month"), today.month, 1, 12)
    grid = calendar.month_grid(request.user, year, month)
    return render(
        request,
        "content/calendar/month.html",
        {
            "grid": grid,
            "today": today,
            "months": MONTHS,
            "weekdays": [_("T2"), _("T3"), _("T4"), _("T5"), _("T6"), _("T7"), _("CN")],
            "has_link": calendar_ical.has_live_token(request.user),
            "new_link": new_link,
        },
    )


@officer_required
@require_safe
def month(request: HttpRequest) -> HttpResponse:
    return _month_page(request)


@officer_required
@require_POST
def link_create(request: HttpRequest) -> HttpResponse:
    """The new link is shown once, in this answer (only its hash is kept)."""
    raw = calendar_ical.calendar_token_create(user=request.user)
    link = request.build_absolute_uri(reverse("bulletin:calendar_ics") + f"?token={raw}")
    return _month_page(request, new_link=link)


@officer_required
@require_POST
def link_revoke(request: HttpRequest) -> HttpResponse:
    calendar_ical.calendar_token_revoke(user=request.user)
    return _month_page(request)


@require_safe
def ics(request: HttpRequest) -> HttpResponse:
    """The feed a phone subscribes to: the link's secret decides (no login, no cookie)."""
    user = calendar_ical.calendar_token_user(request.GET.get("token", ""))
    if user is None:
        return HttpResponse(status=403, content_type="text/plain; charset=utf-8")
    response = HttpResponse(calendar_ical.feed(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["Content-Disposition"] = 'inline; filename="lich-truyen-thong.ics"'
    return response
