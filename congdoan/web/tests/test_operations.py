"""The health check for load balancers (/healthz) and the administrators' page of workers,
queues and failed tasks, with an audited retry button."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from congdoan.audit.models import AuditEntry
from congdoan.core.models import WorkerHeartbeat
from congdoan.core.tests import worker_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings: Any) -> None:
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": list(django_settings.TASK_QUEUES),
        }
    }


def _worker(seconds_ago: float = 1, **fields: Any) -> WorkerHeartbeat:
    now = timezone.now()
    values = {
        "id": "w1",
        "host": "worker-1",
        "pid": 123,
        "backend": "database",
        "queues": "default,ocr",
        "started_at": now - timedelta(hours=1),
        "last_seen": now - timedelta(seconds=seconds_ago),
    }
    values.update(fields)
    return WorkerHeartbeat.objects.create(**values)


def test_health_is_ok_with_a_live_worker_and_an_empty_queue(client, database_tasks):
    _worker(seconds_ago=2)

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "workers", "queues"}
    assert body["checks"]["workers"]["count"] == 1
    assert body["checks"]["workers"]["last_heartbeat_age_s"] >= 2
    assert body["checks"]["queues"] == {"ok": True, "queued": 0, "oldest_queued_age_s": None}
    # Nothing a stranger should learn: no host name, no pid.
    assert "worker-1" not in response.content.decode() and "123" not in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_is_503_when_no_worker_has_beaten_lately(client, database_tasks, settings, caplog):
    settings.WORKER_STALE_SECONDS = 30
    _worker(seconds_ago=120)

    with caplog.at_level(logging.INFO):
        response = client.get("/healthz")

    assert response.status_code == 503
    workers = response.json()["checks"]["workers"]
    assert (
        workers["ok"] is False and workers["count"] == 0 and workers["last_heartbeat_age_s"] >= 120
    )
    # A warning naming the check, not an error mailed to the admins at every probe.
    assert [
        (r.levelname, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING
    ] == [("WARNING", "healthz: workers")]
    # The web side alone is still fine: a load balancer may ask for only that.
    assert client.get("/healthz?only=web").status_code == 200
    # ?chi=web, the name load balancers were configured with before, means the same.
    assert client.get("/healthz?chi=web").status_code == 200


def test_health_is_503_when_a_task_waits_too_long(client, database_tasks, settings):
    settings.HEALTH_MAX_QUEUE_AGE_SECONDS = 600
    _worker()
    result = worker_tasks.hold_first_time.enqueue("/nonexistent")
    assert client.get("/healthz").status_code == 200
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=11)
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    queues = response.json()["checks"]["queues"]
    assert queues["ok"] is False and queues["queued"] == 1 and queues["oldest_queued_age_s"] >= 660


def test_operations_page_is_for_administrators_only(client, cast, client_of):
    assert client.get("/quan-tri/tien-trinh-nen/").status_code == 302
    assert client_of(cast.district_officer).get("/quan-tri/tien-trinh-nen/").status_code == 403
    assert client_of(cast.admin).get("/quan-tri/tien-trinh-nen/").status_code == 200


def _failed_task() -> str:
    result = worker_tasks.hold_first_time.enqueue("/nonexistent")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="builtins.OSError",
        traceback="Traceback…\nOSError: disk full\n",
        worker_ids=["a", "b", "c"],
    )
    return str(result.id)


def test_operations_page_lists_workers_queues_and_failed_tasks(cast, client_of, database_tasks):
    _worker(task_name="congdoan.library.tasks.process_document")
    task_id = _failed_task()

    page = client_of(cast.admin).get("/quan-tri/tien-trinh-nen/").content.decode()

    assert 'data-worker="w1"' in page and "worker-1" in page and "process_document" in page
    assert 'data-queue="default"' in page and 'data-queue="ocr"' in page
    assert f'data-task="{task_id}"' in page and "OSError: disk full" in page


def test_operations_page_marks_a_worker_silent_past_the_stale_time(cast, client_of, settings):
    settings.WORKER_STALE_SECONDS = 30
    _worker(seconds_ago=5)
    _worker(seconds_ago=120, id="w2")

    page = client_of(cast.admin).get("/quan-tri/tien-trinh-nen/").content.decode()

    live, silent = (
        page.split(f'data-worker="{w}"', 1)[1].split("</tr>", 1)[0] for w in ("w1", "w2")
    )
    assert "giây trước" in live and "im lặng" not in live
    assert "im lặng" in silent and "giây trước" not in silent


def test_administrator_retries_a_failed_task_and_it_is_audited(cast, client_of, database_tasks):
    task_id = _failed_task()
    admin = client_of(cast.admin)

    response = admin.post(f"/quan-tri/tien-trinh-nen/{task_id}/chay-lai/")

    assert response.status_code == 302
    row = DBTaskResult.objects.get(pk=task_id)
    assert row.status == TaskResultStatus.READY and row.traceback == "" and row.worker_ids == []
    entry = AuditEntry.objects.get(action="tasks.retry")
    assert entry.actor == cast.admin and entry.changes["task"] == task_id
    assert entry.changes["error"] == "builtins.OSError"
    # Twice is once: the second press finds no failed task.
    admin.post(f"/quan-tri/tien-trinh-nen/{task_id}/chay-lai/")
    assert AuditEntry.objects.filter(action="tasks.retry").count() == 1


def test_only_an_administrator_can_retry(cast, client_of, database_tasks):
    task_id = _failed_task()

    assert (
        client_of(cast.district_officer)
        .post(f"/quan-tri/tien-trinh-nen/{task_id}/chay-lai/")
        .status_code
        == 403
    )
    assert DBTaskResult.objects.get(pk=task_id).status == TaskResultStatus.FAILED
