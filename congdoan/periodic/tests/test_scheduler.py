"""The schedule of periodic work does not depend on the last run's success."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from congdoan.periodic import registry
from congdoan.periodic.models import PeriodicJob
from congdoan.periodic.scheduler import run_due

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


def failing_job() -> None:
    CALLS.append("fail")
    raise RuntimeError("mail server down")


def counting_job() -> int:
    CALLS.append("ok")
    return len(CALLS)


@pytest.fixture
def jobs() -> Iterator[None]:
    saved = dict(registry.JOBS)
    registry.JOBS.clear()
    CALLS.clear()
    registry.register_job(
        "test.failing", every=lambda: timedelta(minutes=15), run=f"{__name__}.failing_job"
    )
    registry.register_job(
        "test.counting", every=lambda: timedelta(minutes=1), run=f"{__name__}.counting_job"
    )
    yield
    registry.JOBS.clear()
    registry.JOBS.update(saved)


def test_a_failing_job_runs_again_at_its_next_time(jobs: None) -> None:
    now = timezone.now()
    assert run_due(now=now) == {"test.failing": False, "test.counting": True}
    row = PeriodicJob.objects.get(name="test.failing")
    assert row.next_run_at == now + timedelta(minutes=15)
    assert "mail server down" in row.last_error and row.failures == 1
    assert run_due(now=now + timedelta(minutes=5)) == {"test.counting": True}
    assert run_due(now=now + timedelta(minutes=16)) == {
        "test.failing": False,
        "test.counting": True,
    }
    assert CALLS.count("fail") == 2


def test_a_run_claimed_by_another_scheduler_is_not_run_twice(jobs: None) -> None:
    now = timezone.now()
    run_due(now=now)
    row = PeriodicJob.objects.get(name="test.counting")
    # Another scheduler claimed the next run first (moved next_run_at on).
    PeriodicJob.objects.filter(pk=row.pk).update(next_run_at=row.next_run_at + timedelta(minutes=1))
    assert "test.counting" not in run_due(now=now + timedelta(seconds=61))


def test_the_scheduler_command_runs_the_deadline_sweep_and_the_outbox_flush(cast: Any) -> None:
    call_command("scheduler", "--once")
    names = set(PeriodicJob.objects.values_list("name", flat=True))
    assert {"feedback.check_deadlines", "outbox.flush"} <= names
    assert all(
        job.last_success_at is not None
        for job in PeriodicJob.objects.filter(name__in=["feedback.check_deadlines", "outbox.flush"])
    )


def slow_failing_job() -> None:
    # While this run goes on, another scheduler records the failure of its own run.
    PeriodicJob.objects.filter(name="test.slow").update(failures=5, runs=7)
    raise RuntimeError("still down")


def test_counts_written_meanwhile_by_another_scheduler_are_not_lost(jobs: None) -> None:
    registry.register_job(
        "test.slow", every=lambda: timedelta(minutes=1), run=f"{__name__}.slow_failing_job"
    )
    assert run_due(now=timezone.now(), only={"test.slow"}) == {"test.slow": False}
    row = PeriodicJob.objects.get(name="test.slow")
    assert (row.failures, row.runs) == (6, 7)
