"""The background worker's life: heartbeats, reclaiming a dead worker's tasks, a clean stop.

Every `congdoan worker` process (database or RQ backend) keeps a `WorkerHeartbeat` row and
touches it every `WORKER_HEARTBEAT_SECONDS` from a thread of its own. A worker that dies
without a word (SIGKILL, out of memory, a machine lost) leaves its row behind, getting older.

Reclaiming (database backend), at a worker's start and on every heartbeat of every worker:
1. a worker is dead when its row was not touched for `WORKER_STALE_SECONDS`, or, on this
   same machine, when its process no longer exists (so a restarted worker reclaims at once);
2. each task still RUNNING whose last claim is that worker's (or a worker that never kept a
   heartbeat: one from before heartbeats, or django-tasks-db's `db_worker` run by hand, once
   the task has run `WORKER_STALE_SECONDS`) goes back to READY with a
   conditional UPDATE (two live workers can never both take it back), unless it was already
   claimed `WORKER_MAX_CLAIMS` times: a task that keeps killing its worker is marked FAILED
   with `WorkerLost`, so it cannot take the worker down forever;
3. the dead worker's row is deleted.
Tasks therefore resume from the start: a long task makes itself resumable by recording its
progress (the OCR job does it page by page).

A lost database (a PostgreSQL restart, a failover, a connection cut) does not end a worker:
the loop and the heartbeat thread log one warning, drop the broken connection, wait (on the
stop event, so a stop is never held up) a growing delay up to `RECONNECT_MAX_SECONDS`, and go
on; a task whose claim or result could not be written is put back in the queue.

A stop (SIGINT, SIGTERM) is one line in the log and exit status 0: an idle worker stops
within its polling interval; a busy one lets its task finish for `WORKER_STOP_GRACE_SECONDS`,
then interrupts it (as does a second signal) and puts it back in the queue.

With RQ the heartbeat rows are kept too (the health check and admin page read them); a dead
worker's job is found by RQ's own registry cleanup once its execution heartbeat expires (about
90 s) and re-queued by `rq_requeue_abandoned` (every `WORKER_RQ_RECLAIM_SECONDS`); the work
horse that runs a job dies with its worker (`RQWorker`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

import django_rq
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorkerBase
from django_tasks_db.models import DBTaskResult
from rq import Queue, Worker
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job

from congdoan.core.models import WorkerHeartbeat
from congdoan.core.processes import die_with_parent, pid_namespace, process_exists

logger = logging.getLogger("congdoan.worker")

# After a lost database connection: the first wait, doubled at each failure in a row, up to the
# last (seconds).
RECONNECT_FIRST_SECONDS = 0.5
RECONNECT_MAX_SECONDS = 5.0
# A database error this long after the previous one starts the waits again from the first.
_RECONNECT_RESET_SECONDS = 60.0


class WorkerStopped(BaseException):
    """Raised inside a running task when the worker must stop now; the task is re-queued."""


class WorkerLost(Exception):
    """Recorded on a task whose worker died under it `WORKER_MAX_CLAIMS` times in a row."""


# --- heartbeats --------------------------------------------------------------------------


def heartbeat_register(*, worker_id: str, backend: str, queues: list[str]) -> WorkerHeartbeat:
    now = timezone.now()
    row, _ = WorkerHeartbeat.objects.update_or_create(
        id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "pid_namespace": pid_namespace(),
            "backend": backend,
            "queues": ",".join(queues)[:255],
            "started_at": now,
            "last_seen": now,
        },
    )
    return row


def heartbeat_touch(*, worker_id: str, backend: str, queues: list[str]) -> None:
    """Say this worker is alive; recreate the row if another worker took it for dead."""
    if not WorkerHeartbeat.objects.filter(pk=worker_id).update(last_seen=timezone.now()):
        heartbeat_register(worker_id=worker_id, backend=backend, queues=queues)


def heartbeat_set_task(*, worker_id: str, task_id: str = "", task_name: str = "") -> None:
    WorkerHeartbeat.objects.filter(pk=worker_id).update(
        task_id=task_id,
        task_name=task_name[:255],
        task_started_at=timezone.now() if task_id else None,
        last_seen=timezone.now(),
    )


def heartbeat_remove(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(pk=worker_id).delete()


def dead_workers(*, now: datetime | None = None, me: str = "") -> list[WorkerHeartbeat]:
    """Rows of workers that are gone: too old, or on this machine with no such process."""
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    here = (socket.gethostname()[:255], pid_namespace())
    dead = []
    for row in WorkerHeartbeat.objects.exclude(pk=me):
        if row.last_seen < stale_before:
            dead.append(row)
        elif (row.host, row.pid_namespace) == here and (
            (me and row.pid == os.getpid()) or not process_exists(row.pid)
        ):
            # Our own pid under another id is an earlier life of this process's slot (a
            # container restarted with the same pid): that worker is gone too.
            dead.append(row)
    return dead


@dataclass
class Reclaimed:
    workers: list[str] = field(default_factory=list)
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def task_requeue(*, result_id: Any) -> bool:
    """Put a RUNNING task back in the queue (it runs again from the start)."""
    return bool(
        DBTaskResult.objects.filter(pk=result_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
    )


def _task_fail_lost(*, result: DBTaskResult) -> bool:
    message = (
        f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: the worker running this task died "
        f"{len(result.worker_ids)} times ({', '.join(result.worker_ids)})\n"
    )
    return bool(
        DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=message,
            return_value=None,
        )
    )


def reclaim_dead_workers(*, now: datetime | None = None, me: str = "") -> Reclaimed:
    """Put the tasks of dead workers back in the queue (steps in the module docstring)."""
    now = now or timezone.now()
    outcome = Reclaimed()
    dead = dead_workers(now=now, me=me)
    dead_ids = {row.id for row in dead}
    known_ids = set(WorkerHeartbeat.objects.values_list("id", flat=True))
    orphan_before = now - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    for result in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        last = result.worker_ids[-1] if result.worker_ids else ""
        orphan = (
            last not in known_ids
            and result.started_at is not None
            and result.started_at < orphan_before
        )
        if last not in dead_ids and not orphan:
            continue
        if len(result.worker_ids) >= settings.WORKER_MAX_CLAIMS:
            if _task_fail_lost(result=result):
                outcome.failed.append(str(result.pk))
        elif task_requeue(result_id=result.pk):
            outcome.requeued.append(str(result.pk))
    for row in dead:
        # Only if it is still as we saw it: a worker that was merely slow has touched it since.
        if WorkerHeartbeat.objects.filter(pk=row.pk, last_seen=row.last_seen).delete()[0]:
            outcome.workers.append(row.id)
    if outcome.requeued or outcome.failed:
        logger.warning(
            "Tiến trình nền %s đã mất: %d công việc trả lại hàng đợi, %d đánh dấu lỗi.",
            ", ".join(outcome.workers),
            len(outcome.requeued),
            len(outcome.failed),
        )
    return outcome


# --- RQ ------------------------------------------------------------------------------------

_ABANDONED = "AbandonedJobError"
_CLAIMS_META = "congdoan_claims"


def rq_requeue_abandoned() -> Reclaimed:
    """RQ: put back in their queue the jobs whose worker died.

    Steps, per queue:
    1. RQ's own registry cleanup: a started job whose execution heartbeat expired (its worker
       is gone) is moved to the failed jobs with `AbandonedJobError` (RQ itself runs this only
       every 10 minutes);
    2. each failed job that failed that way is re-queued, unless its workers already died
       `WORKER_MAX_CLAIMS` times under it (then it stays failed, for the administrators' page).
    """
    outcome = Reclaimed()
    for name in settings.TASK_QUEUES:
        queue = django_rq.get_queue(name)
        queue.started_job_registry.cleanup()
        failed = queue.failed_job_registry
        for job_id in failed.get_job_ids():
            job = queue.fetch_job(job_id)
            if job is None:
                continue
            latest = job.latest_result()
            if latest is None or _ABANDONED not in (latest.exc_string or ""):
                continue
            claims = int(job.meta.get(_CLAIMS_META, 1))
            if claims >= settings.WORKER_MAX_CLAIMS:
                continue
            job.meta[_CLAIMS_META] = claims + 1
            job.save_meta()
            try:
                failed.requeue(job_id)
            except (InvalidJobOperation, NoSuchJobError):
                continue  # another worker took it back first
            outcome.requeued.append(job_id)
    if outcome.requeued:
        logger.warning(
            "%d công việc RQ của tiến trình nền đã mất được trả lại hàng đợi.",
            len(outcome.requeued),
        )
    return outcome


class RQWorker(Worker):
    """RQ's worker whose work horse (the forked process that runs a job) dies with it, so a
    killed worker never leaves a job running unwatched (RQ would then run it twice)."""

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        die_with_parent(signal.SIGKILL)
        super().main_work_horse(job, queue)


class HeartbeatThread(threading.Thread):
    """Touches this worker's row every interval and reclaims the dead workers' tasks."""

    def __init__(self, *, worker_id: str, backend: str, queues: list[str], reclaim: bool) -> None:
        super().__init__(name="congdoan-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.backend = backend
        self.queues = queues
        self.reclaim = reclaim
        self.stopped = threading.Event()

    def run(self) -> None:
        beats = 0
        try:
            while not self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS):
                beats += 1
                try:
                    heartbeat_touch(
                        worker_id=self.worker_id, backend=self.backend, queues=self.queues
                    )
                    if self.reclaim and self.backend == "database":
                        reclaim_dead_workers(me=self.worker_id)
                    elif (
                        self.reclaim
                        and beats * settings.WORKER_HEARTBEAT_SECONDS
                        >= settings.WORKER_RQ_RECLAIM_SECONDS
                    ):
                        beats = 0
                        rq_requeue_abandoned()
                except (OperationalError, InterfaceError) as exc:
                    # The database is restarting: the next beat (the wait above) tries again.
                    logger.warning(
                        "Nhịp sống của tiến trình nền: mất kết nối cơ sở dữ liệu (%s).",
                        _first_line(exc),
                    )
                    _drop_connection()
                except Exception:  # nothing must end the heartbeats
                    logger.exception("heartbeat failed")
                    _drop_connection()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=settings.WORKER_HEARTBEAT_SECONDS + 5)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _drop_connection() -> None:
    """Close this thread's database connection, broken or not; the next query opens a new one."""
    with contextlib.suppress(DatabaseError):
        connection.close()


# --- the database backend's worker --------------------------------------------------------


class DatabaseWorker(DatabaseWorkerBase):
    """django-tasks-db's worker with heartbeats, reclaiming and a one-line, clean stop."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stopping = False
        self.stop_event = threading.Event()
        self.current: DBTaskResult | None = None

    # Signals: one line, whatever arrives and however often.
    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.stopping:
            self.stopping = True
            self.running = False
            self.stop_event.set()
            logger.info("Nhận %s: tiến trình nền dừng.", signal.Signals(signum).name)
            if self.running_task:
                signal.signal(signal.SIGALRM, self._interrupt)
                signal.alarm(max(1, settings.WORKER_STOP_GRACE_SECONDS))
            return
        if self.running_task:
            self._interrupt(signum, frame)

    def _interrupt(self, signum: int, frame: FrameType | None) -> None:
        if self.running_task:
            raise WorkerStopped

    def configure_signals(self) -> None:
        super().configure_signals()
        signal.signal(signal.SIGHUP, self.shutdown)

    def run(self) -> None:
        """Run django-tasks-db's loop, and again after each lost database connection.

        Steps, until stopped:
        1. (first time, or until it succeeds) register the heartbeat, reclaim dead workers'
           tasks, start the heartbeat thread;
        2. run the polling loop; a database error out of it (while claiming, or while writing
           a task's result) is logged in one line, the connection dropped, and after a wait
           on the stop event what this worker had claimed goes back to the queue; then 1–2.
        """
        beat: HeartbeatThread | None = None
        delay = RECONNECT_FIRST_SECONDS
        last_error = 0.0
        try:
            while not self.stop_event.is_set():
                try:
                    if beat is None:
                        heartbeat_register(
                            worker_id=self.worker_id, backend="database", queues=self.queue_names
                        )
                        reclaim_dead_workers(me=self.worker_id)
                        beat = HeartbeatThread(
                            worker_id=self.worker_id,
                            backend="database",
                            queues=self.queue_names,
                            reclaim=True,
                        )
                        beat.start()
                    elif last_error:
                        self._release_claims()
                    super().run()
                    return
                except (OperationalError, InterfaceError) as exc:
                    if time.monotonic() - last_error > _RECONNECT_RESET_SECONDS:
                        delay = RECONNECT_FIRST_SECONDS
                    last_error = time.monotonic()
                    self.startup_delay = False
                    logger.warning(
                        "Tiến trình nền mất kết nối cơ sở dữ liệu (%s): thử lại sau %s giây.",
                        _first_line(exc),
                        delay,
                    )
                    _drop_connection()
                    self.stop_event.wait(delay)
                    delay = min(delay * 2, RECONNECT_MAX_SECONDS)
        finally:
            if beat is not None:
                beat.stop()
            try:
                self._release_claims()
                heartbeat_remove(worker_id=self.worker_id)
            except DatabaseError as exc:  # stopping while the database is away: the others reclaim
                logger.warning(
                    "Tiến trình nền dừng khi chưa có cơ sở dữ liệu (%s).", _first_line(exc)
                )

    def _release_claims(self) -> None:
        """Back to the queue: anything this worker claimed and did not finish (a stop that
        landed between the claim and the task)."""
        for result in DBTaskResult.objects.running().only("id", "worker_ids"):
            if result.worker_ids and result.worker_ids[-1] == self.worker_id:
                task_requeue(result_id=result.pk)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run one claimed task (as django-tasks-db does), re-queued if the worker is stopped."""
        self.running_task = True
        try:
            heartbeat_set_task(
                worker_id=self.worker_id,
                task_id=str(db_task_result.pk),
                task_name=db_task_result.task_path,
            )
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                backend_type = type(task.get_backend())
                task_started.send(sender=backend_type, task_result=task_result)
                if task.takes_context:
                    value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
                signal.alarm(0)
                db_task_result.set_successful(value)
                task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
            except WorkerStopped:
                # The database connection may have been cut mid-query: use a fresh one.
                connection.close()
                task_requeue(result_id=db_task_result.pk)
                logger.info("Công việc %s trả lại hàng đợi.", db_task_result.pk)
                raise
            except BaseException as exc:
                signal.alarm(0)
                db_task_result.set_failed(exc)
                try:
                    sender = type(db_task_result.task.get_backend())
                    failed = db_task_result.task_result
                except (ImportError, SuspiciousOperation):
                    logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
                else:
                    task_finished.send(sender=sender, task_result=failed)
        finally:
            signal.alarm(0)
            self.running_task = False
            self._run_tasks += 1
            if not self.stopping:
                heartbeat_set_task(worker_id=self.worker_id)


def run_database_worker(*, queues: list[str], batch: bool, worker_id: str) -> None:
    """Run the database worker until it is stopped (or, with `batch`, the queues are empty)."""
    worker = DatabaseWorker(
        queue_names=queues,
        interval=settings.WORKER_POLL_SECONDS,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.configure_signals()
    with contextlib.suppress(WorkerStopped):
        worker.run()
    # Stopped: a supervisor's further SIGINT/SIGTERM must not kill the process while Python
    # tears down, when it puts the default handlers back (an ignored signal stays ignored).
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)
    sys.stdout.flush()
