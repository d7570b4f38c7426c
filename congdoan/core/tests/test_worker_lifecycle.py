"""The worker's life with the database backend, on real worker processes: a worker killed with
SIGKILL mid-task has its task finished by the next one, its children die with it, and a stop
(SIGINT, SIGTERM) is one line and exit status 0."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorkerBase
from django_tasks_db.models import DBTaskResult

from congdoan.core.models import WorkerHeartbeat
from congdoan.core.tests import worker_tasks
from congdoan.core.tests.test_tasks_worker import _database_url
from congdoan.core.workers import DatabaseWorker, WorkerLost, reclaim_dead_workers
from congdoan.web.tasks import worker_ping

pytestmark = pytest.mark.django_db(transaction=True)

STOP_LINE = "tiến trình nền dừng"


class Worker:
    """A `congdoan worker` process whose output is collected line by line."""

    def __init__(self, env: dict[str, str], *extra: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "congdoan.config.cli", "worker", *extra],
            env=env,
            cwd=django_settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.proc.poll() is None or time.monotonic() < deadline, "".join(self.lines)
            assert time.monotonic() < deadline, f"no {text!r} in:\n" + "".join(self.lines)
            time.sleep(0.1)

    def finish(self, timeout: float = 60) -> tuple[int, str]:
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code, "".join(self.lines)


@pytest.fixture
def start_worker(settings: Any, tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": list(django_settings.TASK_QUEUES),
        }
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=_database_url(),
        TASKS_BACKEND="database",
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="congdoan.config.settings",
        WORKER_HEARTBEAT_SECONDS="0.5",
        WORKER_STOP_GRACE_SECONDS="1",
        WORKER_POLL_SECONDS="0.2",
    )
    env.pop("REDIS_URL", None)
    started: list[Worker] = []

    def start(*extra: str) -> Worker:
        worker = Worker(env, *extra)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.proc.poll() is None:
            worker.proc.kill()
        worker.proc.wait(timeout=10)


def _wait_until(check: Callable[[], bool], timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in {"Z", "X"}


def test_task_of_a_worker_killed_mid_task_is_finished_by_the_next_worker(start_worker, tmp_path):
    marker = tmp_path / "runs.txt"
    result = worker_tasks.hold_first_time.enqueue(str(marker))
    first = start_worker()
    _wait_until(lambda: marker.exists(), what="the first run")
    assert WorkerHeartbeat.objects.get(pid=first.proc.pid).task_id == result.id
    os.kill(first.proc.pid, signal.SIGKILL)
    first.proc.wait(timeout=10)
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING

    second = start_worker("--batch")
    code, output = second.finish(timeout=90)

    assert code == 0, output
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL, row.traceback
    assert row.return_value == second.proc.pid
    assert marker.read_text().split() == [str(first.proc.pid), str(second.proc.pid)]
    assert len(row.worker_ids) == 2
    # The dead worker's heartbeat is gone; so is the one of the worker that stopped cleanly.
    assert not WorkerHeartbeat.objects.exists()


def test_a_child_process_dies_with_its_killed_worker(start_worker, tmp_path):
    marker = tmp_path / "child.txt"
    worker_tasks.hold_with_a_child.enqueue(str(marker))
    worker = start_worker()
    _wait_until(lambda: marker.exists() and marker.read_text().strip() != "", what="the child")
    child = int(marker.read_text())
    assert _alive(child)

    os.kill(worker.proc.pid, signal.SIGKILL)
    worker.proc.wait(timeout=10)

    _wait_until(lambda: not _alive(child), timeout=10, what="the child to die")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_idle_worker_stops_on_a_signal_with_one_line_and_status_zero(start_worker, signum):
    worker = start_worker()
    worker.wait_for("Starting worker")
    _wait_until(lambda: WorkerHeartbeat.objects.exists(), what="the heartbeat")
    worker.proc.send_signal(signum)
    time.sleep(0.1)
    worker.proc.send_signal(
        signal.SIGTERM
    )  # a second signal (as a supervisor sends) changes nothing

    code, output = worker.finish(timeout=20)

    assert code == 0, output
    assert output.count(STOP_LINE) == 1, output
    assert [line for line in output.splitlines() if "Starting worker" not in line] == [
        f"Nhận {signal.Signals(signum).name}: {STOP_LINE}."
    ]
    assert not WorkerHeartbeat.objects.exists()


def test_a_busy_worker_stopped_puts_its_task_back_in_the_queue(start_worker, tmp_path):
    marker = tmp_path / "runs.txt"
    result = worker_tasks.hold_first_time.enqueue(str(marker))
    worker = start_worker()
    _wait_until(lambda: marker.exists(), what="the task to start")

    worker.proc.send_signal(signal.SIGINT)  # the task holds on past the 1 s grace
    code, output = worker.finish(timeout=20)

    assert code == 0, output
    assert output.count(STOP_LINE) == 1, output
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY  # not FAILED: the next worker runs it
    code, output = start_worker("--batch").finish(timeout=60)
    assert code == 0, output
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL


def _running_task_of(worker_id: str, tmp_path: Path, *, claims: int = 1) -> str:
    result = worker_tasks.hold_first_time.enqueue(str(tmp_path / "never.txt"))
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now(),
        worker_ids=[f"earlier-{n}" for n in range(claims - 1)] + [worker_id],
    )
    return result.id


def _heartbeat(
    worker_id: str, *, seconds_ago: float, host: str = "another-machine", pid: int = 4242
) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        id=worker_id,
        host=host,
        pid=pid,
        backend="database",
        queues="default",
        started_at=now - timedelta(hours=1),
        last_seen=now - timedelta(seconds=seconds_ago),
    )


def test_a_silent_worker_on_another_machine_loses_its_tasks_only_once_stale(
    start_worker, settings, tmp_path
):
    settings.WORKER_STALE_SECONDS = 30
    _heartbeat("elsewhere", seconds_ago=10)
    task_id = _running_task_of("elsewhere", tmp_path)

    assert reclaim_dead_workers().requeued == []
    WorkerHeartbeat.objects.filter(pk="elsewhere").update(
        last_seen=timezone.now() - timedelta(seconds=31)
    )
    outcome = reclaim_dead_workers()

    assert outcome.requeued == [task_id] and outcome.workers == ["elsewhere"]
    assert DBTaskResult.objects.get(pk=task_id).status == TaskResultStatus.READY
    assert not WorkerHeartbeat.objects.exists()


def test_a_task_that_killed_its_worker_too_often_is_failed_not_retried(
    start_worker, settings, tmp_path
):
    settings.WORKER_MAX_CLAIMS = 3
    _heartbeat("elsewhere", seconds_ago=3600)
    task_id = _running_task_of("elsewhere", tmp_path, claims=3)

    assert reclaim_dead_workers().failed == [task_id]

    row = DBTaskResult.objects.get(pk=task_id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == f"{WorkerLost.__module__}.WorkerLost"


def test_a_live_workers_task_is_left_alone(start_worker, tmp_path):
    _heartbeat("alive-here", seconds_ago=0, host=socket.gethostname(), pid=os.getpid())
    task_id = _running_task_of("alive-here", tmp_path)

    assert reclaim_dead_workers().requeued == []
    assert DBTaskResult.objects.get(pk=task_id).status == TaskResultStatus.RUNNING


def test_a_dead_pid_in_another_pid_namespace_is_not_taken_for_a_dead_worker(
    start_worker, settings, tmp_path
):
    # Two containers with one host name (Docker's host network): their pids are not ours to test.
    settings.WORKER_STALE_SECONDS = 30
    _heartbeat("container-b", seconds_ago=1, host=socket.gethostname(), pid=4_000_000)
    WorkerHeartbeat.objects.filter(pk="container-b").update(pid_namespace="pid:[1]")
    task_id = _running_task_of("container-b", tmp_path)

    assert reclaim_dead_workers().requeued == []
    WorkerHeartbeat.objects.filter(pk="container-b").update(
        pid_namespace=os.readlink("/proc/self/ns/pid")
    )
    assert reclaim_dead_workers().requeued == [task_id]  # same namespace: pid 4000000 is gone


def test_a_task_of_a_worker_that_kept_no_heartbeat_is_taken_back_once_it_ran_stale_seconds(
    start_worker, settings, tmp_path
):
    # e.g. left RUNNING by a worker of the version before heartbeats, killed at the upgrade.
    settings.WORKER_STALE_SECONDS = 30
    task_id = _running_task_of("worker-without-heartbeat", tmp_path)

    assert reclaim_dead_workers().requeued == []  # it may be running right now
    DBTaskResult.objects.filter(pk=task_id).update(
        started_at=timezone.now() - timedelta(seconds=31)
    )

    assert reclaim_dead_workers().requeued == [task_id]
    assert DBTaskResult.objects.get(pk=task_id).status == TaskResultStatus.READY


def test_a_worker_goes_on_when_the_database_cuts_its_connections(start_worker):
    """As a PostgreSQL restart does: every connection of the worker is cut under it."""
    if connection.vendor != "postgresql":
        pytest.skip("cutting a worker's connections needs PostgreSQL (pg_terminate_backend)")
    worker = start_worker()
    worker.wait_for("Starting worker")
    _wait_until(lambda: WorkerHeartbeat.objects.exists(), what="the heartbeat")
    time.sleep(0.5)  # the worker has polled with the connection about to be cut

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    worker.wait_for("mất kết nối cơ sở dữ liệu", timeout=30)
    result = worker_ping.enqueue("after the cut")
    _wait_until(
        lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL,
        timeout=30,
        what="the task after the cut",
    )

    assert worker.proc.poll() is None, "".join(worker.lines)
    worker.proc.send_signal(signal.SIGTERM)
    code, output = worker.finish(timeout=20)
    assert code == 0, output
    assert "Traceback" not in output, output


def test_a_database_error_out_of_the_polling_loop_puts_the_claim_back_and_the_worker_goes_on(
    monkeypatch, settings
):
    """On any database: the error a restart raises in django-tasks-db's loop, injected once,
    after the worker claimed a task and before it could record anything."""
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": list(django_settings.TASK_QUEUES),
        }
    }
    result = worker_ping.enqueue("claimed when the database went away")
    worker = DatabaseWorker(
        queue_names=["default"],
        interval=0.1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="cut-worker",
        excluded_queue_names=[],
    )
    loop = DatabaseWorkerBase.run
    calls: list[int] = []

    def loop_cut_once(self: DatabaseWorker) -> None:
        calls.append(1)
        if len(calls) == 1:
            DBTaskResult.objects.filter(pk=result.id).update(
                status=TaskResultStatus.RUNNING,
                started_at=timezone.now(),
                worker_ids=["cut-worker"],
            )
            raise OperationalError("server closed the connection unexpectedly")
        loop(self)

    monkeypatch.setattr(DatabaseWorkerBase, "run", loop_cut_once)

    worker.run()

    assert len(calls) == 2
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL, row.traceback
    assert row.worker_ids == ["cut-worker", "cut-worker"]
    assert not WorkerHeartbeat.objects.exists()
