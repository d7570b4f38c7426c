"""`congdoan worker`: run the background worker for whichever task backend is configured.

The worker keeps a heartbeat row, takes back the tasks of workers that died, and stops on
SIGINT/SIGTERM with one line and exit status 0 (congdoan/core/workers.py).
"""

from __future__ import annotations

import logging
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from congdoan.core.workers import (
    HeartbeatThread,
    heartbeat_register,
    heartbeat_remove,
    rq_requeue_abandoned,
    run_database_worker,
)


class Command(BaseCommand):
    help = "Chạy tiến trình xử lý nền (database hoặc Redis/RQ, theo cấu hình TASKS_BACKEND)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Process what is queued, then exit."
        )
        parser.add_argument("--queues", default=",".join(settings.TASK_QUEUES))

    def handle(self, *args: Any, batch: bool, queues: str, **options: Any) -> None:
        names = [q for q in queues.split(",") if q]
        verbosity = options.get("verbosity", 1)
        worker_id = get_random_string(32)
        if settings.TASKS_BACKEND == "rq":
            # The job class runs the django-tasks function and records its result; the
            # scheduler moves tasks enqueued with `run_after` onto the queue when due.
            # Our worker class: its work horse dies with it (congdoan/core/workers.py).
            heartbeat_register(worker_id=worker_id, backend="rq", queues=names)
            rq_requeue_abandoned()
            beat = HeartbeatThread(worker_id=worker_id, backend="rq", queues=names, reclaim=True)
            beat.start()
            try:
                call_command(
                    "rqworker",
                    *names,
                    job_class="django_tasks_rq.Job",
                    burst=batch,
                    with_scheduler=True,
                    worker_class="congdoan.core.workers.RQWorker",
                    verbosity=verbosity,
                )
            finally:
                beat.stop()
                heartbeat_remove(worker_id=worker_id)
        elif settings.TASKS_BACKEND == "database":
            self._configure_logging(verbosity)
            run_database_worker(queues=names, batch=batch, worker_id=worker_id)
        else:
            self.stderr.write("TASKS_BACKEND=immediate runs tasks inline: no worker is needed.")

    def _configure_logging(self, verbosity: int) -> None:
        """As django-tasks-db's own db_worker does: its messages on stdout, per verbosity."""
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("django_tasks", "django_tasks_db"):
            log = logging.getLogger(name)
            log.setLevel(level)
            if not log.handlers:
                log.addHandler(logging.StreamHandler(self.stdout))
                log.propagate = False
