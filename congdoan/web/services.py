"""Writes of the site's top: an administrator retries a failed background task."""

from __future__ import annotations

from typing import Any

import django_rq
from django.conf import settings
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from rq.exceptions import InvalidJobOperation, NoSuchJobError

from congdoan.audit.services import audit_record


@transaction.atomic
def task_retry(*, actor: Any, task_id: str) -> bool:
    """Put a failed task back in its queue (the same task, with the same arguments); audited.

    False when there is no such failed task (already retried, or unknown)."""
    if settings.TASKS_BACKEND == "database":
        row = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.FAILED).first()
        if row is None:
            return False
        # The claims are counted afresh: a task failed for killing its worker gets its tries back.
        done = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY,
            started_at=None,
            finished_at=None,
            run_after=get_date_max(),
            exception_class_path="",
            traceback="",
            return_value=None,
            worker_ids=[],
        )
        if not done:
            return False
        name, queue, error = row.task_path, row.queue_name, row.exception_class_path
    elif settings.TASKS_BACKEND == "rq":
        for queue in settings.TASK_QUEUES:
            registry = django_rq.get_queue(queue).failed_job_registry
            if task_id in registry.get_job_ids():
                job = registry.get_queue().fetch_job(task_id)
                try:
                    registry.requeue(task_id)
                except (InvalidJobOperation, NoSuchJobError):
                    return False
                name, error = (job.func_name if job else ""), ""
                break
        else:
            return False
    else:
        return False
    audit_record(
        actor=actor,
        action="tasks.retry",
        changes={"task": task_id, "name": name, "queue": queue, "error": error},
    )
    return True
