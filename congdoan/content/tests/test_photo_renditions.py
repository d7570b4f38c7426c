"""A product's photos in smaller sizes: made after the upload through the one image policy
(no EXIF, no GPS), offered by the public page in srcset/sizes (the other photos loaded
lazily), served by width; a photo stored before them still shows."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from congdoan.content.media import (
    RENDITION_SIDES,
    photo_renditions_due,
    photo_renditions_make,
    product_media_add,
)
from congdoan.content.models import MediaKind, Product, ProductMedia, ProductStatus, Sharing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _jpeg_with_gps(width: int = 2400, height: int = 1800) -> bytes:
    img = Image.new("RGB", (width, height), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Dien thoai cua ai do"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0)}  # GPS
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _draft(cast: Any) -> Product:
    return Product.objects.create(unit=cast.unit_a, title="Phóng sự ảnh", slug="phong-su-anh")


def _upload(cast: Any, product: Product, data: bytes, name: str = "IMG_0001.jpg") -> ProductMedia:
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return product_media_add(actor=cast.officer_a, product=product, upload=upload)


def _publish(product: Product, cover: ProductMedia | None = None) -> None:
    Product.objects.filter(pk=product.pk).update(
        status=ProductStatus.PUBLISHED,
        sharing=Sharing.PUBLIC,
        published_at=timezone.now(),
        cover=cover,
    )
    product.refresh_from_db()


def test_an_uploaded_photo_gets_three_smaller_sizes_without_location(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    product = _draft(cast)
    with django_capture_on_commit_callbacks(execute=True):
        media = _upload(cast, product, _jpeg_with_gps())
    media.refresh_from_db()
    assert (media.width, media.height) == (2400, 1800)
    assert [v["width"] for v in media.variants] == list(RENDITION_SIDES)
    storage = media.file.storage
    for variant in media.variants:
        with storage.open(variant["name"], "rb") as handle:
            data = handle.read()
        assert variant["size"] == len(data)
        with Image.open(io.BytesIO(data)) as img:
            assert img.size == (variant["width"], variant["height"])
            assert max(img.size) in RENDITION_SIDES
            assert not img.getexif()  # no maker, no GPS
            assert "exif" not in img.info


def test_a_small_photo_gets_only_the_sizes_below_its_own(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    product = _draft(cast)
    with django_capture_on_commit_callbacks(execute=True):
        media = _upload(cast, product, _jpeg_with_gps(800, 600))
    media.refresh_from_db()
    assert [v["width"] for v in media.variants] == [480]
    assert photo_renditions_make(media.pk) == media.variants  # a second run rewrites nothing


def test_the_public_page_offers_the_sizes_in_srcset_and_loads_the_gallery_lazily(
    cast: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    product = _draft(cast)
    with django_capture_on_commit_callbacks(execute=True):
        cover = _upload(cast, product, _jpeg_with_gps())
        second = _upload(cast, product, _jpeg_with_gps(1200, 1600), name="IMG_0002.jpg")
    _publish(product, cover)
    text = client.get(product.get_absolute_url()).content.decode()
    cover_url = f"{product.get_absolute_url()}anh/{cover.pk}/"
    assert (
        f'srcset="{cover_url}?w=480 480w, {cover_url}?w=960 960w, {cover_url}?w=1600 1600w, '
        f'{cover_url} 2400w" sizes="(max-width: 44rem) 100vw, 42rem"'
    ) in text
    second_url = f"{product.get_absolute_url()}anh/{second.pk}/"
    gallery = re.search(rf'<img src="{re.escape(second_url)}"[^>]*>', text)
    assert gallery is not None
    assert 'loading="lazy"' in gallery.group(0) and "srcset=" in gallery.group(0)
    assert f"{second_url}?w=360 360w" in gallery.group(0)  # a portrait: 480 high, 360 wide

    small = client.get(f"{cover_url}?w=480")
    assert small.status_code == 200 and small["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(small.streaming_content))) as img:
        assert img.size == (480, 360)
    assert client.get(f"{cover_url}?w=123").status_code == 404


def test_a_photo_stored_before_the_sizes_still_shows_as_it_is(cast: Any, client: Any) -> None:
    product = _draft(cast)
    out = io.BytesIO()
    Image.new("RGB", (64, 48)).save(out, "JPEG")
    old = ProductMedia.objects.create(
        product=product,
        kind=MediaKind.PHOTO,
        file=ContentFile(out.getvalue(), name="anh.jpg"),
        content_type="image/jpeg",
        width=64,
        height=48,
    )
    _publish(product, old)
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert f'<img src="{product.get_absolute_url()}anh/{old.pk}/" alt=' in text
    assert "srcset" not in text


def test_the_hourly_job_makes_the_sizes_of_photos_stored_without_them(cast: Any) -> None:
    product = _draft(cast)
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (10, 20, 30)).save(out, "JPEG")
    old = ProductMedia.objects.create(
        product=product,
        kind=MediaKind.PHOTO,
        file=ContentFile(out.getvalue(), name="anh.jpg"),
        content_type="image/jpeg",
        width=1200,
        height=900,
    )
    tiny = ProductMedia.objects.create(  # below the smallest size: nothing to make, ever
        product=product,
        kind=MediaKind.PHOTO,
        file=ContentFile(out.getvalue(), name="nho.jpg"),
        content_type="image/jpeg",
        width=300,
        height=200,
    )
    assert photo_renditions_due() == {"photos": 1}
    old.refresh_from_db()
    tiny.refresh_from_db()
    assert [v["width"] for v in old.variants] == [480, 960]
    assert tiny.variants == []
    assert photo_renditions_due() == {"photos": 0}  # done: not asked again
