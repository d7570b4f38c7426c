"""From upload to a described, linked, searchable document; OCR with the real Tesseract."""

from __future__ import annotations

from datetime import date, timedelta

import pymupdf
import pytest
from django.utils import timezone

from congdoan import testing
from congdoan.audit.models import AuditEntry
from congdoan.library import ocr, pipeline, services, tasks
from congdoan.library.models import Document, DocumentLink, Page, PageStatus, Status
from congdoan.library.render import PaperDocument
from congdoan.library.tests import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs_tesseract() -> None:
    testing.require("tesseract", ocr.unavailable_reason())


def upload(run_on_commit, cast, name: str, data: bytes, unit=None, **kw) -> Document:
    doc = run_on_commit(
        services.document_upload,
        actor=cast.district_officer,
        unit=unit or cast.district,
        name=name,
        data=data,
        **kw,
    )
    doc.refresh_from_db()
    return doc


def test_pdf_with_a_text_layer_is_read_and_described(cast, run_on_commit):
    doc = upload(run_on_commit, cast, "ke-hoach-21.pdf", helpers.text_pdf(helpers.PLAN.as_text()))
    assert doc.status == Status.READY
    assert (
        doc.number == "21/KH-LĐLĐ"
        and doc.doc_type == "ke_hoach"
        and doc.issued_on == date(2025, 6, 5)
    )
    assert (
        doc.issuer == "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN"
        and doc.issuer_parent == "LĐLĐ THÀNH PHỐ HÀ NỘI"
    )
    assert doc.signer == "Nguyễn Văn Hùng" and doc.confidence["number"] >= 0.9
    assert not doc.searchable_pdf  # it had text already: nothing to OCR
    assert AuditEntry.objects.filter(
        action="library.document.upload", object_id=str(doc.pk)
    ).exists()


def test_docx_and_markdown_are_read(cast, run_on_commit):
    docx = upload(
        run_on_commit, cast, "bao-cao.docx", helpers.docx_bytes(helpers.PLAN.as_text().split("\n"))
    )
    md = upload(
        run_on_commit, cast, "ghi-chu.md", "# Ghi chú\n\nHọp **Ban Chấp hành** ngày 3/3.".encode()
    )
    assert docx.status == md.status == Status.READY
    assert docx.number == "21/KH-LĐLĐ" and "Ban Chấp hành" in md.text


def test_text_ocrd_without_vietnamese_is_restored_and_the_original_kept(cast, run_on_commit):
    lost = (
        "Lien doan Lao dong huyen Phu Xuyen to chuc tuyen truyen Thang Cong nhan nam 2025 cho cong nhan lao dong "
        "tai cac doanh nghiep tren dia ban huyen, tap trung vao chinh sach phap luat ve lao dong va cong doan."
    )
    doc = upload(run_on_commit, cast, "ocr-cu.txt", lost.encode())
    assert doc.text_before_restore == lost
    assert doc.text != lost and "Liên đoàn Lao động" in doc.text
    marked = upload(
        run_on_commit,
        cast,
        "co-dau.txt",
        "Liên đoàn Lao động huyện Phú Xuyên tổ chức tuyên truyền Tháng Công nhân năm 2025 cho công nhân lao động tại các doanh nghiệp trên địa bàn huyện.".encode(),
    )
    assert marked.text_before_restore == ""


def test_references_are_linked_both_ways_and_missing_ones_listed(cast, run_on_commit):
    citing = upload(
        run_on_commit,
        cast,
        "21.pdf",
        helpers.text_pdf(
            helpers.PLAN.as_text() + "\nKế hoạch số 45/KH-LĐLĐ ngày 12/3/2025 của Ban Thường vụ."
        ),
    )
    missing = {
        link.cited_number for link in DocumentLink.objects.filter(source=citing, target=None)
    }
    assert missing == {"03/CTr-BCH", "45/KH-LĐLĐ"}
    cited_doc = PaperDocument(
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "LĐLĐ HUYỆN PHÚ XUYÊN",
        "45/KH-LĐLĐ",
        "Phú Xuyên, ngày 12 tháng 3 năm 2025",
        "Kế hoạch",
        "Triển khai Nghị quyết Đại hội",
        ["Nội dung."],
        ["Lưu VP."],
        ["CHỦ TỊCH"],
        "Nguyễn Văn Hùng",
    )
    cited = upload(run_on_commit, cast, "45.txt", cited_doc.as_text().encode())
    link = DocumentLink.objects.get(source=citing, number_key="45/kh-ldld")
    assert link.target_id == cited.pk and link.cited_date == date(2025, 3, 12)
    assert list(cited.cited_by.values_list("source_id", flat=True)) == [citing.pk]


def test_corrections_are_kept_when_the_document_is_read_again(cast, run_on_commit):
    doc = upload(run_on_commit, cast, "21.pdf", helpers.text_pdf(helpers.PLAN.as_text()))
    services.document_correct(
        actor=cast.district_officer,
        document=doc,
        values={"title": "Tuyên truyền Tháng Công nhân 2025 (sửa)", "issued_on": date(2025, 6, 6)},
    )
    pipeline.document_finalize(document_id=doc.pk)
    doc.refresh_from_db()
    assert doc.title == "Tuyên truyền Tháng Công nhân 2025 (sửa)" and doc.issued_on == date(
        2025, 6, 6
    )
    assert doc.confidence["title"] == 1.0 and set(doc.corrected) == {"title", "issued_on"}
    entry = AuditEntry.objects.get(action="library.document.correct")
    assert entry.changes["title"][0] == "Tuyên truyền Tháng Công nhân năm 2025"


@pytest.mark.tesseract
def test_scanned_page_is_ocrd_in_vietnamese_into_a_searchable_pdf(
    cast, run_on_commit, needs_tesseract, settings
):
    settings.LIBRARY_OCR_WORD_CONFIDENCE = True
    doc = upload(run_on_commit, cast, "scan.png", helpers.png(noise=0.0))
    assert doc.status == Status.READY, doc.error
    assert doc.number == "21/KH-LĐLĐ" and doc.title == "Tuyên truyền Tháng Công nhân năm 2025"
    assert "Chương trình số 03/CTr-BCH" in doc.text
    page = doc.pages.get()
    assert page.status == PageStatus.DONE and page.ocr_confidence and page.ocr_confidence > 0.8
    with doc.searchable_pdf.open("rb") as fh, pymupdf.open(stream=fh.read(), filetype="pdf") as pdf:
        assert "Tháng Công nhân" in pdf.load_page(0).get_text()
        assert pdf.load_page(0).get_images()  # the scan itself is there, under the text


@pytest.mark.tesseract
def test_noisy_scan_inside_a_pdf_still_gives_the_metadata(cast, run_on_commit, needs_tesseract):
    doc = upload(run_on_commit, cast, "scan-nhieu.pdf", helpers.image_pdf(helpers.png(noise=1.0)))
    assert doc.status == Status.READY, doc.error
    assert (
        doc.source_kind == "pdf"
        and doc.pages.get().needs_ocr
        and doc.pages.get().ocr_confidence is None
    )
    with doc.searchable_pdf.open("rb") as fh, pymupdf.open(stream=fh.read(), filetype="pdf") as pdf:
        assert pdf.page_count == 1 and "21/KH" in pdf.load_page(0).get_text()
    assert (
        doc.number == "21/KH-LĐLĐ"
        and doc.doc_type == "ke_hoach"
        and doc.issued_on == date(2025, 6, 5)
    )
    assert doc.signer == "Nguyễn Văn Hùng"


def test_missing_tesseract_fails_the_pages_with_a_clear_reason_then_retry_works(
    cast, run_on_commit, settings
):
    ocr._languages.cache_clear()
    settings.LIBRARY_TESSERACT = "khong-co-tesseract"
    doc = upload(run_on_commit, cast, "scan.png", helpers.png(width=400))
    assert doc.status == Status.FAILED
    assert "chưa cài Tesseract" in doc.error and "tesseract-ocr-vie" in doc.error
    assert doc.pages.get().status == PageStatus.FAILED
    settings.LIBRARY_TESSERACT = "tesseract"
    testing.require("tesseract", ocr.unavailable_reason())  # the retry half needs it
    assert run_on_commit(services.document_retry, actor=cast.district_officer, document=doc) == 1
    doc.refresh_from_db()
    assert doc.status == Status.READY and doc.pages.get().status == PageStatus.DONE
    assert AuditEntry.objects.filter(action="library.document.retry").exists()


def test_missing_vietnamese_model_is_named(settings):
    ocr._languages.cache_clear()
    settings.LIBRARY_OCR_LANG = "khongco"
    try:
        reason = ocr.unavailable_reason()
        if reason and "chưa cài Tesseract" in reason:
            testing.missing("tesseract", reason)
        assert reason is not None and "mô hình tiếng Việt" in reason
    finally:
        ocr._languages.cache_clear()


def test_a_page_left_processing_by_a_killed_worker_is_resumed(cast, run_on_commit, settings):
    settings.LIBRARY_TESSERACT = "khong-co-tesseract"  # OCR itself is not what this test is about
    ocr._languages.cache_clear()
    doc = run_on_commit(
        services.document_upload,
        actor=cast.district_officer,
        unit=cast.district,
        name="a.txt",
        data=b"abc",
    )
    Document.objects.filter(pk=doc.pk).update(status=Status.OCR)
    page = Page.objects.create(
        document=doc,
        number=2,
        status=PageStatus.PROCESSING,
        started_at=timezone.now() - timedelta(hours=1),
    )
    fresh = Page.objects.create(
        document=doc, number=3, status=PageStatus.PROCESSING, started_at=timezone.now()
    )
    assert pipeline.resume_stale() == 1
    page.refresh_from_db()
    fresh.refresh_from_db()
    assert page.status == PageStatus.PENDING and fresh.status == PageStatus.PROCESSING
    assert pipeline.document_ocr_step(document_id=doc.pk).pages >= 1
    page.refresh_from_db()
    assert page.status == PageStatus.FAILED and page.attempts == 1


def test_any_library_task_resumes_a_document_a_dead_worker_dropped(cast, run_on_commit, settings):
    settings.LIBRARY_TESSERACT = "khong-co-tesseract"
    ocr._languages.cache_clear()
    dropped = run_on_commit(
        services.document_upload,
        actor=cast.district_officer,
        unit=cast.district,
        name="a.txt",
        data=b"abc",
    )
    long_ago = timezone.now() - timedelta(hours=2)
    Document.objects.filter(pk=dropped.pk).update(status=Status.OCR, updated_at=long_ago)
    page = Page.objects.create(
        document=dropped, number=2, status=PageStatus.PROCESSING, started_at=long_ago
    )
    other = run_on_commit(
        services.document_upload,
        actor=cast.district_officer,
        unit=cast.district,
        name="b.txt",
        data=b"def",
    )
    # The immediate backend runs it here, as a live worker would.
    tasks.process_document.enqueue(other.pk)
    page.refresh_from_db()
    assert page.status == PageStatus.FAILED and page.attempts == 1  # picked up again and tried
    assert tasks.resume_interrupted() == 0  # nothing left to resume


def test_long_documents_are_ocrd_a_few_pages_per_task(cast, settings, run_on_commit):
    """A task does at most LIBRARY_OCR_PAGES_PER_TASK pages, then queues itself behind the others."""
    settings.LIBRARY_OCR_PAGES_PER_TASK = 2
    settings.LIBRARY_TESSERACT = "khong-co-tesseract"
    ocr._languages.cache_clear()
    doc = run_on_commit(
        services.document_upload,
        actor=cast.district_officer,
        unit=cast.district,
        name="a.txt",
        data=b"abc",
    )
    Document.objects.filter(pk=doc.pk).update(status=Status.OCR)
    for n in range(2, 7):
        Page.objects.create(document=doc, number=n)
    settings.LIBRARY_TESSERACT = "tesseract"
    ocr._languages.cache_clear()
    # Without a runnable page image each page fails quickly; what matters is how many a step takes.
    assert pipeline.document_ocr_step(document_id=doc.pk).pages == 2
    assert Page.objects.filter(document=doc, status=PageStatus.PENDING).count() == 3


@pytest.mark.parametrize("turned", [90, 180, 270])
def test_a_page_photographed_sideways_is_turned_upright_and_read(turned, needs_tesseract, settings):
    from io import BytesIO

    from PIL import Image

    upright = Image.open(BytesIO(helpers.png(width=1000))).convert("L")
    sideways = upright.rotate(
        turned, expand=True
    )  # counter-clockwise, as a phone held the wrong way
    settings.LIBRARY_OCR_DETECT_ROTATION = False
    as_taken = ocr.ocr_image(sideways)
    assert not ocr.readable(as_taken.text)
    settings.LIBRARY_OCR_DETECT_ROTATION = True
    read = ocr.ocr_image(sideways)
    assert ocr.readable(read.text) and "KẾ HOẠCH" in read.text and "Phú Xuyên" in read.text


def test_a_page_that_reads_well_is_not_checked_for_rotation(needs_tesseract, monkeypatch):
    monkeypatch.setattr(
        ocr,
        "detect_rotation",
        lambda _page: pytest.fail("an upright page needs no orientation check"),
    )
    assert "KẾ HOẠCH" in ocr.ocr_image(ocr.PageImage(helpers.png(width=1000), ".png")).text
    assert ocr.readable(
        "Hội nghị tổng kết công tác công đoàn năm 2025 tại huyện Phú Xuyên"
    ) and not ocr.readable("")
    assert not ocr.readable("ii ,.. lI1 ;; 'x/ ¥ oO0 @@ —— ~~ nn rr \\ |")
