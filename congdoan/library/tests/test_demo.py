from __future__ import annotations

from io import StringIO

import pytest

from congdoan.library import demo, selectors
from congdoan.library.models import Document, DocumentLink, Status
from congdoan.orgs import demo as orgs_demo

pytestmark = pytest.mark.django_db


def test_demo_library_is_linked_searchable_and_idempotent(settings, django_capture_on_commit_callbacks):
    settings.LIBRARY_TESSERACT = "khong-co-tesseract"  # scans wait for the worker; keep this test fast
    orgs_demo.seed()
    with django_capture_on_commit_callbacks(execute=False):
        demo.seed(stdout=StringIO())
    total = Document.objects.count()
    assert total >= 30
    assert Document.objects.filter(status=Status.READY).count() >= total - len(demo.SCANS)
    assert DocumentLink.objects.filter(target__isnull=False).count() >= 20
    assert DocumentLink.objects.filter(target__isnull=True, cited_number="96/KH-LĐLĐ").exists()  # cited, not in the library
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
