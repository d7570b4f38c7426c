from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from congdoan.plan.periods import parse_period
from congdoan.reports import services
from congdoan.reports.models import Report, ReportStatus

H1 = parse_period("2026H1")


@pytest.mark.django_db(transaction=True)
def test_two_officers_submitting_at_once_submit_once(cast):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole file)")
    services.report_save(actor=cast.officer_a, unit=cast.unit_a, period=H1, fields={"results": "x"})
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(actor):
        try:
            barrier.wait()
            services.report_submit(actor=actor, unit=cast.unit_a, period=H1)
            outcomes.append("submitted")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=submit, args=(who,))
        for who in (cast.officer_a, cast.district_officer)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("submitted") == 1
    assert any("đã được nộp" in o or "vừa được chuyển" in o for o in outcomes if o != "submitted")
    assert Report.objects.filter(unit=cast.unit_a).count() == 1
    assert Report.objects.get(unit=cast.unit_a).status == ReportStatus.SUBMITTED
