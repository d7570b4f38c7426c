"""With Redis/RQ: the job of a worker killed with SIGKILL is not lost — its work horse dies
with it, and once RQ finds the job abandoned the next worker runs it again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import django_rq
import pytest
from django.conf import settings as django_settings
from django_tasks import TaskResultStatus, default_task_backend

from congdoan import testing
from congdoan.core.tests import worker_tasks
from congdoan.core.tests.test_tasks_worker import REDIS_URL_FOR_TESTS, _database_url

pytestmark = pytest.mark.django_db(transaction=True)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in {"Z", "X"}


def _wait_until(check: Any, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_job_of_a_killed_rq_worker_is_requeued_and_finished_by_the_next(
    settings: Any, tmp_path: Path
) -> None:
    testing.require("redis", testing.redis_unreachable(REDIS_URL_FOR_TESTS))
    settings.TASKS_BACKEND = "rq"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": list(django_settings.TASK_QUEUES),
        }
    }
    settings.RQ_QUEUES = {
        name: {"URL": REDIS_URL_FOR_TESTS} for name in django_settings.TASK_QUEUES
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=_database_url(),
        TASKS_BACKEND="rq",
        REDIS_URL=REDIS_URL_FOR_TESTS,
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="congdoan.config.settings",
    )
    command = [sys.executable, "-m", "congdoan.config.cli", "worker", "--queues", "default"]
    marker = tmp_path / "runs.txt"
    result = worker_tasks.hold_first_time.enqueue(str(marker))

    first = subprocess.Popen(
        command,
        env=env,
        cwd=django_settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_until(lambda: marker.exists() and marker.read_text().strip(), what="the job to start")
        horse = int(marker.read_text().split()[0])  # the task records the pid of the work horse
        assert horse != first.pid and _alive(horse)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        _wait_until(
            lambda: not _alive(horse), timeout=10, what="the work horse to die with its worker"
        )
    finally:
        if first.poll() is None:
            first.kill()

    # RQ finds the job abandoned once its execution heartbeat expires (about 90 s after the
    # death); move its clock instead of waiting.
    queue = django_rq.get_queue("default")
    queue.started_job_registry.cleanup(timestamp=time.time() + 1000)
    assert result.id in queue.failed_job_registry.get_job_ids()

    done = subprocess.run(
        [*command, "--batch"],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    final = default_task_backend.get_result(result.id)
    assert final.status == TaskResultStatus.SUCCESSFUL, done.stdout + done.stderr
    assert len(marker.read_text().split()) == 2
