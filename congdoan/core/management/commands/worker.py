"""`congdoan worker`: run the background worker for whichever task backend is configured."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy tiến trình xử lý nền (database hoặc Redis/RQ, theo cấu hình TASKS_BACKEND)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Process what is queued, then exit.")
        parser.add_argument("--queues", default=",".join(settings.TASK_QUEUES))

    def handle(self, *args: Any, batch: bool, queues: str, **options: Any) -> None:
        names = [q for q in queues.split(",") if q]
        if settings.TASKS_BACKEND == "rq":
            # The job class runs the django-tasks function and records its result; the
            # scheduler moves tasks enqueued with `run_after` onto the queue when due.
            call_command(
                "rqworker", *names, job_class="django_tasks_rq.Job", burst=batch, with_scheduler=True,
                verbosity=options.get("verbosity", 1),
            )
        elif settings.TASKS_BACKEND == "database":
            call_command(
                "db_worker", queue_name=",".join(names), batch=batch, reload=False, startup_delay=not batch,
                verbosity=options.get("verbosity", 1),
            )
        else:
            self.stderr.write("TASKS_BACKEND=immediate runs tasks inline: no worker is needed.")
