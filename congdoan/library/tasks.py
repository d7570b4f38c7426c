"""Background work of the library (django-tasks): reading on "default", OCR on "ocr"."""

from __future__ import annotations

from django_tasks import task

from congdoan.library import services


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
    """Bring the optional external search index (LIBRARY_SEARCH_ENGINE=tantivy) in step."""
    from datetime import datetime

    from congdoan.library import engine

    engine.sync(requested_at=datetime.fromisoformat(requested_at) if requested_at else None)
