"""`congdoan serve` (what `make demo` runs): the web server and the worker together; one Ctrl+C
stops both with one line and exit status 0 (issue 11.3: it ended in "Segmentation fault")."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from congdoan.core.models import WorkerHeartbeat
from congdoan.core.tests.test_tasks_worker import _database_url

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] not in {"Z", "X"}:
            found.append(int(stat.parent.name))
    return found


def test_ctrl_c_stops_the_web_server_and_the_worker_in_one_line(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=_database_url(),
        TASKS_BACKEND="database",
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="congdoan.config.settings",
        WORKER_HEARTBEAT_SECONDS="0.5",
    )
    env.pop("REDIS_URL", None)
    log = tmp_path / "worker.log"
    serve = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "congdoan.config.cli",
            "serve",
            "--worker-log",
            str(log),
            f"127.0.0.1:{port}",
        ],
        env=env,
        cwd=django_settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz?chi=web", timeout=2):
                    break
            except urllib.error.HTTPError:
                break  # it answers: up (whatever the health of what is behind it)
            except OSError:
                assert serve.poll() is None and time.monotonic() < deadline, (
                    "the web server did not start"
                )
                time.sleep(0.3)
        while not WorkerHeartbeat.objects.exists():
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.2)
        children = _children_of(serve.pid)
        assert len(children) >= 2  # the web server, the worker (and the scheduler)

        # Ctrl+C in a terminal: SIGINT to the whole foreground group.
        os.killpg(serve.pid, signal.SIGINT)
        out, _ = serve.communicate(timeout=30)
    finally:
        if serve.poll() is None:
            serve.kill()

    assert serve.returncode == 0
    # The runserver's banner comes first; what the stop adds is one line.
    assert out.strip().splitlines()[-1] == "Đã dừng Công Đoàn Số."
    assert out.count("Đã dừng") == 1
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
    assert log.read_text().count("tiến trình nền dừng") == 1
    assert not WorkerHeartbeat.objects.exists()
