"""Tasks enqueued in a request run on the real worker process (`congdoan worker`), with the
database backend and with Redis/RQ, and nothing is lost while no worker runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from congdoan import testing
from congdoan.orgs.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


REDIS_URL_FOR_TESTS = testing.REDIS_URL_FOR_TESTS
BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}


def _database_url() -> str:
    """The URL of the database this test uses *now* (pytest-django renamed it to the test one)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "")
    password = quote(db.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or ''}{port}/{db['NAME']}"


@dataclass
class WorkerRig:
    """How to start `congdoan worker` against this test's database and queue."""

    backend: str
    env: dict[str, str]
    started: list[subprocess.Popen[str]] = field(default_factory=list)

    def command(self, *extra: str) -> list[str]:
        return [sys.executable, "-m", "congdoan.config.cli", "worker", *extra]

    def run_batch(self, timeout: float = 90) -> str:
        """Run the worker until the queue is empty; return what it printed."""
        done = subprocess.run(
            self.command("--batch"),
            env=self.env,
            cwd=django_settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    def start(self, ready_marker: str, timeout: float = 60) -> subprocess.Popen[str]:
        """Start a long-running worker and wait until it says it is listening."""
        proc = subprocess.Popen(
            self.command(),
            env=self.env,
            cwd=django_settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.started.append(proc)
        lines: list[str] = []
        seen = threading.Event()

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.append(line)
                if ready_marker in line:
                    seen.set()

        threading.Thread(target=read, daemon=True).start()
        assert seen.wait(timeout), "worker did not start:\n" + "".join(lines)
        return proc


@pytest.fixture(params=sorted(BACKENDS))
def rig(request: pytest.FixtureRequest, settings: Any) -> Iterator[WorkerRig]:
    backend: str = request.param
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=_database_url(),
        TASKS_BACKEND=backend,
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="congdoan.config.settings",
    )
    env.pop("REDIS_URL", None)
    settings.TASKS_BACKEND = backend
    settings.TASKS = {
        "default": {"BACKEND": BACKENDS[backend], "QUEUES": list(django_settings.TASK_QUEUES)}
    }
    if backend == "rq":
        testing.require("redis", testing.redis_unreachable(REDIS_URL_FOR_TESTS))
        env["REDIS_URL"] = REDIS_URL_FOR_TESTS
        settings.RQ_QUEUES = {
            name: {"URL": REDIS_URL_FOR_TESTS} for name in django_settings.TASK_QUEUES
        }
    rig = WorkerRig(backend=backend, env=env)
    yield rig
    for proc in rig.started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def _ask_for_ping(client: Any) -> str:
    response = client.post("/healthz/worker")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "READY"
    return str(body["id"])


def _status(client: Any, result_id: str) -> dict[str, Any]:
    response = client.get(f"/healthz/worker/{result_id}")
    assert response.status_code == 200, response.content
    return dict(response.json())


def test_ping_enqueued_in_a_request_runs_on_the_worker_process(rig, cast, client_of):
    admin = client_of(cast.admin)
    result_id = _ask_for_ping(admin)
    assert _status(admin, result_id)["status"] == "READY"

    rig.run_batch()

    answer = _status(admin, result_id)
    assert answer["status"] == "SUCCESSFUL", answer
    value = answer["return_value"]
    assert value["backend"] == rig.backend
    assert value["pid"] != os.getpid()
    # The worker read the test database: it counted the cast's units.
    assert value["units"] == Unit.objects.count() == 5


def test_task_waits_in_the_queue_while_the_worker_is_killed_and_runs_after_restart(
    rig, cast, client_of
):
    marker = "Listening on" if rig.backend == "rq" else "Starting worker"
    worker = rig.start(ready_marker=marker)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)

    admin = client_of(cast.admin)
    result_id = _ask_for_ping(admin)
    time.sleep(1.5)  # longer than the database worker's polling interval
    assert _status(admin, result_id)["status"] == "READY"

    rig.run_batch()
    assert _status(admin, result_id)["status"] == "SUCCESSFUL"


def test_only_an_administrator_can_ping_the_worker(cast, client_of, client):
    assert client.post("/healthz/worker").status_code == 302
    assert client_of(cast.district_officer).post("/healthz/worker").status_code == 403
    assert client_of(cast.admin).get("/healthz/worker").status_code == 405
