"""A concern sent from the web form is triaged by the real worker process on Redis (RQ), the
backend production uses with REDIS_URL, not only inline as the other tests run it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from congdoan.feedback.models import Concern, Status

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_concern_from_the_web_form_is_triaged_by_the_rq_worker(
    cast: Any, client: Any, rq_worker: Any
) -> None:
    response = client.post(
        reverse("feedback:submit"),
        {"text": "Cong ty cham tra luong thang 10 cho cong nhan", "unit_pick": "PX-A"},
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.status == Status.RECEIVED and concern.triaged_at is None  # queued in Redis

    rq_worker()

    concern.refresh_from_db()
    assert concern.status == Status.TRIAGED and concern.triaged_at is not None
    assert concern.topic and concern.urgency and concern.assigned_unit == cast.unit_a
    assert concern.restored_text.startswith("Công ty chậm trả lương")
