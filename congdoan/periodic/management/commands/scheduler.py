"""`congdoan scheduler`: run the periodic jobs (deadline sweep, outbox flush…) on time.

One process per deployment is enough; two are safe (each run is claimed by one of them).
It keeps going when a job fails or the database is away for a while.
"""

from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connections

from congdoan.periodic.scheduler import run_due


class Command(BaseCommand):
    help = "Chạy các việc định kỳ (nhắc hạn, gửi lại tin chưa gửi được…) đúng lịch."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--tick", type=float, default=None, help="Seconds between checks.")

    def handle(self, *args: Any, once: bool, tick: float | None, **options: Any) -> None:
        stop = threading.Event()
        if not once:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
        interval = tick if tick is not None else settings.SCHEDULER_TICK_SECONDS
        while not stop.is_set():
            try:
                ran = run_due()
            except DatabaseError as exc:  # the database restarts: try again next tick
                self.stderr.write(f"scheduler: database unavailable ({exc}); retrying")
                connections.close_all()
                ran = {}
            for name, ok in ran.items():
                if options.get("verbosity", 1) > 1 or not ok:
                    self.stdout.write(f"{name}: {'ok' if ok else 'failed'}")
            if once:
                return
            close_old_connections()  # a connection broken by a job or a restart is not reused
            stop.wait(interval)
