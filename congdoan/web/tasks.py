"""Background tasks of the site's top.

`worker_ping` is the worker's health check: an administrator asks for it from
`POST /healthz/worker` and reads the outcome at `GET /healthz/worker/<id>`. It proves
three things at once: a worker process is running for the configured backend (database or
RQ), it picked the task up from the queue, and it reads the same database as the web
servers (it counts the units and returns the figure).
"""

from __future__ import annotations

import os
import socket
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus, default_task_backend, task
from django_tasks.exceptions import TaskResultDoesNotExist

from congdoan.orgs.models import Unit


@task()
def worker_ping(token: str) -> dict[str, Any]:
    """Answer with who ran the task and what the worker sees in the database."""
    return {
        "token": token,
        "units": Unit.objects.count(),
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "backend": settings.TASKS_BACKEND,
        "at": timezone.now().isoformat(),
    }


def worker_ping_enqueue(*, token: str) -> TaskResult[dict[str, Any]]:
    """Queue a ping now (it writes nothing of ours, so there is no transaction to wait for)."""
    return worker_ping.enqueue(token)


def worker_ping_status(*, result_id: str) -> dict[str, Any] | None:
    """The state of a ping as the backend stores it; None if the backend does not know the id
    (or keeps no results, like the "immediate" backend of the tests)."""
    try:
        result = default_task_backend.get_result(result_id)
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):
        return None
    return describe_result(result)


def describe_result(result: TaskResult[Any]) -> dict[str, Any]:
    """A task result as plain JSON-able data (for the health check's answer)."""
    answer: dict[str, Any] = {
        "id": result.id,
        "status": result.status.value,
        "enqueued_at": result.enqueued_at.isoformat() if result.enqueued_at else None,
        "finished_at": result.finished_at.isoformat() if result.finished_at else None,
        "worker_ids": list(result.worker_ids),
    }
    if result.status == TaskResultStatus.SUCCESSFUL:
        answer["return_value"] = result.return_value
    elif result.status == TaskResultStatus.FAILED:
        answer["errors"] = [error.exception_class_path for error in result.errors]
    return answer
