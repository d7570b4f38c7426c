from __future__ import annotations

from io import StringIO
from typing import Any

import pytest

from congdoan.library import selectors
from congdoan.library.models import Document, DocumentLink, Status
from congdoan_dev.demo import library as demo
from congdoan_dev.demo import orgs as orgs_demo

pytestmark = pytest.mark.django_db


def test_demo_library_is_linked_searchable_and_idempotent(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LIBRARY_TESSERACT = (
        "khong-co-tesseract"  # scans wait for the worker; keep this test fast
    )
    orgs_demo.seed()
    with django_capture_on_commit_callbacks(execute=False):
        demo.seed(stdout=StringIO())
    total = Document.objects.count()
    assert total >= 30
    assert Document.objects.filter(status=Status.READY).count() >= total - len(demo.SCANS)
    assert DocumentLink.objects.filter(target__isnull=False).count() >= 20
    assert DocumentLink.objects.filter(
        target__isnull=True, cited_number="96/KH-LĐLĐ"
    ).exists()  # cited, not in the library
    plan = Document.objects.get(number="21/KH-LĐLĐ")
    assert plan.cited_by.count() >= 5 and plan.doc_type == "ke_hoach"
    restored = Document.objects.get(original_name="TB-16-LDLD-ocr-cu-mat-dau.txt")
    assert restored.is_restored and restored.text != restored.text_before_restore
    from congdoan.accounts.models import User

    admin = User.objects.get(email="admin@congdoan.vn")
    assert selectors.search_documents(viewer=admin, query="ke hoach truyen thong").total >= 3
    _rows, overall = selectors.digitisation_indicator(viewer=admin)
    assert overall.total == total and 0 < (overall.shared_pct or 0) < 100
    demo.seed()
    assert Document.objects.count() == total


def test_demo_library_spans_years_and_no_date_is_in_the_future(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import timezone

    settings.LIBRARY_TESSERACT = "khong-co-tesseract"
    orgs_demo.seed()
    with django_capture_on_commit_callbacks(execute=False):
        demo.seed(stdout=StringIO())
    now = timezone.now()
    docs = list(Document.objects.all())
    assert {d.issued_on.year for d in docs if d.issued_on} >= {2022, 2023, 2024, 2025, 2026}
    assert len({d.created_at.year for d in docs}) >= 4
    assert all(
        d.created_at <= now and (d.issued_on is None or d.issued_on <= now.date()) for d in docs
    )
    assert all(d.issued_on is None or d.created_at.date() >= d.issued_on for d in docs)
