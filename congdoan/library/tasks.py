"""Background work of the library (django-tasks): reading on "default", OCR on "ocr".

Each task is a thin wrapper: it runs one step of the pipeline (pipeline.py), queues what the
step says comes next once the step's transaction commits (`queue_next`), then takes up any
work a killed worker left behind (`resume_interrupted`). Services (writes on behalf of
people) queue the first step. Dependencies point one way: services → tasks → pipeline → ocr,
metadata, links, search; nothing below imports the tasks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from congdoan.library import pipeline
from congdoan.library.pipeline import Next
from congdoan.library.search import engine


@task()
def process_document(document_id: int) -> None:
    queue_next(document_id, pipeline.document_process(document_id=document_id))
    resume_interrupted()


@task(queue_name="ocr")
def ocr_document(document_id: int) -> None:
    queue_next(document_id, pipeline.document_ocr_step(document_id=document_id).next)
    resume_interrupted()


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


def schedule_index_sync() -> None:
    """After a commit that changed what is indexed: enqueue a sync when the engine is on."""
    if not engine.enabled():
        return
    sync_search_index.enqueue(requested_at=timezone.now().isoformat())


def queue_next(document_id: int, step: Next) -> None:
    """Queue what a pipeline step said comes next, once the current transaction commits."""
    if step is Next.PROCESS:
        transaction.on_commit(lambda: process_document.enqueue(document_id))
    elif step is Next.OCR:
        transaction.on_commit(lambda: ocr_document.enqueue(document_id))
    elif step is Next.INDEX:
        transaction.on_commit(schedule_index_sync)


def resume_interrupted() -> int:
    """Queue again the documents a killed worker left behind; returns how many."""
    resumed = pipeline.resume_interrupted()
    for document_id, step in resumed:
        (process_document if step is Next.PROCESS else ocr_document).enqueue(document_id)
    return len(resumed)
