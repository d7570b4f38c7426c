"""Files attached to a product: photos, videos, PDFs and sound, checked and stored.

Steps of `product_media_add`:
1. refuse by the declared size first (a 2 GB video is refused before a byte is read);
2. sniff the first bytes (`filetype`: the content, never the name) and take only the types
   below; the kind follows from the type;
3. a photo goes through the project's image policy (congdoan.core.images: header checked,
   turned upright, shrunk, written afresh without EXIF, so no GPS position leaves with it);
   a video, a PDF or a sound file is stored as uploaded: video is not transcoded (no ffmpeg
   on a district's server), so its size is capped by `CONTENT_VIDEO_MAX_BYTES`;
4. after the commit, a photo gets its smaller sizes (`photo_renditions_make`, the task
   `make_photo_renditions`): 480, 960 and 1600 pixels on the long side, each below the
   photo's own, written by the same image policy (`core.images.reencode` with a smaller
   `max_side`: fresh files, no EXIF, no GPS), kept in `ProductMedia.variants` with their
   width and height. The public product page offers them in `srcset` and the browser takes
   the one its screen needs (a 360 px phone: the 480 one, tens of KB instead of the
   2560-pixel original). A photo without them (stored before, or the task has not run)
   is shown as it is, until the hourly job `content.photo_renditions` (`photo_renditions_due`)
   makes them, a few photos a run.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django_tasks import task

from congdoan.audit.services import audit_record
from congdoan.content import rules
from congdoan.content.models import MediaKind, Product, ProductMedia, media_path
from congdoan.core.images import ImageRefused, photo_policy, reencode
from congdoan.core.uploads import format_size
from congdoan.orgs.scoping import Viewer

PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/heic"})
VIDEO_TYPES = frozenset({"video/mp4", "video/webm", "video/quicktime", "video/x-matroska"})
AUDIO_TYPES = frozenset({"audio/mpeg", "audio/ogg", "audio/mp4", "audio/x-wav", "audio/aac"})
PDF_TYPES = frozenset({"application/pdf"})

#: The long sides of a photo's smaller sizes (each made only below the photo's own).
RENDITION_SIDES = (480, 960, 1600)

logger = logging.getLogger(__name__)

# Photos are shrunk anyway; PDFs and sound files of a bulletin stay well under this.
PHOTO_MAX_BYTES = 25 * 1024 * 1024
DOCUMENT_MAX_BYTES = 50 * 1024 * 1024


def _kind_of(content_type: str) -> str | None:
    for kind, types in (
        (MediaKind.PHOTO, PHOTO_TYPES),
        (MediaKind.VIDEO, VIDEO_TYPES),
        (MediaKind.AUDIO, AUDIO_TYPES),
        (MediaKind.PDF, PDF_TYPES),
    ):
        if content_type in types:
            return kind
    return None


def _cap(kind: str) -> int:
    if kind == MediaKind.VIDEO:
        return int(settings.CONTENT_VIDEO_MAX_BYTES)
    return PHOTO_MAX_BYTES if kind == MediaKind.PHOTO else DOCUMENT_MAX_BYTES


def _check_size(name: str, size: int, cap: int) -> None:
    if size > cap:
        raise ValidationError(
            {
                "file": _("Tệp “%(name)s” quá lớn (%(size)s; tối đa %(max)s).")
                % {"name": name, "size": format_size(size), "max": format_size(cap)}
            }
        )


@transaction.atomic
def product_media_add(
    *, actor: Viewer, product: Product, upload: UploadedFile, caption: str = ""
) -> ProductMedia:
    """Attach one file to a product the actor may edit (see the module's docstring)."""
    if not rules.can_edit(actor, product):
        raise PermissionDenied
    name = upload.name or "tep"
    size = upload.size or 0
    _check_size(name, size, max(_cap(k) for k in MediaKind.values))
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    sniffed = filetype.guess(head)
    content_type = sniffed.mime if sniffed else ""
    kind = _kind_of(content_type)
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "Không nhận loại tệp của “%(name)s”: chỉ nhận ảnh (JPEG, PNG, WebP), "
                    "video (MP4, WebM), âm thanh (MP3, OGG, M4A) và PDF."
                )
                % {"name": name}
            }
        )
    _check_size(name, size, _cap(kind))
    media = ProductMedia(
        product=product,
        kind=kind,
        caption=" ".join(caption.split())[:300],
        order=product.media.count(),
    )
    if kind == MediaKind.PHOTO:
        try:
            clean = reencode(upload.read(), name=name, policy=photo_policy())
        except ImageRefused as exc:
            raise ValidationError({"file": exc.message}) from exc
        media.file.save(f"anh{clean.suffix}", ContentFile(clean.data), save=False)
        media.content_type = clean.content_type
        media.size = len(clean.data)
        media.width, media.height = clean.width, clean.height
    else:
        suffix = f".{sniffed.extension}" if sniffed else ""
        media.file.save(f"{kind}{suffix}", upload, save=False)
        media.content_type = content_type
        media.size = size
    media.save()
    if kind == MediaKind.PHOTO:
        media_id = media.pk
        transaction.on_commit(lambda: make_photo_renditions.enqueue(media_id))
    audit_record(
        actor=actor,
        action="content.media.add",
        target=product,
        changes={"kind": kind, "size": media.size},
    )
    return media


@transaction.atomic
def product_media_remove(*, actor: Viewer, media: ProductMedia) -> None:
    """Detach a file (the stored file stays: a reused copy may point at it)."""
    product = media.product
    if not rules.can_edit(actor, product):
        raise PermissionDenied
    if product.cover_id == media.pk:
        Product.objects.filter(pk=product.pk).update(cover=None)
    media.delete()
    audit_record(actor=actor, action="content.media.remove", target=product)


def photo_renditions_make(media_id: int) -> list[dict[str, str | int]]:
    """Make the smaller sizes of a product's photo; returns its `variants`. A photo that has
    them already keeps them (a reused copy shares the files, so none is ever rewritten); a
    photo that is gone or no longer readable gets none (and keeps showing as it is)."""
    media = ProductMedia.objects.filter(pk=media_id, kind=MediaKind.PHOTO).first()
    if media is None or not media.file.name:
        return []
    if media.variants:
        return list(media.variants)
    storage = media.file.storage
    try:
        with storage.open(media.file.name, "rb") as handle:
            data = handle.read()
    except OSError:
        logger.warning("content: photo %s has no file to make smaller sizes from", media_id)
        return []
    own_side = max(media.width or 0, media.height or 0)
    variants: list[dict[str, str | int]] = []
    for side in RENDITION_SIDES:
        if own_side and side >= own_side:
            continue
        try:
            clean = reencode(
                data, name=media.file.name, policy=replace(photo_policy(), max_side=side)
            )
        except ImageRefused:
            logger.warning("content: photo %s refused while making its %s px size", media_id, side)
            return []
        name = storage.save(media_path(media, f"anh-{side}{clean.suffix}"), ContentFile(clean.data))
        variants.append(
            {
                "name": name,
                "content_type": clean.content_type,
                "size": len(clean.data),
                "width": clean.width,
                "height": clean.height,
            }
        )
    ProductMedia.objects.filter(pk=media.pk).update(variants=variants)
    return variants


def photo_renditions_due(*, limit: int = 50) -> dict[str, int]:
    """The periodic job: the smaller sizes of photos stored without them (before they were
    made on upload, or whose task was lost), the newest first, `limit` a run."""
    smallest = RENDITION_SIDES[0]
    waiting = (
        ProductMedia.objects.filter(kind=MediaKind.PHOTO, variants=[])
        .filter(Q(width__gt=smallest) | Q(height__gt=smallest))
        .order_by("-pk")
        .values_list("pk", flat=True)[:limit]
    )
    made = sum(1 for media_id in list(waiting) if photo_renditions_make(media_id))
    return {"photos": made}


@task()
def make_photo_renditions(media_id: int) -> None:
    """The background step after a photo's upload: its smaller sizes."""
    photo_renditions_make(media_id)
