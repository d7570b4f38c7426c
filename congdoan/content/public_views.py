"""The public site of products: the news list, a unit's news, a theme's page, the product page
and its photos. Light pages for a cheap phone on a slow connection: no script, one small
stylesheet beside the site's own, the cover photo with its size so nothing jumps.

What is public is decided in one place, `content.selectors` (`public_products`,
`public_product`, on `content.rules.public_q`): drafts, unit-only, subtree-only and
union-only products answer 404 here, and so does an archived product: archiving is how a
unit takes a product off the public site.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from congdoan.content import hooks, selectors
from congdoan.content.audio import audio_variant, bulletin_duration, bulletin_media
from congdoan.content.models import MediaKind, Product, ProductMedia, Theme
from congdoan.content.view_counts import product_read_record, product_view_record
from congdoan.core import page_cache
from congdoan.core.page_cache import cache_public_page
from congdoan.orgs.models import Unit

PER_PAGE = 20
PHOTO_MAX_AGE = 7 * 24 * 3600  # a product's photo never changes under its id


def absolute(path: str) -> str:
    """The address of a path on this deployment's canonical site (SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def _page(request: HttpRequest, products: QuerySet[Product]) -> Page:
    return Paginator(products, PER_PAGE).get_page(request.GET.get("page"))


def _public_unit(code: str) -> Unit:
    return get_object_or_404(Unit, code=code, is_active=True)


@require_safe
@cache_public_page
def news_list(request: HttpRequest) -> HttpResponse:
    """All public news of the deployment and its units, newest first."""
    page = _page(request, selectors.public_products(limit=None))
    return render(
        request,
        "content/public/news_list.html",
        {"page": page, "themes": selectors.themes().order_by("order", "pk")},
    )


@require_safe
@cache_public_page
def unit_news(request: HttpRequest, unit_code: str) -> HttpResponse:
    """One unit's public news (and its subtree's: a district's page shows its grassroots
    unions' news too), newest first."""
    unit = _public_unit(unit_code)
    page = _page(request, selectors.public_products(unit=unit, limit=None))
    return render(request, "content/public/unit_news.html", {"unit": unit, "page": page})


@require_safe
@cache_public_page
def theme_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One of the plan's themes and the public news about it."""
    theme = get_object_or_404(Theme, code=code)
    page = _page(request, selectors.public_products(theme=theme, limit=None))
    return render(request, "content/public/theme.html", {"theme": theme, "page": page})


def _photo_url(product: Product, media: ProductMedia) -> str:
    return reverse("content_public:product_photo", args=[product.unit.code, product.slug, media.pk])


# The article column is 42rem wide at most; below that a photo takes the screen's width.
PHOTO_SIZES = "(max-width: 44rem) 100vw, 42rem"


def _picture(product: Product, media: ProductMedia) -> dict[str, Any]:
    """A photo as the page draws it: its address, and a `srcset` of its smaller sizes (media.py)
    with the photo itself as the largest; none for a photo stored before they were made."""
    url = _photo_url(product, media)
    widths = sorted(
        {int(v["width"]) for v in media.variants or [] if v.get("width")} - {media.width or 0}
    )
    srcset = [f"{url}?w={width} {width}w" for width in widths]
    if srcset and media.width:
        srcset.append(f"{url} {media.width}w")
    return {"media": media, "url": url, "srcset": ", ".join(srcset) if srcset else ""}


@require_safe
def product_detail(request: HttpRequest, unit_code: str, slug: str) -> HttpResponse:
    """A public product's page, with the tags that make a shared link look right on Zalo and
    Facebook (Open Graph, Twitter card). A reader's view is counted (view_counts), also when
    an anonymous reader gets the page kept in the cache (core/page_cache.py)."""
    hit = page_cache.lookup(request)
    if hit is not None:
        product_view_record(request=request, product_id=int(hit.extra["product_id"]))
        return hit.response
    product = selectors.public_product(unit_code=unit_code, slug=slug)
    cover = product.cover
    if cover is not None and cover.kind != MediaKind.PHOTO:
        cover = None
    canonical = absolute(product.get_absolute_url())
    photos = [m for m in product.media.all() if m.kind == MediaKind.PHOTO]
    audio = bulletin_media(product)
    audio_args = [product.unit.code, product.slug, audio.pk] if audio else []
    context: dict[str, Any] = {
        "product": product,
        # Sorted here: the themes came with the product (selectors._base prefetches them).
        "themes": sorted(product.themes.all(), key=lambda theme: (theme.order, theme.pk)),
        "cover": cover,
        "cover_url": _photo_url(product, cover) if cover else "",
        "cover_picture": _picture(product, cover) if cover else None,
        # the other photos (a photo story's), below the text, loaded as the reader scrolls
        "gallery": [_picture(product, m) for m in photos if cover is None or m.pk != cover.pk],
        "photo_sizes": PHOTO_SIZES,
        "og_image": absolute(_photo_url(product, cover)) if cover else "",
        "canonical": canonical,
        # the audio bulletin: OGG Vorbis first (smaller), MP3 for the browsers without it
        "audio": audio,
        "audio_url": reverse("content_outputs:public_audio", args=audio_args) if audio else "",
        "audio_ogg_url": reverse("content_outputs:public_audio_ogg", args=audio_args)
        if audio and audio_variant(audio, "audio/ogg")
        else "",
        "audio_seconds": bulletin_duration(audio) if audio else None,
        # what other apps add below the text (hooks.register_public_product_panel)
        "public_panels": hooks.public_product_panels(product),
    }
    response = render(request, "content/public/product.html", context)
    page_cache.store(request, response, extra={"product_id": product.pk})
    product_view_record(request=request, product_id=product.pk)
    product_read_record(request=request, product_id=product.pk)  # a member's read: issue 15
    return response


@require_safe
@cache_control(public=True, max_age=PHOTO_MAX_AGE)
def product_photo(request: HttpRequest, unit_code: str, slug: str, media_id: int) -> FileResponse:
    """A photo of a public product (the media folder itself is not served: it holds private
    files). Only photos: a product's PDF or video is not served from here. `?w=480`: its
    smaller size of that width (the page's srcset names them); an unknown width is a 404."""
    product = selectors.public_product(unit_code=unit_code, slug=slug)
    media = get_object_or_404(ProductMedia, pk=media_id, product=product, kind=MediaKind.PHOTO)
    name, content_type = media.file.name or "", media.content_type or "image/jpeg"
    asked = request.GET.get("w", "")
    if asked:
        found = [v for v in media.variants or [] if str(v.get("width")) == asked]
        if not found:
            raise Http404
        name, content_type = str(found[0]["name"]), str(found[0]["content_type"])
    try:
        handle = media.file.storage.open(name, "rb")
    except OSError as error:
        raise Http404 from error
    return FileResponse(handle, content_type=content_type)
