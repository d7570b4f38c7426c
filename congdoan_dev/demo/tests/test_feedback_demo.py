from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from congdoan.feedback.models import Concern, Status
from congdoan.text import fold
from congdoan_dev.demo import feedback as demo
from congdoan_dev.demo import orgs as orgs_demo


@pytest.mark.django_db
def test_demo_seed_looks_like_a_real_district_and_is_idempotent(settings: Any) -> None:

    orgs_demo.seed()
    demo.seed()
    concerns = list(Concern.objects.select_related("unit"))
    total = len(concerns)
    assert 80 <= total <= 150
    # varied: many unions, every topic, no message copied over and over
    assert len({c.unit_id for c in concerns if c.unit_id}) >= 25
    assert len({c.topic for c in concerns}) >= 8
    assert max(Counter(fold(c.text)[:40] for c in concerns).values()) <= 5
    assert Concern.objects.filter(unit__code="PX-MAY-PHUMINH").count() <= 20
    # some typed without diacritics, most anonymous but not all
    assert sum(1 for c in concerns if c.text == fold(c.text) or c.text.isascii()) >= 10
    assert 0.3 <= sum(c.is_anonymous for c in concerns) / total <= 0.8
    # every stage of the work, with plausible answers, a few overdue
    statuses = Counter(c.status for c in concerns)
    for status in (
        Status.TRIAGED,
        Status.IN_PROGRESS,
        Status.ANSWERED,
        Status.CLOSED,
        Status.REOPENED,
    ):
        assert statuses[status] >= 1, status
    answered = [c for c in concerns if c.answered_at]
    assert answered and all(len(c.answer_text) > 60 for c in answered)
    assert len({c.answer_text for c in answered}) == len(answered)
    now = timezone.now()
    overdue = [c for c in concerns if c.is_open and c.due_at and c.due_at < now]
    assert 3 <= len(overdue) <= total // 4
    # spread over past months, none in the future
    assert all(c.created_at <= now for c in concerns)
    assert min(c.created_at for c in concerns) < now - timedelta(days=120)
    assert all(c.answered_at and c.created_at <= c.answered_at <= now for c in answered)
    # the two small groups of similar messages
    assert Concern.objects.values("cluster").exclude(cluster=None).distinct().count() >= 2
    assert (
        3 <= Concern.objects.filter(unit__code="PX-MAY-PHUMINH", cluster__isnull=False).count() <= 6
    )
    assert Concern.objects.values("channel").distinct().count() >= 4
    demo.seed()
    assert Concern.objects.count() == total
