"""Background work of the library (django-tasks): reading on "default", OCR on "ocr"."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from congdoan.library import engine, services


@task()
def process_document(document_id: int) -> None:
    services.document_process(document_id=document_id)
    services.resume_interrupted()


@task(queue_name="ocr")
def ocr_document(document_id: int) -> None:
    services.document_ocr_step(document_id=document_id)
    services.resume_interrupted()


@task()
def sync_search_index(requested_at: str | None = None) -> None:
    """Bring the optional external search index (LIBRARY_SEARCH_ENGINE=tantivy) in step.

    When another worker's sync holds the index, this one is queued again a few seconds later
    (with the same `requested_at`, so it does nothing if that sync covered the change) rather
    than holding its worker while it waits; a backend that cannot defer a task (the tests'
    "immediate") waits for the lock instead.
    """
    when = datetime.fromisoformat(requested_at) if requested_at else None
    deferrable = sync_search_index.get_backend().supports_defer
    try:
        engine.sync(requested_at=when, wait=not deferrable)
    except engine.IndexBusy:
        later = timezone.now() + timedelta(seconds=engine.BUSY_RETRY_SECONDS)
        sync_search_index.using(run_after=later).enqueue(requested_at=requested_at)
