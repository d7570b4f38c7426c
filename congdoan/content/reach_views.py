"""The officers' pages of reach: the plan's digital share indicator (digital products ÷ all
products published in a year, per unit they manage and overall) with its server-drawn SVG
chart, and the reach of each product (website, e-bulletin, channels) summed over a year."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from congdoan.content import reach, selectors
from congdoan.core import charts
from congdoan.orgs.rules import officer_required


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


@officer_required
@require_safe
def digital_share(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    return render(
        request,
        "content/reach/digital_share.html",
        {
            "share": selectors.digital_share(viewer=request.user, year=year),
            "this_year": timezone.localdate().year,
        },
    )


@officer_required
@require_safe
def digital_share_chart(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    digital, total = reach.published_by_month(viewer=request.user, year=year)
    svg = charts.line_chart(
        [str(m) for m in range(1, 13)],
        [(_("Tất cả sản phẩm"), total), (_("Sản phẩm số"), digital)],
        title=_("Sản phẩm đã đăng theo tháng, năm %(year)s") % {"year": year},
        width=charts.width_for(request.GET, 720),
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@officer_required
@require_safe
def reach_page(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    return render(
        request,
        "content/reach/reach.html",
        {
            "summary": reach.reach_summary(viewer=request.user, year=year),
            "this_year": timezone.localdate().year,
        },
    )
