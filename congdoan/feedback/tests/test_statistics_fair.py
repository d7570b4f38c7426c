"""Issue 11.10: statistics that do not mislead."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from congdoan.core.tests.test_browser import _log_in, _shot
from congdoan.feedback import selectors
from congdoan.feedback.models import Concern, Status


def _at(day: datetime) -> datetime:
    return timezone.make_aware(day)


@freeze_time("2026-12-06 03:00:00")
def test_this_month_is_compared_with_the_same_days_of_last_month(cast: Any) -> None:
    # 6 days into December: 2 wage concerns; November had 2 in its first 6 days and 8 later.
    for day in (2, 5):
        Concern.objects.create(
            unit=cast.unit_a, text="x", topic="wages", created_at=_at(datetime(2026, 12, day, 9))
        )
    for day in (1, 3, 10, 12, 14, 16, 18, 20, 22, 24):
        Concern.objects.create(
            unit=cast.unit_a, text="x", topic="wages", created_at=_at(datetime(2026, 11, day, 9))
        )
    table = selectors.topic_unit_month(viewer=cast.district_officer, months=6)
    wages = next(r for r in table["topics"] if r["topic"] == "wages")
    assert table["compare_days"] == 6
    assert wages["change"] == 0  # not 2 - 10 = -8


def test_overdue_unanswered_concerns_count_against_the_on_time_share(cast: Any) -> None:
    now = timezone.now()
    Concern.objects.create(
        unit=cast.unit_a,
        text="a",
        status=Status.ANSWERED,
        answered_at=now,
        answered_on_time=True,
        due_at=now + timedelta(days=1),
    )
    Concern.objects.create(
        unit=cast.unit_a, text="b", status=Status.TRIAGED, due_at=now - timedelta(days=1)
    )
    today = timezone.localdate()
    s = selectors.feedback_period_summary(viewer=cast.district_officer, start=today, end=today)
    assert s["overdue_unanswered"] == 1
    assert s["on_time_share"] == 50.0  # not 100 %


def test_the_topics_by_month_chart_is_an_svg_in_the_viewers_scope(
    cast: Any, client_of: Any
) -> None:
    Concern.objects.create(unit=cast.unit_a, assigned_unit=cast.unit_a, text="a", topic="wages")
    Concern.objects.create(unit=cast.unit_b, assigned_unit=cast.unit_b, text="b", topic="safety")
    response = client_of(cast.officer_a).get(reverse("feedback:dashboard_chart"))
    svg = response.content.decode()
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "Tiền lương, thu nhập" in svg and "An toàn" not in svg
    page = client_of(cast.officer_a).get(reverse("feedback:dashboard")).content.decode()
    assert 'src="/y-kien/thong-ke/bieu-do-chu-de.svg"' in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_chart_shows_in_the_browser_under_the_sites_csp(
    desktop: Any, live_server: Any, cast: Any
) -> None:
    Concern.objects.create(unit=cast.unit_a, assigned_unit=cast.unit_a, text="a", topic="wages")
    page = desktop
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _log_in(page, live_server.url, cast.district_officer.email)
    page.goto(f"{live_server.url}/y-kien/thong-ke/")
    page.wait_for_load_state("networkidle")
    chart = page.locator("figure.chart img")
    assert chart.evaluate("img => img.complete && img.naturalWidth") == 720
    assert not [e for e in errors if "Content Security Policy" in e]
    _shot(page, "feedback-dashboard-chart.png")


def test_classification_quality_names_topics_in_the_viewers_language(
    cast: Any, client_of: Any, settings: Any
) -> None:
    """The shipped report was written in Vietnamese; an English reader gets English topics."""
    client = client_of(cast.district_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("feedback:dashboard")).content.decode()
    quality = page.split("Automatic classification quality", 1)[1]
    assert "Wages, income" in quality
    assert "Tiền lương, thu nhập" not in quality
