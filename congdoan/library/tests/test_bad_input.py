"""Bad files get a clear Vietnamese message, are not stored, and leave other documents intact."""

from __future__ import annotations

import io
import re

import pymupdf
import pytest

from congdoan.library import intake, pipeline, services
from congdoan.library.models import Blob, Document, Status
from congdoan.library.storage import library_storage
from congdoan.library.tests import helpers

pytestmark = pytest.mark.django_db


def _upload(cast, name: str, data: bytes) -> services.UploadOutcome:
    return services.upload_many(
        actor=cast.district_officer, unit=cast.district, files=[(name, data)], visibility="unit"
    )[0]


def _encrypted_pdf() -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Mật")
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="chu", user_pw="khach")  # type: ignore[attr-defined]
    doc.close()
    return data


def _many_pages_pdf(pages: int) -> bytes:
    doc = pymupdf.open()
    for _ in range(pages):
        doc.new_page(width=200, height=200)
    data = doc.tobytes()
    doc.close()
    return data


BAD = [
    ("zero-byte", "rong.pdf", lambda: b"", "rỗng"),
    (
        "corrupt",
        "hong.pdf",
        lambda: b"%PDF-1.7\n1 0 obj <</Type /Catalog>> garbage \x00\xff" * 3,
        "hỏng",
    ),
    ("not-a-pdf", "gia.pdf", lambda: b"xin chao, day khong phai PDF", "không phải PDF"),
    ("encrypted", "mat-khau.pdf", _encrypted_pdf, "mật khẩu"),
    ("500-pages", "dai.pdf", lambda: _many_pages_pdf(500), "500 trang"),
    ("zip-bomb", "bom.docx", helpers.zip_bomb_docx, "bom nén"),
    ("huge-image", "anh-lon.png", helpers.huge_png_header, "quá lớn"),
    ("large-image", "anh-vua.png", lambda: helpers.huge_png_header(9000, 9000), "9000 × 9000"),
    ("extension-lies", "ke-hoach.pdf", lambda: helpers.png(width=300), "nội dung thực là ảnh PNG"),
    ("exe-as-docx", "bao-cao.docx", lambda: b"MZ\x90\x00" + b"\x00" * 200, "nội dung thực là"),
    ("unknown-type", "virus.exe", lambda: b"MZ\x90\x00", "Không nhận loại tệp"),
    (
        "not-word",
        "khong-phai-word.docx",
        lambda: _zip_without_document(),
        "không phải tài liệu Word",
    ),
    ("nul-in-text", "ghi-chu.txt", lambda: b"Ghi chu\x00\x01\x02 hop", "chứa ký tự NUL"),
    ("truncated-image", "quet.png", lambda: helpers.png(width=300)[:400], "bị hỏng"),
    ("broken-pdf-xref", "hong2.pdf", lambda: b"%PDF-1.4\n" + b"\x00garbage" * 50, "bị hỏng"),
]

# Words the libraries (Pillow, PyMuPDF, Tesseract) write in their errors: none may reach a person.
ENGLISH = re.compile(
    r"\b(error|cannot|failed|invalid|truncated|image file|identify|syntax|xref|object|broken|unknown)\b",
    re.I,
)


def _zip_without_document() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "xin chào")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "needle"), [pytest.param(n, d, m, id=i) for i, n, d, m in BAD]
)
def test_bad_file_is_refused_with_a_clear_message_and_nothing_is_lost(
    cast, run_on_commit, name, data, needle
):
    good = run_on_commit(
        services.document_upload,
        actor=cast.district_officer,
        unit=cast.district,
        name="tot.txt",
        data="Kế hoạch truyền thông".encode(),
    )
    blobs = Blob.objects.count()
    outcome = run_on_commit(_upload, cast, name, data())
    assert outcome.status == "refused"
    assert needle in outcome.message, outcome.message
    assert not ENGLISH.search(outcome.message), outcome.message
    assert "thực là văn bản thuần" not in outcome.message or b"\x00" not in data()
    assert Document.objects.count() == 1 and Blob.objects.count() == blobs
    good.refresh_from_db()
    assert good.status == Status.READY and "truyền thông" in good.text


def test_limits_are_settings(cast, settings):
    settings.LIBRARY_MAX_PAGES = 2
    outcome = _upload(cast, "ba-trang.pdf", _many_pages_pdf(3))
    assert outcome.status == "refused" and "giới hạn 2 trang" in outcome.message
    settings.LIBRARY_MAX_BYTES = 10
    outcome = _upload(cast, "nang.txt", b"x" * 11)
    assert outcome.status == "refused" and "vượt giới hạn" in outcome.message


def test_file_names_lose_their_folders_and_keep_vietnamese(cast, run_on_commit):
    outcome = run_on_commit(_upload, cast, "../../etc/Kế hoạch tháng 5.txt", "Nội dung".encode())
    assert outcome.status == "created"
    doc = outcome.document
    assert doc.original_name == "Kế hoạch tháng 5.txt"
    assert ".." not in doc.blob.file.name and doc.blob.file.name.startswith("library/")
    assert intake.safe_name("..\\..\\windows\\evil.pdf") == "evil.pdf"
    assert intake.safe_name("../") == "tep-khong-ten"


def test_the_same_file_twice_is_stored_once(cast, run_on_commit):
    data = helpers.text_pdf("Thông báo lịch họp")
    first = run_on_commit(_upload, cast, "a.pdf", data)
    again = run_on_commit(_upload, cast, "b.pdf", data)
    other_unit = run_on_commit(
        services.upload_many,
        actor=cast.admin,
        unit=cast.unit_a,
        files=[("c.pdf", data)],
        visibility="unit",
    )[0]
    assert (
        first.status == "created"
        and again.status == "duplicate"
        and "đã có trong thư viện" in again.message
    )
    assert other_unit.status == "created"
    assert Blob.objects.count() == 1 and Document.objects.count() == 2
    assert len(library_storage.listdir("library/" + Blob.objects.get().sha256[:2])[1]) == 1


def test_officer_cannot_upload_into_a_unit_outside_their_scope(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.document_upload(actor=cast.officer_a, unit=cast.unit_b, name="x.txt", data=b"abc")


def test_a_page_that_breaks_during_reading_fails_its_document_only(cast, run_on_commit, settings):
    """The file passes the checks but its stored copy is damaged afterwards: that document fails alone."""
    doc = run_on_commit(
        services.document_upload,
        actor=cast.district_officer,
        unit=cast.district,
        name="x.docx",
        data=helpers.docx_bytes(["Báo cáo"]),
    )
    doc.refresh_from_db()
    assert doc.status == Status.READY
    Document.objects.filter(pk=doc.pk).update(status=Status.PENDING)
    with library_storage.open(doc.blob.file.name, "wb") as fh:
        fh.write(b"PK\x03\x04 broken")
    pipeline.document_process(document_id=doc.pk)
    doc.refresh_from_db()
    assert doc.status == Status.FAILED and "Không đọc được nội dung tệp" in doc.error
