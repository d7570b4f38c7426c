"""One image policy for every upload (congdoan/core/images.py): a decompression bomb is refused
from its header, before decoding, as a worker's photo, a library image or a TIFF frame; what is
kept is re-encoded to a bounded size without metadata; Pillow's limit is set in every process."""

from __future__ import annotations

import functools
import io
import struct
import subprocess
import sys
import zlib
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from congdoan.core import images
from congdoan.feedback.models import Concern
from congdoan.library.models import Blob, Document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@functools.lru_cache(maxsize=4)
def real_png(width: int, height: int) -> bytes:
    """A complete, valid grey PNG of width × height (all black), written row by row in a few MB:
    13000 × 13000 weighs about 170 KB here and decodes to 169 MB (RGB: half a gigabyte)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    packer = zlib.compressobj(1)
    row = b"\0" * (width + 1)  # filter byte + pixels
    parts = [packer.compress(row * 500) for _ in range(height // 500)]
    parts.append(packer.compress(row * (height % 500)))
    parts.append(packer.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )


def _photo_with_location(size: tuple[int, int]) -> bytes:
    exif = Image.Exif()
    exif[0x013B] = "Nguyen Van Cong Nhan"  # Artist
    exif.get_ifd(0x8825).update({1: "N", 2: (21.0, 2.0, 3.0)})  # GPS: latitude
    out = io.BytesIO()
    Image.new("RGB", size, "green").save(out, "JPEG", exif=exif, quality=70)
    return out.getvalue()


def test_a_photo_that_is_a_decompression_bomb_is_refused_from_its_header(
    client: Any, cast: Any
) -> None:
    bomb = real_png(13000, 13000)
    assert len(bomb) < 1024 * 1024
    response = client.post(
        "/y-kien/gui/",
        {
            "unit": "PX-A",
            "text": "Ảnh nhà xưởng",
            "photo": SimpleUploadedFile("anh.png", bomb, content_type="image/png"),
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "quá lớn" in html and "50.000.000 điểm ảnh" in html
    assert Concern.objects.count() == 0


def test_a_photo_just_over_the_pixel_cap_is_refused_with_its_size(client: Any, cast: Any) -> None:
    response = client.post(
        "/y-kien/gui/",
        {
            "unit": "PX-A",
            "text": "Ảnh",
            "photo": SimpleUploadedFile("anh.png", real_png(8000, 7000), content_type="image/png"),
        },
    )
    assert response.status_code == 422
    assert "8000 × 7000" in response.content.decode() and Concern.objects.count() == 0


def test_a_photo_is_stored_shrunk_and_without_its_location(
    client: Any, cast: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    data = _photo_with_location((4000, 3000))
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)  # the location is there before
    response = client.post(
        "/y-kien/gui/",
        {
            "unit": "PX-A",
            "text": "Ảnh dây điện hở",
            "photo": SimpleUploadedFile("IMG_1.jpg", data, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    stored = Concern.objects.get().photo.read()
    assert b"Nguyen Van" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG" and max(img.size) == settings.IMAGE_PHOTO_MAX_SIDE
        assert not img.getexif()


def test_a_phone_photo_holding_a_second_picture_is_kept_as_a_jpeg(
    client: Any, cast: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (640, 480), "red").save(
        out, "MPO", save_all=True, append_images=[Image.new("RGB", (160, 120), "grey")]
    )
    response = client.post(
        "/y-kien/gui/",
        {
            "unit": "PX-A",
            "text": "Ảnh máy cắt",
            "photo": SimpleUploadedFile("IMG_2.jpg", out.getvalue(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    photo = Concern.objects.get().photo
    assert str(photo.name).endswith(".jpg")
    with Image.open(photo.open("rb")) as img:
        assert img.format == "JPEG" and img.size == (640, 480)


def test_a_broken_photo_gets_a_vietnamese_message_not_the_image_library_s(
    client: Any, cast: Any
) -> None:
    truncated = _photo_with_location((600, 400))[:300]
    response = client.post(
        "/y-kien/gui/",
        {
            "unit": "PX-A",
            "text": "Ảnh",
            "photo": SimpleUploadedFile("anh.jpg", truncated, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        "bị hỏng" in html and "truncated" not in html.lower() and "image file" not in html.lower()
    )


def _upload(client: Any, cast: Any, name: str, data: bytes) -> str:
    response = client.post(
        "/tai-lieu/tai-len/",
        {"files": [SimpleUploadedFile(name, data)], "unit": cast.district.pk, "visibility": "unit"},
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_library_image_that_is_a_decompression_bomb_is_refused(client_of: Any, cast: Any) -> None:
    html = _upload(client_of(cast.district_officer), cast, "quet.png", real_png(13000, 13000))
    assert "quá lớn" in html and "60.000.000 điểm ảnh" in html
    assert Document.objects.count() == 0 and Blob.objects.count() == 0


def test_every_frame_of_a_tiff_is_checked_not_only_the_first(client_of: Any, cast: Any) -> None:
    out = io.BytesIO()
    small = Image.new("1", (800, 1100), 1)
    huge = Image.new("1", (9000, 9000), 1)  # 81 million pixels, a few KB in Group 4
    small.save(out, "TIFF", save_all=True, append_images=[huge], compression="group4")
    html = _upload(client_of(cast.district_officer), cast, "hai-trang.tif", out.getvalue())
    assert "9000 × 9000" in html and "vượt giới hạn" in html
    assert Document.objects.count() == 0


def test_a_library_image_is_stored_without_metadata_and_bounded(
    client_of: Any, cast: Any, settings: Any
) -> None:
    settings.LIBRARY_IMAGE_MAX_SIDE = 1000
    _upload(
        client_of(cast.district_officer), cast, "bien-ban.jpg", _photo_with_location((1600, 1200))
    )
    doc = Document.objects.get()
    stored = doc.blob.file.open("rb").read()
    assert b"Nguyen Van" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.size == (1000, 750) and not img.getexif()


def test_a_multi_page_tiff_keeps_its_pages(client_of: Any, cast: Any) -> None:
    out = io.BytesIO()
    pages = [Image.new("L", (400, 500), shade) for shade in (255, 200, 150)]
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:])
    _upload(client_of(cast.district_officer), cast, "ba-trang.tiff", out.getvalue())
    doc = Document.objects.get()
    assert doc.page_count == 3
    with Image.open(doc.blob.file.open("rb")) as img:
        assert img.format == "TIFF" and getattr(img, "n_frames", 1) == 3


def test_the_decoder_limit_is_set_when_any_process_starts() -> None:
    code = "import django; django.setup(); from PIL import Image; print(Image.MAX_IMAGE_PIXELS)"
    env = {
        "DJANGO_SETTINGS_MODULE": "congdoan.config.settings",
        "PATH": "/usr/bin:/bin",
        "IMAGE_MAX_PIXELS": "1234567",
        "LIBRARY_MAX_IMAGE_PIXELS": "1000",
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "1234567"


def test_a_truncated_image_is_refused_even_after_a_library_turned_on_loading_truncated_ones(
    monkeypatch: Any,
) -> None:
    """WeasyPrint (posters) sets Pillow's LOAD_TRUNCATED_IMAGES at import; the policy holds."""
    buffer = io.BytesIO()
    Image.effect_noise((300, 300), 64).convert("RGB").save(buffer, "PNG")
    truncated = buffer.getvalue()[:400]
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(images.ImageRefused, match="bị hỏng"):
        images.reencode(truncated, name="quet.png", policy=images.document_policy())
