"""The outputs of a product beyond the web page: the A4 poster (PDF), the loudspeaker script,
the audio bulletin (made in the background, played and downloaded) and a unit's podcast feed.

Thin views: who may see a product is `content.selectors.product_get_for_viewer` (404 outside
the viewer's reach), who may make its audio is `content.rules.can_publish` (the unit's
managers); the work is in poster.py and audio.py. The podcast feed and its files are public,
for published products shared with the public only (`selectors.public_products`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congdoan.content import rules, selectors
from congdoan.content.audio import (
    audio_variant,
    bulletin_duration,
    bulletin_media,
    bulletin_text,
    bulletins_prefetch,
    render_product_audio,
)
from congdoan.content.models import MediaKind, Product, ProductMedia
from congdoan.content.poster import PosterFontMissing, PosterTooLong, product_poster
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import officer_required
from congdoan.text.readaloud import WORDS_PER_MINUTE, reading_time, syllable_count

PODCAST_ITEMS = 50
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"


def duration_words(value: timedelta) -> str:
    """ "khoảng 1 phút 20 giây" (a reading time, to the second)."""
    minutes, seconds = divmod(int(value.total_seconds()), 60)
    if minutes and seconds:
        return _("khoảng %(m)d phút %(s)d giây") % {"m": minutes, "s": seconds}
    if minutes:
        return _("khoảng %(m)d phút") % {"m": minutes}
    return _("khoảng %(s)d giây") % {"s": seconds}


@officer_required
@require_safe
def poster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get_for_viewer(viewer=request.user, pk=pk)
    try:
        poster = product_poster(product)
    except PosterTooLong as refusal:
        return render(
            request,
            "content/outputs/poster_refused.html",
            {"product": product, "message": str(refusal), "refusal": refusal},
            status=422,
        )
    except PosterFontMissing as missing:
        return render(
            request,
            "content/outputs/poster_refused.html",
            {"product": product, "message": str(missing)},
            status=503,
        )
    response = HttpResponse(poster.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ap-phich-{product.slug}.pdf"'
    return response


@officer_required
@require_safe
def loudspeaker(request: HttpRequest, pk: int) -> HttpResponse:
    """The loudspeaker script: the short version as a reader says it, and how long it takes."""
    product = selectors.product_get_for_viewer(viewer=request.user, pk=pk)
    script = bulletin_text(product)
    return render(
        request,
        "content/outputs/loudspeaker.html",
        {
            "product": product,
            "script_lines": [line for line in script.split("\n") if line.strip()],
            "reading_time": duration_words(reading_time(script)),
            "syllables": syllable_count(script),
            "words_per_minute": WORDS_PER_MINUTE,
            "audio": bulletin_media(product),
            "can_make_audio": rules.can_publish(request.user, product),
            "public": product.is_public_visible,
        },
    )


@officer_required
@require_POST
def audio_make(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the audio bulletin; the worker reads it aloud (espeak-ng takes seconds)."""
    product = selectors.product_get_for_viewer(viewer=request.user, pk=pk)
    if not rules.can_publish(request.user, product):
        raise PermissionDenied
    if not product.summary.strip():
        messages.error(request, _("Sản phẩm chưa có bản ngắn để đọc."))
        return redirect("content_outputs:loudspeaker", pk=product.pk)
    actor_id = request.user.pk
    transaction.on_commit(lambda: render_product_audio.enqueue(product.pk, actor_id))
    messages.success(
        request,
        _("Đang tạo bản tin âm thanh; tải lại trang sau ít phút để nghe."),
    )
    return redirect("content_outputs:loudspeaker", pk=product.pk)


def _audio_response(media: ProductMedia, content_type: str = "") -> FileResponse:
    """The bulletin's file, or its variant of `content_type` (404 when it has none)."""
    name, served_type = media.file.name or "", media.content_type or "audio/mpeg"
    if content_type and content_type != served_type:
        variant = audio_variant(media, content_type)
        if variant is None:
            raise Http404
        name, served_type = str(variant["name"]), content_type
    try:
        handle = media.file.storage.open(name, "rb")
    except OSError as error:
        raise Http404 from error
    extension = name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=served_type,
        filename=f"ban-tin-{media.product_id}.{extension}",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@officer_required
@require_safe
def audio_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The audio bulletin for officers (any state of the product), played inline."""
    product = selectors.product_get_for_viewer(viewer=request.user, pk=pk)
    media = bulletin_media(product)
    if media is None:
        raise Http404
    # officer_required is typed for HttpResponse; a FileResponse streams (as library's download).
    return _audio_response(media)  # type: ignore[return-value]


@require_safe
def public_audio(
    request: HttpRequest, unit_code: str, slug: str, media_id: int, fmt: str = ""
) -> FileResponse:
    """An audio bulletin of a public product: what the podcast feed's enclosures and the
    product page's player point at (`fmt` "ogg": its OGG Vorbis, when it was made)."""
    product = selectors.public_product(unit_code=unit_code, slug=slug)
    media = get_object_or_404(ProductMedia, pk=media_id, product=product, kind=MediaKind.AUDIO)
    return _audio_response(media, "audio/ogg" if fmt == "ogg" else "")


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def public_audio_url(product: Product, media: ProductMedia) -> str:
    return _absolute(
        reverse("content_outputs:public_audio", args=[product.unit.code, product.slug, media.pk])
    )


class PodcastFeed(Rss201rev2Feed):
    """RSS 2.0 with the podcast namespace, for each item's `<itunes:duration>` (seconds)."""

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:itunes": ITUNES_NS}

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("duration"):
            handler.addQuickElement("itunes:duration", str(item["duration"]))


@require_safe
def podcast(request: HttpRequest, unit_code: str) -> HttpResponse:
    """RSS 2.0 of a unit's audio bulletins (its public products that have one), newest first;
    each item's enclosure gives the MP3's address, length in bytes and type, and
    `<itunes:duration>` its length in seconds."""
    unit = get_object_or_404(Unit, code=unit_code)
    feed = PodcastFeed(
        title=_("Bản tin âm thanh — %(unit)s") % {"unit": unit.name},
        link=_absolute(reverse("content_public:unit_news", args=[unit.code])),
        description=_("Tin của %(unit)s, đọc thành tiếng.") % {"unit": unit.name},
        language="vi",
        feed_url=_absolute(request.path),
    )
    products = (
        selectors.public_products(unit=unit, limit=None)
        .filter(media__kind=MediaKind.AUDIO)
        .prefetch_related(bulletins_prefetch())
    )
    for product in products[:PODCAST_ITEMS]:
        media = bulletin_media(product)
        if media is None:
            continue
        page = _absolute(product.get_absolute_url())
        feed.add_item(
            title=product.title,
            link=page,
            description=product.summary,
            unique_id=public_audio_url(product, media),
            pubdate=product.published_at,
            duration=bulletin_duration(media),
            enclosures=[
                Enclosure(
                    public_audio_url(product, media),
                    str(media.size or media.file.size),
                    media.content_type or "audio/mpeg",
                )
            ],
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
