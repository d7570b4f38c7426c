"""A scan uploaded through the web page is read, OCR'd in Vietnamese and described by the real
worker process on Redis (RQ), the backend production uses with REDIS_URL, through both queues
("default", then "ocr")."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congdoan.library.models import Document, PageStatus, Status
from congdoan.library.tests import helpers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.tesseract]


def test_a_scan_uploaded_on_the_web_page_is_ocrd_by_the_rq_worker(
    cast: Any, client_of: Any, rq_worker: Any
) -> None:
    response = client_of(cast.district_officer).post(
        reverse("library:upload"),
        {
            "files": [SimpleUploadedFile("scan.png", helpers.png(noise=0.3))],
            "unit": cast.district.pk,
            "visibility": "unit",
        },
    )
    assert response.status_code == 200
    doc = Document.objects.get()
    assert doc.status == Status.PENDING  # queued in Redis, nothing ran in the request

    rq_worker()

    doc.refresh_from_db()
    assert doc.status == Status.READY, doc.error
    page = doc.pages.get()
    assert page.status == PageStatus.DONE and page.needs_ocr and "Tháng Công nhân" in page.text
    assert doc.number == "21/KH-LĐLĐ" and doc.searchable_pdf
