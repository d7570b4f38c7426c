"""The reports benchmark's builders, at toy size, so the benchmark does not rot between runs."""

from __future__ import annotations

import pytest

from congdoan.activities.models import Activity, Attendance
from congdoan.feedback.models import Concern
from congdoan.orgs.models import Member, Unit
from congdoan.orgs.selectors import subtree_ids_at
from congdoan.reports import selectors
from congdoan.reports.exports import render
from congdoan_dev.bench import reports as bench

pytestmark = pytest.mark.django_db


def test_the_benchmark_builds_a_tree_a_year_and_a_consolidated_report():
    city, districts = bench.build_tree(districts=2, grassroots=6, members=60)
    assert len(districts) == 2
    assert subtree_ids_at(unit=city, on_date=bench.YEAR.end) == set(
        Unit.objects.filter(code__startswith="RB-").values_list("pk", flat=True)
    )
    assert Member.objects.filter(unit__parent__in=districts).count() == 60
    units = list(Unit.objects.filter(parent__in=districts).values_list("pk", flat=True))
    bench.fill_year(units=units, attendance_per_activity=3, concerns_per_unit=2)
    assert Activity.objects.count() == 18 and Attendance.objects.count() == 54
    assert Concern.objects.count() == 12
    admin = bench._admin()
    for unit in Unit.objects.filter(parent=districts[0]):
        bench.services.report_submit(actor=admin, unit=unit, period=bench.YEAR)
    result = selectors.consolidated_view(unit=districts[0], period=bench.YEAR)
    assert len(result.counted) == 3 and not result.missing
    assert result.totals["feedback.received"]["value"] == 6
    assert bench._docx(districts[0]) > 0
    assert render(selectors.export_document(unit=city, period=bench.YEAR), "xlsx")[0]
