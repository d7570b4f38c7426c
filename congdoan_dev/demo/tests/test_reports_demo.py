from __future__ import annotations

import random
from io import StringIO
from typing import Any

import pytest

from congdoan.orgs.models import Unit
from congdoan.plan.periods import parse_period
from congdoan.reports.consolidation import consolidate
from congdoan.reports.models import Report, ReportStatus
from congdoan_dev.demo import orgs as orgs_demo
from congdoan_dev.demo import reports as demo

pytestmark = pytest.mark.django_db


def test_demo_reports_are_submitted_reviewed_consolidated_and_idempotent(settings: Any) -> None:
    orgs_demo.seed()
    demo.seed(stdout=StringIO())
    count = Report.objects.count()
    # the named ones and every other grassroots union's, but three 2026 first halves
    assert count == len(demo.PLAN) + len(demo._everyone_else(random.Random(2026)))
    assert count > 50
    statuses = set(Report.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in ReportStatus}
    draft = Report.objects.get(period_code="2026H2")
    assert draft.snapshot is None and draft.results
    px = Unit.objects.get(code="PX")
    result = consolidate(unit=px, period=parse_period("2025"))
    counted = {c.unit.code for c in result.counted}
    assert {"PX-MAY-PHUMINH", "PX-CAPNUOC-TT", "PX-TTYT"} <= counted  # moved in July 2025: counted
    first_half = consolidate(unit=px, period=parse_period("2026H1"))
    assert len(first_half.missing) >= demo.MISSING_2026H1  # who has not reported is named
    demo.seed(stdout=StringIO())
    assert Report.objects.count() == count
