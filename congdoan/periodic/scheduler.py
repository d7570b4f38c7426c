"""Run the periodic jobs that are due. Called in a loop by `congdoan scheduler`.

Steps of `run_due()`:
1. make sure every registered job has its row (a new job is due at once);
2. for each due row, claim it by moving `next_run_at` forward with a conditional UPDATE on
   the value read: of two schedulers running at once only one wins each run;
3. run the job in this process; record success or the error. A failure is only recorded:
   the job's next run was fixed in step 2, before it ran.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from congdoan.periodic.models import PeriodicJob
from congdoan.periodic.registry import JOBS, Job

log = logging.getLogger("congdoan.periodic")


def _ensure_rows(now: Any) -> None:
    known = set(PeriodicJob.objects.filter(name__in=list(JOBS)).values_list("name", flat=True))
    for name in JOBS.keys() - known:
        PeriodicJob.objects.get_or_create(name=name, defaults={"next_run_at": now})


def run_job(job: Job, row: PeriodicJob) -> bool:
    """Run one claimed job; True when it succeeded."""
    try:
        result = import_string(job.run)()
    except Exception as exc:
        log.exception("periodic: %s failed", job.name)
        PeriodicJob.objects.filter(pk=row.pk).update(
            last_finished_at=timezone.now(),
            last_error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"[:4000],
            failures=F("failures") + 1,
        )
        return False
    PeriodicJob.objects.filter(pk=row.pk).update(
        last_finished_at=timezone.now(),
        last_success_at=timezone.now(),
        last_result=str(result)[:1000],
        last_error="",
    )
    return True


def run_due(*, now: Any = None, only: set[str] | None = None) -> dict[str, bool]:
    """Run every due job once; returns {job name: succeeded} for the jobs this call ran."""
    now = now or timezone.now()
    _ensure_rows(now)
    ran: dict[str, bool] = {}
    due = PeriodicJob.objects.filter(name__in=list(JOBS), next_run_at__lte=now)
    for row in list(due):
        job = JOBS[row.name]
        if only is not None and job.name not in only:
            continue
        claimed = PeriodicJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=now + job.every(), last_started_at=now, runs=F("runs") + 1
        )
        if claimed != 1:
            continue
        ran[job.name] = run_job(job, row)
    return ran
