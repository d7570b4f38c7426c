"""Enqueueing the feedback app's background tasks from its services, without importing them.

The tasks (`feedback/tasks.py`) are thin wrappers around services, triage and the deadline
sweep, so those modules cannot import `tasks` back. Instead `tasks.py` hands each task to
this module as it is defined (`@queue.provides`; the app's `ready()` imports `tasks.py`), and
a service enqueues it by name. Dependencies point one way: tasks → services → models.

Two ways to enqueue:
- after the commit (`enqueue_on_commit`): the usual one; no worker can look for a row that
  is not committed yet, and a broken queue is logged, never loses the row (the periodic
  sweep picks up what was left);
- inside the writer's transaction when the task backend is the database one
  (`in_same_database`): the row and its task commit together, one commit instead of two.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, TypeVar

from django.db import transaction
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

log = logging.getLogger("congdoan.feedback")

_tasks: dict[str, Task[Any, Any]] = {}

T = TypeVar("T", bound=Task[Any, Any])


def provides(task: T) -> T:
    """Decorator for `tasks.py`: make this task available to `task_named` under its name."""
    _tasks[task.name] = task
    return task


def task_named(name: str) -> Task[Any, Any]:
    """The task `tasks.py` provided under this name (KeyError before the app is ready)."""
    return _tasks[name]


def enqueue_on_commit(name: str, *args: Any) -> None:
    """Enqueue after commit; a broken queue is logged, never loses the row (a later sweep retries)."""

    def run() -> None:
        try:
            task_named(name).enqueue(*args)
        except Exception:
            log.exception(
                "feedback: could not enqueue %s%r; the periodic check will retry", name, args
            )

    transaction.on_commit(run)


def enqueue_many(name: str, ids: list[int]) -> None:
    """One task per id: in the current transaction on the database backend (no commit of
    its own per task), else on commit. A failure in the transaction falls back to on commit."""
    if not ids:
        return
    if in_same_database(name):
        try:
            with transaction.atomic():
                for pk in ids:
                    task_named(name).enqueue(pk)
            return
        except Exception:
            log.warning("feedback: could not enqueue %s in the transaction", name, exc_info=True)
    for pk in ids:
        enqueue_on_commit(name, pk)


def in_same_database(name: str) -> bool:
    """True when the task backend is the database one: its rows live beside the concern's.

    Then the intake writes the concern and its triage task in one transaction (one commit
    instead of two, and never one without the other). Any other backend (RQ, immediate) is
    called on commit, so that no worker can look for a row that is not committed yet.
    """
    try:
        return isinstance(task_named(name).get_backend(), DatabaseBackend)
    except Exception:  # misconfigured: the on-commit path logs the failure
        return False


def retire_queued(name: str, first_args: list[int], now: datetime) -> int:
    """Mark the queued tasks `name(pk)` for these pks as done, returning 0 (database backend
    only, in the caller's transaction); how many were retired.

    Used by the batch triage: each intake enqueues a task, and without this the worker would
    still claim, run and record ~199 tasks per batch of 200 only to find their concern
    triaged — on PostgreSQL two commits each. What they would have done is exactly this:
    return 0. Tasks already claimed (RUNNING) are left to run (they return at once). Any
    failure leaves the tasks queued (they are still correct, only slower); a savepoint keeps
    the caller's work.
    """
    try:
        task = task_named(name)
        backend = task.get_backend()
        if not isinstance(backend, DatabaseBackend) or not first_args:
            return 0
        with transaction.atomic():
            retired: int = DBTaskResult.objects.filter(
                status=TaskResultStatus.READY,
                backend_name=backend.alias,
                task_path=task.module_path,
                args_kwargs__args__0__in=first_args,
            ).update(
                status=TaskResultStatus.SUCCESSFUL,
                started_at=now,
                finished_at=now,
                return_value=0,
            )
            return retired
    except Exception:
        log.warning("feedback: could not retire the queued %s tasks", name, exc_info=True)
        return 0
