"""Files attached to a product: photos lose their EXIF, video is stored as sent under a cap,
what is not a photo, video, sound or PDF is refused."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from congdoan.content import services
from congdoan.content.media import product_media_add, product_media_remove
from congdoan.content.models import MediaKind, Product
from congdoan.content.tests.factories import published

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2000


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _photo_with_gps() -> bytes:
    img = Image.new("RGB", (4000, 3000), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Điện thoại của công nhân"  # Make
    exif[0x8825] = {2: (21.0, 0.0, 0.0), 4: (105.0, 0.0, 0.0)}  # GPS position
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_shrunk_and_loses_its_location(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product()
    upload = SimpleUploadedFile("IMG_2041.jpg", _photo_with_gps(), "image/jpeg")
    media = product_media_add(
        actor=cast.officer_a, product=product, upload=upload, caption="Hội nghị"
    )
    assert media.kind == MediaKind.PHOTO and media.content_type == "image/jpeg"
    with Image.open(media.file.path) as stored:
        assert max(stored.size) < 4000
        assert not stored.getexif()
    assert (media.width, media.height) == stored.size
    services.product_update(actor=cast.officer_a, product=product, cover=media)
    product.refresh_from_db()
    assert product.cover == media


def test_a_video_is_stored_as_sent(cast: Any, make_product: Callable[..., Product]) -> None:
    product = make_product()
    media = product_media_add(
        actor=cast.officer_a,
        product=product,
        upload=SimpleUploadedFile("clip.mp4", MP4, "video/mp4"),
    )
    assert media.kind == MediaKind.VIDEO and media.size == len(MP4)
    assert Path(media.file.path).read_bytes() == MP4


def test_a_2_gb_video_is_refused_before_it_is_read(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product()
    upload = SimpleUploadedFile("ca-nhac.mp4", MP4, "video/mp4")
    upload.size = 2 * 1024**3
    with pytest.raises(ValidationError) as err:
        product_media_add(actor=cast.officer_a, product=product, upload=upload)
    assert "quá lớn" in err.value.message_dict["file"][0]
    assert "2 GB" in err.value.message_dict["file"][0]
    assert not product.media.exists()


def test_a_file_that_is_not_media_is_refused_whatever_its_name(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product()
    upload = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not an image at all", "image/jpeg")
    with pytest.raises(ValidationError, match="Không nhận loại tệp"):
        product_media_add(actor=cast.officer_a, product=product, upload=upload)


def test_only_those_who_may_edit_attach_or_remove(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product()
    pdf = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n" + b"0" * 100, "application/pdf")
    with pytest.raises(PermissionDenied):
        product_media_add(actor=cast.officer_b, product=product, upload=pdf)
    media = product_media_add(actor=cast.officer_a, product=product, upload=pdf)
    assert media.kind == MediaKind.PDF
    with pytest.raises(PermissionDenied):
        product_media_remove(actor=cast.officer_b, media=media)
    published(product, approver=cast.district_officer, actor=cast.officer_a)
    product_media_remove(actor=cast.officer_a, media=media)
    assert not product.media.exists()


def test_a_reused_product_keeps_the_sources_files(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    source = make_product(sharing="union")
    product_media_add(
        actor=cast.officer_a,
        product=source,
        upload=SimpleUploadedFile("clip.mp4", MP4, "video/mp4"),
    )
    published(source, approver=cast.district_officer, actor=cast.officer_a)
    copy = services.product_reuse(actor=cast.officer_b, source=source, unit=cast.unit_b)
    assert [m.file.name for m in copy.media.all()] == [m.file.name for m in source.media.all()]
