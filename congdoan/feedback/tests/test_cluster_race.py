"""The same words from two workers, triaged at the same moment by two workers, still make one
group (PostgreSQL: each triage used to miss the other's uncommitted row)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from congdoan.feedback.models import Channel
from congdoan.feedback.services import concern_submit
from congdoan.feedback.triage import triage_one
from congdoan.testing_races import race_while_held

pytestmark = pytest.mark.django_db(transaction=True)


def test_identical_concerns_triaged_at_once_join_one_group(cast: Any, settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: no race to show")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    text = "Xe đưa đón công nhân hay đến muộn, đi làm trễ bị trừ lương"
    first, second = (
        concern_submit(text=text, unit=cast.unit_a, channel=Channel.WEB, ip=ip)
        for ip in ("10.3.0.1", "10.3.0.2")
    )

    # A third connection holds the history table: both triages stop at their last write,
    # each having looked for similar concerns while the other's was not committed.
    def triage(pk: int) -> Callable[[], str]:
        def job() -> str:
            triage_one(concern_id=pk)
            return "triaged"

        return job

    outcomes = race_while_held(
        "LOCK TABLE feedback_concernevent IN EXCLUSIVE MODE",
        [],
        {"first": triage(first.pk), "second": triage(second.pk)},
        hold_s=2,
    )
    assert set(outcomes.values()) == {"triaged"}, outcomes
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.triaged_at and second.triaged_at
    assert first.cluster_id is not None and first.cluster_id == second.cluster_id
