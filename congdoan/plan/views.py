"""The targets dashboard (/chi-tieu/): every indicator of the plan for a unit and a period, its
target, value, trend and the units that pull it down; one indicator's page with the evidence;
the choice of live data over imported figures. Thin: the figures come from `plan.selectors`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core.charts import width_for
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import officer_required
from congdoan.orgs.scoping import get_unit_in_scope
from congdoan.orgs.selectors import scope_roots
from congdoan.plan import charts, indicators, rules, selectors, services
from congdoan.plan.periods import Period, PeriodError, is_closed, parse_period
from congdoan.plan.tree import Trees

EVIDENCE_PER_PAGE = 50
LAGGARDS_SHOWN = 3


def unit_param(request: HttpRequest) -> Unit:
    """The unit asked for (`unit`), 404 outside the viewer's scope; the scope's first top unit
    by default."""
    code = request.GET.get("unit") or request.POST.get("unit") or ""
    if code:
        return get_unit_in_scope(request.user, code)
    roots = scope_roots(viewer=request.user)
    if not roots:
        raise Http404
    return roots[0]


def period_param(request: HttpRequest) -> tuple[Period, str]:
    """The period asked for (this year by default), and the message when it does not exist."""
    code = (request.GET.get("period") or request.POST.get("period") or "").strip()
    this_year = parse_period(str(timezone.localdate().year))
    if not code:
        return this_year, ""
    try:
        period = parse_period(code)
    except PeriodError as exc:
        return this_year, str(exc)
    if period.start > timezone.localdate():
        # A period to come has no figure at all: every indicator read "chưa có dữ liệu".
        return this_year, _("Kỳ %(label)s chưa bắt đầu; đang xem năm nay.") % {
            "label": period.label()
        }
    return period, ""


def _period_choices(first_year: int) -> list[Period]:
    today = timezone.localdate()
    out: list[Period] = []
    for year in range(today.year, first_year - 1, -1):
        out.append(parse_period(str(year)))
        out.extend(
            p for p in (parse_period(f"{year}H2"), parse_period(f"{year}H1")) if p.start <= today
        )
    return out


def _link(unit: Unit, period: Period) -> str:
    return f"{reverse('plan:dashboard')}?unit={unit.code}&period={period.code}"


@officer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    unit = unit_param(request)
    period, error = period_param(request)
    if error:
        messages.error(request, error)
    today = timezone.localdate()
    trees = Trees()  # the tree as it was on each day, loaded once for the whole page
    rows = selectors.figures_for(unit=unit, period=period, trees=trees)
    lag = selectors.laggards(
        unit=unit, period=period, viewer=request.user, scoped=True, trees=trees
    )
    plans = selectors.plans_for(unit=unit)
    first = min([p.year_from for p in plans] or [today.year - 2])
    years = list(range(first, today.year + 1))
    history = selectors.history(unit=unit, years=years, trees=trees)
    closed = is_closed(period, today)
    return render(
        request,
        "plan/dashboard.html",
        {
            "unit": unit,
            "period": period,
            "rows": [
                {
                    "row": r,
                    "laggards": lag.get(r.code, [])[:LAGGARDS_SHOWN],
                    "more": max(0, len(lag.get(r.code, [])) - LAGGARDS_SHOWN),
                    "history": [history.get(r.code, {}).get(y) for y in years],
                }
                for r in rows
            ],
            "met": sum(1 for r in rows if r.met),
            "with_target": sum(1 for r in rows if r.met is not None),
            "years": years,
            "plans": plans,
            "units": selectors.dashboard_units(viewer=request.user),
            "periods": _period_choices(first),
            "can_import": rules.can_import_figures(request.user, unit),
            "can_replace": closed
            and rules.can_replace_imported(request.user, unit)
            and any(r.source in ("imported", "mixed") for r in rows),
        },
    )


@officer_required
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    ind = indicators.get(code)
    if ind is None:
        raise Http404
    unit = unit_param(request)
    period, error = period_param(request)
    if error:
        messages.error(request, error)
    evidence = selectors.evidence_for(viewer=request.user, unit=unit, period=period, code=code)
    page = None
    if evidence is not None:
        page = Paginator(evidence.rows, EVIDENCE_PER_PAGE).get_page(request.GET.get("page"))
    lag = selectors.laggards(unit=unit, period=period, viewer=request.user, scoped=True)
    return render(
        request,
        "plan/indicator.html",
        {
            "unit": unit,
            "period": period,
            "indicator": ind,
            "row": selectors.figure_for(unit=unit, period=period, code=code),
            "laggards": lag.get(code, []),
            "evidence": evidence,
            "page": page,
        },
    )


@officer_required
def chart(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator's trend by month as SVG (the dashboard shows it; exports embed the same)."""
    if indicators.get(code) is None:
        raise Http404
    unit = unit_param(request)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None
    if not 1990 <= year <= 2100:
        raise Http404
    response = HttpResponse(
        charts.trend_svg(unit=unit, code=code, year=year, width=width_for(request.GET, 720)),
        content_type="image/svg+xml; charset=utf-8",
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


@officer_required
@require_POST
def replace_imported(request: HttpRequest) -> HttpResponse:
    """The officer chooses live data over the imported figures of a closed period."""
    unit = unit_param(request)
    period, error = period_param(request)
    if error or not is_closed(period, timezone.localdate()):
        messages.error(request, error or _("Chỉ thay được số liệu của kỳ đã kết thúc."))
        return redirect(_link(unit, period))
    if not rules.can_replace_imported(request.user, unit):
        raise PermissionDenied
    ids = selectors.visible_unit_ids(
        viewer=request.user, unit_ids=selectors.subtree_at(unit=unit, period=period)
    )
    written = services.figures_replace_imported(
        actor=request.user, unit=unit, period=period, unit_ids=ids
    )
    messages.success(
        request,
        _("Đã tính lại %(n)s số liệu của %(period)s từ dữ liệu trên hệ thống.")
        % {"n": written, "period": period.label()},
    )
    return redirect(_link(unit, period))
