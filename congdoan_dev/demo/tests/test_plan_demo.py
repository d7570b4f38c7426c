from __future__ import annotations

from io import StringIO

import pytest

from congdoan.orgs.models import Unit
from congdoan.plan import selectors
from congdoan.plan.models import IndicatorFigure, Plan, Target
from congdoan.plan.periods import parse_period
from congdoan_dev.demo import orgs as orgs_demo
from congdoan_dev.demo import plan as demo

pytestmark = pytest.mark.django_db


def test_demo_plan_has_its_targets_history_and_live_figures_and_is_idempotent() -> None:
    orgs_demo.seed()
    out = StringIO()
    demo.seed(stdout=out)
    assert Plan.objects.count() == 1
    assert Target.objects.count() == len(demo.TARGETS)
    imported = IndicatorFigure.objects.filter(source="imported").count()
    assert imported > 300
    px = Unit.objects.get(code="PX")
    rows = {r.code: r for r in selectors.figures_for(unit=px, period=parse_period("2024"))}
    reached = rows["members_reached"]
    assert reached.source == "imported" and reached.value is not None
    assert reached.target == 90
    assert rows["false_info_handled"].value is None
    # the school merged in July 2025 counts in the first half of 2025, not in the year
    merged = Unit.objects.get(code="PX-TH-TRITHUY")
    assert IndicatorFigure.objects.filter(unit=merged, period="2025H1").exists()
    assert not IndicatorFigure.objects.filter(unit=merged, period="2025").exists()
    demo.seed(stdout=StringIO())
    assert IndicatorFigure.objects.filter(source="imported").count() == imported
    assert Plan.objects.count() == 1
