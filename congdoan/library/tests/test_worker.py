"""The real worker process (`congdoan worker --batch`, database backend) reads and OCRs
uploads on queues "default" and "ocr", and picks up a page a killed worker left behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pymupdf
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from congdoan.library.models import Document, Page, PageStatus, Status
from congdoan.library.tests import helpers

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db.get("USER") or "") + "@" if db.get("USER") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or ''}{port}/{db['NAME']}"


@pytest.fixture
def worker_env(settings: Any) -> Any:
    """The environment of a worker process on the test database; tasks queued in the database."""
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": list(django_settings.TASK_QUEUES),
        }
    }

    def make(**extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.update(
            DATABASE_URL=_database_url(),
            TASKS_BACKEND="database",
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            DJANGO_SETTINGS_MODULE="congdoan.config.settings",
            LIBRARY_OCR_STALE_SECONDS="60",
            **extra,
        )
        env.pop("REDIS_URL", None)
        return env

    return make


def blank_pages(count: int) -> bytes:
    """A PDF of `count` A4 pages without text: every page goes to OCR."""
    doc = pymupdf.open()
    for _ in range(count):
        doc.new_page(width=595, height=842).draw_rect(
            pymupdf.Rect(50, 50, 200, 80), color=(0, 0, 0)
        )
    data = doc.tobytes()
    doc.close()
    return data


@pytest.fixture
def worker(worker_env: Any) -> Any:
    env = worker_env()

    def run_batch() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "congdoan.config.cli", "worker", "--batch"],
            env=env,
            cwd=django_settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    return run_batch


@pytest.mark.tesseract
def test_scan_uploaded_in_a_request_is_ocrd_by_the_worker_process(cast, client_of, worker):
    response = client_of(cast.district_officer).post(
        "/tai-lieu/tai-len/",
        {
            "files": [SimpleUploadedFile("scan.png", helpers.png(noise=0.3))],
            "unit": cast.district.pk,
            "visibility": "unit",
        },
    )
    assert response.status_code == 200
    doc = Document.objects.get()
    assert doc.status == Status.PENDING  # nothing runs in the request
    worker()
    doc.refresh_from_db()
    assert doc.status == Status.READY, doc.error
    assert doc.number == "21/KH-LĐLĐ" and doc.searchable_pdf


@pytest.mark.tesseract
def test_worker_resumes_a_page_a_killed_worker_left_processing(cast, client_of, worker):
    client_of(cast.district_officer).post(
        "/tai-lieu/tai-len/",
        {
            "files": [SimpleUploadedFile("scan.png", helpers.png(width=900))],
            "unit": cast.district.pk,
            "visibility": "unit",
        },
    )
    worker()
    doc = Document.objects.get()
    assert doc.status == Status.READY
    # As if a worker had died in the middle of page 1, a while ago, with no task left queued.
    long_ago = timezone.now() - timedelta(hours=1)
    Page.objects.filter(document=doc).update(
        status=PageStatus.PROCESSING, started_at=long_ago, text=""
    )
    Document.objects.filter(pk=doc.pk).update(status=Status.OCR, updated_at=long_ago)
    other = helpers.docx_bytes(["Thông báo"])
    client_of(cast.district_officer).post(
        "/tai-lieu/tai-len/",
        {
            "files": [SimpleUploadedFile("tb.docx", other)],
            "unit": cast.district.pk,
            "visibility": "unit",
        },
    )
    worker()  # the new upload's task notices the stale document and re-queues it
    doc.refresh_from_db()
    page = doc.pages.get()
    assert doc.status == Status.READY and page.status == PageStatus.DONE and page.attempts == 2


FAKE_TESSERACT = '''#!{python}
"""A stand-in for tesseract: writes its pid where the test sees it, takes {seconds} s a page
(the fourth page it is given: a minute, time enough to be orphaned)."""
import os, sys, time
if "--list-langs" in sys.argv:
    print("List of available languages (2):"); print("eng"); print("vie"); sys.exit(0)
src, base = sys.argv[1], sys.argv[2]
with open(os.path.join({pids!r}, str(os.getpid())), "w") as fh:
    fh.write(src)
time.sleep(60 if len(os.listdir({pids!r})) == 4 else {seconds})
with open(base + ".txt", "w") as fh:
    fh.write("Trang đã đọc")
open(base + ".pdf", "wb").close()
if "tsv" in sys.argv:
    with open(base + ".tsv", "w") as fh:
        fh.write("level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n")
'''


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as fh:  # a zombie has died: only its exit status is left
        return fh.read().split(") ", 1)[1][:1] != "Z"


def _wait(condition: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="children die with their worker through Linux's PR_SET_PDEATHSIG",
)
def test_a_worker_killed_on_page_4_leaves_nothing_behind_and_the_next_resumes_at_page_4(
    cast, client_of, settings, tmp_path, worker_env
):
    pids = tmp_path / "tesseract-pids"
    pids.mkdir()
    fake = tmp_path / "tesseract"
    fake.write_text(FAKE_TESSERACT.format(python=sys.executable, seconds=0.5, pids=str(pids)))
    fake.chmod(0o755)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = worker_env(LIBRARY_TESSERACT=str(fake), LIBRARY_OCR_DETECT_ROTATION="0", TMPDIR=str(temp))
    pdf = blank_pages(6)
    client_of(cast.district_officer).post(
        "/tai-lieu/tai-len/",
        {
            "files": [SimpleUploadedFile("sau-trang.pdf", pdf)],
            "unit": cast.district.pk,
            "visibility": "unit",
        },
    )
    doc = Document.objects.get()
    command = [sys.executable, "-m", "congdoan.config.cli", "worker"]
    first = subprocess.Popen(
        command,
        env=env,
        cwd=django_settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(
            lambda: (
                Page.objects.filter(document=doc, number=4, status=PageStatus.PROCESSING).exists()
                and len(list(pids.iterdir())) == 4
            )
        )
        reading_page_4 = int(max(pids.iterdir(), key=lambda p: p.stat().st_mtime_ns).name)
        first.kill()  # SIGKILL: no cleanup of its own
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert [p.status for p in doc.pages.order_by("number")][:4] == [PageStatus.DONE] * 3 + [
        PageStatus.PROCESSING
    ]
    _wait(
        lambda: not _alive(reading_page_4), 5
    )  # its tesseract (reading for a minute) died with it
    assert any(
        entry.name.startswith(f"congdoan-ocr-{first.pid}-") for entry in temp.iterdir()
    )  # left behind, for now

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
    doc.refresh_from_db()
    pages = list(doc.pages.order_by("number"))
    assert doc.status == Status.READY, doc.error
    assert [p.status for p in pages] == [PageStatus.DONE] * 6
    assert [p.attempts for p in pages] == [1, 1, 1, 2, 1, 1]  # pages 1–3 were not read again
    assert len(list(pids.iterdir())) == 4 + 3
    assert not any(entry.name.startswith(f"congdoan-ocr-{first.pid}-") for entry in temp.iterdir())
