from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from congdoan.core.tests.test_browser import browser, phone_no_js  # noqa: F401  (browser fixtures)
from congdoan.feedback.models import Concern


@pytest.fixture(autouse=True)
def _no_reminder_noise(settings: Any) -> None:
    settings.REPORTS_PLACE = "Phú Xuyên"


def concern_on(unit: Any, day: datetime, text: str = "Công ty chậm trả lương tháng này") -> Concern:
    """A worker's concern sent to `unit` on `day` (the report counts it in that period)."""
    concern = Concern.objects.create(unit=unit, text=text)
    Concern.objects.filter(pk=concern.pk).update(
        created_at=timezone.make_aware(day, timezone.get_current_timezone())
    )
    return concern


def total(snapshot: dict[str, Any], key: str) -> Any:
    return snapshot["totals"][key]["value"]
