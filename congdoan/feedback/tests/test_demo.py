from __future__ import annotations

from typing import Any

import pytest

from congdoan.feedback.models import Concern


@pytest.mark.django_db
def test_demo_seed_is_realistic_and_idempotent(settings: Any) -> None:
    from congdoan.feedback import demo
    from congdoan.orgs import demo as orgs_demo

    orgs_demo.seed()
    demo.seed()
    total = Concern.objects.count()
    assert total >= 300
    assert Concern.objects.values("cluster").exclude(cluster=None).distinct().count() >= 3
    assert Concern.objects.filter(unit__code="PX-MAY-PHUMINH", cluster__isnull=False).count() >= 40
    assert Concern.objects.values("channel").distinct().count() >= 6
    assert Concern.objects.values("status").distinct().count() >= 4
    demo.seed()
    assert Concern.objects.count() == total
