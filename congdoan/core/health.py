"""What the health check and the operations page read: database, cache, workers, queues.

`health_report()` is what `GET /healthz` answers to a load balancer: each check with `ok`
and a figure or two (never a host name, a setting or an error text), and `ok` for the whole.
`queue_overview()` and `failed_tasks()` feed the administrators' page of workers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import django_rq
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from congdoan.core.models import WorkerHeartbeat


def _check_database() -> dict[str, Any]:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return {"ok": False}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def _check_cache() -> dict[str, Any]:
    key = f"healthz:{get_random_string(8)}"
    started = time.monotonic()
    try:
        cache.set(key, "1", timeout=10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception:  # a cache backend raises its own errors (Redis: ConnectionError…)
        return {"ok": False}
    return {"ok": ok, "ms": round((time.monotonic() - started) * 1000, 1)}


def is_live(row: WorkerHeartbeat, now: datetime) -> bool:
    """A worker is alive while its last heartbeat is under WORKER_STALE_SECONDS old."""
    return row.last_seen >= now - timedelta(seconds=settings.WORKER_STALE_SECONDS)


def _check_workers(now: datetime) -> dict[str, Any]:
    if settings.TASKS_BACKEND == "immediate":
        return {"ok": True, "count": 0, "note": "immediate"}
    try:
        rows = list(WorkerHeartbeat.objects.order_by("-last_seen")[:50])
    except DatabaseError:
        return {"ok": False, "count": 0}
    live = [row for row in rows if is_live(row, now)]
    answer: dict[str, Any] = {"ok": bool(live), "count": len(live)}
    if rows:
        answer["last_heartbeat_age_s"] = round((now - rows[0].last_seen).total_seconds(), 1)
    return answer


@dataclass
class QueueFigures:
    name: str
    queued: int
    running: int
    failed: int
    oldest_queued: datetime | None

    def oldest_age_s(self, now: datetime) -> float | None:
        return (
            None
            if self.oldest_queued is None
            else round((now - self.oldest_queued).total_seconds(), 1)
        )


def _database_queues(now: datetime) -> list[QueueFigures]:
    figures = []
    never = get_date_max()
    for name in settings.TASK_QUEUES:
        rows = DBTaskResult.objects.filter(queue_name=name)
        ready = rows.ready()
        # A task waits since it was queued, or since it became due if it was scheduled.
        oldest_plain = (
            ready.filter(run_after=never)
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
        oldest_due = (
            ready.exclude(run_after=never)
            .order_by("run_after")
            .values_list("run_after", flat=True)
            .first()
        )
        oldest = min((t for t in (oldest_plain, oldest_due) if t is not None), default=None)
        figures.append(
            QueueFigures(
                name=name,
                queued=ready.count(),
                running=rows.filter(status=TaskResultStatus.RUNNING).count(),
                failed=rows.filter(status=TaskResultStatus.FAILED).count(),
                oldest_queued=oldest,
            )
        )
    return figures


def _rq_queues() -> list[QueueFigures]:
    figures = []
    for name in settings.TASK_QUEUES:
        queue = django_rq.get_queue(name)
        oldest = None
        first = queue.get_job_ids(0, 0)
        if first:
            job = queue.fetch_job(first[0])
            if job is not None and job.enqueued_at is not None:
                oldest = (
                    job.enqueued_at
                    if timezone.is_aware(job.enqueued_at)
                    else job.enqueued_at.replace(tzinfo=UTC)
                )
        figures.append(
            QueueFigures(
                name=name,
                queued=queue.count,
                running=queue.started_job_registry.count,
                failed=queue.failed_job_registry.count,
                oldest_queued=oldest,
            )
        )
    return figures


def queue_overview(*, now: datetime | None = None) -> list[QueueFigures]:
    """Per queue: tasks waiting, running and failed, and since when the oldest one waits."""
    now = now or timezone.now()
    if settings.TASKS_BACKEND == "rq":
        return _rq_queues()
    if settings.TASKS_BACKEND == "database":
        return _database_queues(now)
    return []


def _check_queues(now: datetime, figures: list[QueueFigures] | None) -> dict[str, Any]:
    if figures is None:
        try:
            figures = queue_overview(now=now)
        except Exception:  # the database or Redis is down: say so, do not crash the probe
            return {"ok": False}
    ages = [age for age in (q.oldest_age_s(now) for q in figures) if age is not None]
    oldest = max(ages, default=None)
    return {
        "ok": oldest is None or oldest <= settings.HEALTH_MAX_QUEUE_AGE_SECONDS,
        "queued": sum(q.queued for q in figures),
        "oldest_queued_age_s": oldest,
    }


def health_report(
    *,
    web_only: bool = False,
    now: datetime | None = None,
    queues: list[QueueFigures] | None = None,
) -> dict[str, Any]:
    """The checks a load balancer reads; `web_only` skips the worker and queue checks.
    `queues`: the figures `queue_overview(now=now)` already gave (the operations page shows
    them too), not read a second time."""
    now = now or timezone.now()
    checks: dict[str, dict[str, Any]] = {"database": _check_database(), "cache": _check_cache()}
    if not web_only:
        if checks["database"]["ok"]:
            checks["workers"] = _check_workers(now)
            checks["queues"] = _check_queues(now, queues)
        else:
            checks["workers"] = {"ok": False}
            checks["queues"] = {"ok": False}
    healthy = all(check["ok"] for check in checks.values())
    return {"status": "ok" if healthy else "fail", "checks": checks}


@dataclass
class FailedTask:
    id: str
    name: str
    queue: str
    failed_at: datetime | None
    error: str


def failed_tasks(*, limit: int = 50) -> list[FailedTask]:
    """The most recent failed tasks of every queue, newest first."""
    if settings.TASKS_BACKEND == "database":
        rows = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")[
            :limit
        ]
        return [
            FailedTask(
                id=str(row.pk),
                name=row.task_path.rsplit(".", 1)[-1],
                queue=row.queue_name,
                failed_at=row.finished_at,
                error=_last_line(row.traceback) or row.exception_class_path,
            )
            for row in rows
        ]
    if settings.TASKS_BACKEND == "rq":
        found = []
        for name in settings.TASK_QUEUES:
            queue = django_rq.get_queue(name)
            for job_id in queue.failed_job_registry.get_job_ids(0, limit - 1):
                job = queue.fetch_job(job_id)
                if job is None:
                    continue
                found.append(
                    FailedTask(
                        id=job.id,
                        name=(job.func_name or "").rsplit(".", 1)[-1],
                        queue=name,
                        failed_at=job.ended_at,
                        error=_last_line(job.exc_info or ""),
                    )
                )
        return sorted(
            found, key=lambda t: t.failed_at or datetime.min.replace(tzinfo=UTC), reverse=True
        )[:limit]
    return []


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""
