"""Files attached to a product: photos, videos, PDFs and sound, checked and stored.

Steps of `product_media_add`:
1. refuse by the declared size first (a 2 GB video is refused before a byte is read);
2. sniff the first bytes (`filetype`: the content, never the name) and take only the types
   below; the kind follows from the type;
3. a photo goes through the project's image policy (congdoan.core.images: header checked,
   turned upright, shrunk, written afresh without EXIF, so no GPS position leaves with it);
   a video, a PDF or a sound file is stored as uploaded: video is not transcoded (no ffmpeg
   on a district's server), so its size is capped by `CONTENT_VIDEO_MAX_BYTES`.
"""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.content import rules
from congdoan.content.models import MediaKind, Product, ProductMedia
from congdoan.core.images import ImageRefused, photo_policy, reencode
from congdoan.core.uploads import format_size
from congdoan.orgs.scoping import Viewer

PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/heic"})
VIDEO_TYPES = frozenset({"video/mp4", "video/webm", "video/quicktime", "video/x-matroska"})
AUDIO_TYPES = frozenset({"audio/mpeg", "audio/ogg", "audio/mp4", "audio/x-wav", "audio/aac"})
PDF_TYPES = frozenset({"application/pdf"})

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
