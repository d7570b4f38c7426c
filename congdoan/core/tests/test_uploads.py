"""Uploads stop at the limit (congdoan/core/uploads.py): a body declared too large is refused
unread, a file past the limit is not stored beyond it, and the message says "larger than"."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test.client import encode_multipart

from congdoan.core.uploads import format_size
from congdoan.library.models import Document

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class CountingHandler(FileUploadHandler):
    """Stands where the storing handlers stand: counts what reaches them."""

    seen: list[int] = []

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        CountingHandler.seen.append(0)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        CountingHandler.seen[-1] += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@pytest.fixture
def one_mb_limit(settings: Any) -> Any:
    settings.UPLOAD_MAX_BYTES = settings.LIBRARY_MAX_BYTES = MB
    return settings


def test_a_file_over_the_limit_is_said_to_be_larger_than_the_limit(
    client_of: Any, cast: Any, one_mb_limit: Any
) -> None:
    response = client_of(cast.district_officer).post(
        "/tai-lieu/tai-len/",
        {
            "files": [SimpleUploadedFile("bao-cao.txt", b"a" * (3 * MB))],
            "unit": cast.district.pk,
            "visibility": "unit",
        },
    )
    html = response.content.decode()
    assert "“bao-cao.txt” lớn hơn 1 MB" in html
    assert "nặng" not in html  # we never read enough of it to know how much it weighs
    assert Document.objects.count() == 0


def test_a_file_past_the_limit_is_not_stored_beyond_it(
    client_of: Any, cast: Any, one_mb_limit: Any
) -> None:
    one_mb_limit.FILE_UPLOAD_HANDLERS = [
        "congdoan.core.uploads.LimitedUploadHandler",
        "congdoan.core.tests.test_uploads.CountingHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    CountingHandler.seen = []
    response = client_of(cast.district_officer).post(
        "/tai-lieu/tai-len/",
        {
            "files": [
                SimpleUploadedFile("to.txt", b"a" * (5 * MB)),
                SimpleUploadedFile("nho.txt", "Thông báo".encode()),
            ],
            "unit": cast.district.pk,
            "visibility": "unit",
        },
    )
    assert response.status_code == 200
    big, small = CountingHandler.seen
    assert big <= MB and small > 0
    assert list(Document.objects.values_list("original_name", flat=True)) == ["nho.txt"]


def test_a_body_declared_larger_than_the_request_limit_is_refused_before_it_is_read(
    client_of: Any, cast: Any, settings: Any
) -> None:
    body = encode_multipart(
        "BoUnDaRy", {"unit": cast.district.pk, "files": [SimpleUploadedFile("a.txt", b"abc")]}
    )
    declared = settings.UPLOAD_MAX_REQUEST_BYTES + 1
    # The test client's payload refuses to be read past what it holds: had anything read the body, this would fail.
    response = client_of(cast.district_officer).post(
        "/tai-lieu/tai-len/",
        body,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(declared),
    )
    assert response.status_code == 413
    assert f"lớn hơn {format_size(settings.UPLOAD_MAX_REQUEST_BYTES)}" in response.content.decode()
    assert Document.objects.count() == 0


def test_htmx_gets_the_too_large_message_alone_to_put_under_its_form(
    client_of: Any, cast: Any, settings: Any
) -> None:
    body = encode_multipart(
        "BoUnDaRy", {"unit": cast.district.pk, "files": [SimpleUploadedFile("a.txt", b"abc")]}
    )
    response = client_of(cast.district_officer).post(
        "/tai-lieu/tai-len/",
        body,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(settings.UPLOAD_MAX_REQUEST_BYTES + 1),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert 'id="upload-too-large"' in html and "<html" not in html
    # The library's form lets HTMX swap that 4xx answer in (HTMX swaps no error by default).
    page = client_of(cast.district_officer).get("/tai-lieu/tai-len/").content.decode()
    assert "data-swap-client-errors" in page and "library/upload.js" in page


def test_a_worker_s_photo_over_the_upload_limit_is_refused_as_larger_than_the_limit(
    client: Any, cast: Any, settings: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = MB
    settings.FEEDBACK_PHOTO_MAX_BYTES = MB // 2
    response = client.post(
        "/y-kien/gui/",
        {
            "unit": "PX-A",
            "text": "Ảnh",
            "photo": SimpleUploadedFile("anh.jpg", b"\xff\xd8" + b"a" * (2 * MB)),
        },
    )
    assert response.status_code == 422
    assert "quá lớn (hơn 512 KB)" in response.content.decode()


def test_sizes_read_the_vietnamese_way() -> None:
    assert [format_size(n) for n in (10, 800 * 1024, 50 * MB, 3 * MB // 2)] == [
        "10 byte",
        "800 KB",
        "50 MB",
        "1,5 MB",
    ]
