"""The real worker process (`congdoan worker --batch`, database backend) reads and OCRs
uploads on queues "default" and "ocr", and picks up a page a killed worker left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from congdoan.library import ocr
from congdoan.library.models import Document, Page, PageStatus, Status
from congdoan.library.tests import helpers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.tesseract]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db.get("USER") or "") + "@" if db.get("USER") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or ''}{port}/{db['NAME']}"


@pytest.fixture
def worker(settings: Any) -> Any:
    reason = ocr.unavailable_reason()
    if reason:
        pytest.skip(f"Tesseract with the Vietnamese model is not installed: {reason}")
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(django_settings.TASK_QUEUES)}}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=_database_url(), TASKS_BACKEND="database", MEDIA_ROOT=str(settings.MEDIA_ROOT),
               DJANGO_SETTINGS_MODULE="congdoan.config.settings", LIBRARY_OCR_STALE_SECONDS="60")
    env.pop("REDIS_URL", None)

    def run_batch() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "congdoan.config.cli", "worker", "--batch"], env=env, cwd=django_settings.BASE_DIR,
            capture_output=True, text=True, timeout=180, check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    return run_batch


def test_scan_uploaded_in_a_request_is_ocrd_by_the_worker_process(cast, client_of, worker):
    response = client_of(cast.district_officer).post(
        "/tai-lieu/tai-len/", {"files": [SimpleUploadedFile("scan.png", helpers.png(noise=0.3))], "unit": cast.district.pk, "visibility": "unit"},
    )
    assert response.status_code == 200
    doc = Document.objects.get()
    assert doc.status == Status.PENDING  # nothing runs in the request
    worker()
    doc.refresh_from_db()
    assert doc.status == Status.READY, doc.error
    assert doc.number == "21/KH-LĐLĐ" and doc.searchable_pdf


def test_worker_resumes_a_page_a_killed_worker_left_processing(cast, client_of, worker):
    client_of(cast.district_officer).post(
        "/tai-lieu/tai-len/", {"files": [SimpleUploadedFile("scan.png", helpers.png(width=900))], "unit": cast.district.pk, "visibility": "unit"},
    )
    worker()
    doc = Document.objects.get()
    assert doc.status == Status.READY
    # As if a worker had died in the middle of page 1, a while ago, with no task left queued.
    long_ago = timezone.now() - timedelta(hours=1)
    Page.objects.filter(document=doc).update(status=PageStatus.PROCESSING, started_at=long_ago, text="")
    Document.objects.filter(pk=doc.pk).update(status=Status.OCR, updated_at=long_ago)
    other = helpers.docx_bytes(["Thông báo"])
    client_of(cast.district_officer).post("/tai-lieu/tai-len/", {"files": [SimpleUploadedFile("tb.docx", other)], "unit": cast.district.pk, "visibility": "unit"})
    worker()  # the new upload's task notices the stale document and re-queues it
    doc.refresh_from_db()
    page = doc.pages.get()
    assert doc.status == Status.READY and page.status == PageStatus.DONE and page.attempts == 2
