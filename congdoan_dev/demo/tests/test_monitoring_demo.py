from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.monitoring import selectors
from congdoan.monitoring.models import Item, KnownClaim, Narrative, Source, Tip
from congdoan.orgs.models import Unit
from congdoan.plan import selectors as plan_selectors
from congdoan.plan import services as plan_services
from congdoan.plan.indicators.base import FIGURE_SOURCES
from congdoan.plan.indicators.base import Source as FigureSource
from congdoan.plan.periods import parse_period
from congdoan_dev.demo import monitoring as demo
from congdoan_dev.demo import orgs as orgs_demo


@pytest.mark.django_db
def test_demo_monitoring_has_sources_stories_in_every_state_and_is_idempotent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    orgs_demo.seed()
    demo.seed()
    assert Source.objects.filter(consecutive_errors__gt=0).count() == 1
    assert Item.objects.count() >= 60
    statuses = set(Narrative.objects.values_list("status", flat=True))
    assert {"detected", "planned", "responded", "resolved", "dismissed"} <= statuses
    assert KnownClaim.objects.filter(narratives__isnull=False).distinct().count() >= 3
    assert Tip.objects.filter(item__narrative__isnull=False).count() >= 3
    units = list(Unit.objects.filter(code__in=["PX", "PX-MAY-PHUMINH", "PX-DIENTU-HANVIET"]))
    today = timezone.localdate()
    figures = selectors.handled_figures(
        unit_ids=[u.pk for u in units], start=date(today.year - 1, 1, 1), end=today
    )
    handled = sum(h for h, _d in figures.values())
    detected = sum(d for _h, d in figures.values())
    assert (handled, detected) == (6, 8)
    # The plan's indicator reads the same figure, rolled up to the district (the plan names
    # monitoring's function as its source: congdoan/plan/indicators/monitoring.py).
    monkeypatch.setitem(
        FIGURE_SOURCES,
        "false_info_handled",
        FigureSource("false_info_handled", "Theo dõi thông tin", demo.FIGURE_PATH),
    )
    years = {d.year for d in Narrative.objects.values_list("detected_at", flat=True)}
    if len(years) == 1:  # the demo's three months within one calendar year
        period = parse_period(str(years.pop()))
        plan_services.refresh_figures(period=period)
        px = Unit.objects.get(code="PX")
        row = plan_selectors.figure_for(unit=px, period=period, code="false_info_handled")
        assert row is not None and row.value == Decimal("75.0")
    # Every page of the demo renders for the district's Office.
    client = Client()
    client.force_login(
        User.objects.get(email=demo.OFFICE),
        backend="congdoan.accounts.backends.EmailOrPhoneBackend",
    )
    pages = ["/theo-doi/", "/theo-doi/tin/", "/theo-doi/nguon/", "/theo-doi/thong-tin-sai/"]
    pages += ["/theo-doi/tin-bao/", "/theo-doi/bao-cao/", "/bao-tin/"]
    pages += [f"/theo-doi/luong/{pk}/" for pk in Narrative.objects.values_list("pk", flat=True)]
    pages += [
        f"/theo-doi/luong/{pk}/bieu-do.svg" for pk in Narrative.objects.values_list("pk", flat=True)
    ]
    pages += [f"/theo-doi/nguon/{pk}/" for pk in Source.objects.values_list("pk", flat=True)]
    for url in pages:
        assert client.get(url).status_code == 200, url
    before = (Item.objects.count(), Narrative.objects.count())
    demo.seed()
    assert (Item.objects.count(), Narrative.objects.count()) == before
