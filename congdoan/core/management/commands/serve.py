"""`congdoan serve`: the web server and the background worker together, for the demo and for
development (`make demo`, `make serve`); in production each runs under the service manager.

Ctrl+C stops both and prints one line. Why a command and not a shell `trap 'kill 0'`: that
trap signals its own shell, which runs the trap again, recursively, until bash overflows its
stack (make then reports "Segmentation fault"), and the worker receives a signal per round.
Here the two children run in sessions of their own, so the terminal's Ctrl+C reaches only
this process; it sends each child one SIGTERM, waits for them, and says it stopped. The
children also die with this process if it is killed (congdoan.core.processes).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from types import FrameType
from typing import IO, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from congdoan.core.processes import popen_child


class Command(BaseCommand):
    help = "Chạy máy chủ web và tiến trình nền cùng lúc; Ctrl+C dừng cả hai."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--reload", action="store_true", help="Restart the web server when code changes."
        )
        parser.add_argument(
            "--worker-log", default="", help="Write the worker's output to this file."
        )

    def handle(
        self, *args: Any, addrport: str, reload: bool, worker_log: str, **options: Any
    ) -> None:
        stop: list[int] = []

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.append(signum)

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, request_stop)

        cli = [sys.executable, "-m", "congdoan.config.cli"]
        log: IO[bytes] | None = None
        if worker_log:
            Path(worker_log).parent.mkdir(parents=True, exist_ok=True)
            log = open(worker_log, "ab")  # noqa: SIM115 - held open for the worker's life
        children: dict[str, subprocess.Popen[Any]] = {}
        try:
            if settings.TASKS_BACKEND != "immediate":
                children["worker"] = popen_child(
                    [*cli, "worker"],
                    new_session=True,
                    death_signal=signal.SIGTERM,
                    stdout=log,
                    stderr=subprocess.STDOUT if log else None,
                )
            # The periodic jobs (deadline sweep, outbox retries): congdoan/periodic.
            children["scheduler"] = popen_child(
                [*cli, "scheduler"],
                new_session=True,
                death_signal=signal.SIGTERM,
                stdout=log,
                stderr=subprocess.STDOUT if log else None,
            )
            web = [*cli, "runserver", *([] if reload else ["--noreload"]), addrport]
            children["web"] = popen_child(web, new_session=True, death_signal=signal.SIGTERM)
            ended = self._wait(children, stop)
        finally:
            self._stop(children)
            if log is not None:
                log.close()
        if ended:
            labels = {
                "worker": _("Tiến trình nền"),
                "web": _("Máy chủ web"),
                "scheduler": _("Bộ lập lịch"),
            }
            name = labels.get(ended, ended)
            raise CommandError(
                _("%(name)s đã dừng bất ngờ (mã %(code)s).")
                % {"name": name, "code": children[ended].returncode}
            )
        self.stdout.write(_("Đã dừng Công Đoàn Số."))

    def _wait(self, children: dict[str, subprocess.Popen[Any]], stop: list[int]) -> str:
        """Until a stop signal (answer "") or a child ending by itself (answer its name)."""
        while not stop:
            for name, child in children.items():
                if child.poll() is not None:
                    return name
            time.sleep(0.2)
        return ""

    def _stop(self, children: dict[str, subprocess.Popen[Any]]) -> None:
        """One SIGTERM to each child's group; SIGKILL for what is left after the worker's grace."""
        for child in children.values():
            if child.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + settings.WORKER_STOP_GRACE_SECONDS + 5
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait()
