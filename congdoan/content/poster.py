"""The printable A4 poster of a product, for the notice boards of workplaces.

One page, from HTML (templates/content/outputs/poster.html) with WeasyPrint: the unit and the
date at the top, the title, a photo if the product has one, the short version ("Nhanh,
Ngắn") and, for a product the public can read, a QR code to its page on this deployment
(SITE_URL). The font and the rendering are core.pdf's: Be Vietnam Pro (else DejaVu Sans),
and a fetcher that reads only data: and file: addresses, so rendering never touches the
network.

Too much text is refused, never printed small or cut: `poster_capacity` works out how many
words of this text fit below the title, photo and QR code at the smallest size that still
reads on a board from arm's length (`MIN_BODY_PT`, 14 pt), from the font's own glyph widths
and the page's geometry; the refusal (`PosterTooLong`) says how many words to cut. The text
is set at the largest size from `BODY_SIZES_PT` that fits, and the result is checked: a
render that still runs onto a second page is tried at the next size down, and at the
smallest the words that fit are counted exactly (by halving) for the message.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont

from congdoan.content.models import MediaKind, Product, ProductMedia
from congdoan.core.pdf import PdfFontMissing, data_uri, fetch_offline, pdf_fonts, render_html
from congdoan.core.qr import qr_svg as core_qr_svg
from congdoan.core.vndate import vn_date

if TYPE_CHECKING:
    import weasyprint

# Geometry of the page (points; A4 is 595.28 × 841.89), mirrored by the template's CSS.
PAGE_W, PAGE_H = 595.28, 841.89
MARGIN = 42.0  # ≈ 15 mm: inside what office printers can print
HEADER_H = 46.0  # unit and date
TITLE_PT, TITLE_MIN_PT, TITLE_LEADING = 30.0, 22.0, 1.2
TITLE_GAP = 16.0
PHOTO_H = 220.0
PHOTO_GAP = 16.0
FOOTER_H = 128.0  # the QR code (100 pt ≈ 35 mm: scans from a metre) and its line
BODY_LEADING = 1.4
BODY_SIZES_PT = (22.0, 20.0, 18.0, 16.0, 14.0)
MIN_BODY_PT = BODY_SIZES_PT[-1]
# A line of ragged text is not filled to the last point: a word that does not fit goes to
# the next line. On average about half a word per line is lost.
WRAP_SLACK_WORDS = 0.5

# The names the content views and tests know (core.pdf has the things themselves).
PosterFontMissing = PdfFontMissing
poster_fonts = pdf_fonts
_fetch_offline = fetch_offline


class PosterTooLong(ValueError):
    """The text does not fit on one A4 page at the smallest readable size."""

    def __init__(self, *, words: int, capacity: int) -> None:
        self.words, self.capacity = words, capacity
        self.cut = max(1, words - capacity)
        super().__init__(
            _(
                "Áp phích không in được: bản ngắn có %(words)d chữ, một trang A4 chỉ chứa "
                "khoảng %(capacity)d chữ ở cỡ chữ nhỏ nhất còn đọc được trên bảng tin "
                "(%(size)d pt). Hãy bớt ít nhất %(cut)d chữ, hoặc bỏ ảnh để có thêm chỗ."
            )
            % {"words": words, "capacity": capacity, "size": MIN_BODY_PT, "cut": self.cut}
        )


@lru_cache(maxsize=4)
def _advances(font_path: Path) -> tuple[dict[int, float], float]:
    """Each character's advance width in em, and the average (for characters not mapped)."""
    font = TTFont(str(font_path), lazy=True)
    per_em = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items()}
    return widths, sum(widths.values()) / max(1, len(widths))


def text_width_em(text: str, font_path: Path) -> float:
    widths, average = _advances(font_path)
    return sum(widths.get(ord(ch), average) for ch in text)


def _lines(text: str, font_path: Path, size: float, width: float) -> float:
    """Lines `text` takes at `size` in a column `width` points wide (paragraphs kept)."""
    total = 0.0
    for paragraph in _paragraphs(text):
        words = paragraph.split()
        if not words:
            continue
        ink = text_width_em(" ".join(words), font_path) * size
        space = text_width_em(" ", font_path) * size
        average_word = ink / len(words)
        slack = WRAP_SLACK_WORDS * (average_word + space)
        total += math.ceil(ink / max(1.0, width - slack))
    return total


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def word_count(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class Layout:
    title_pt: float
    body_height: float  # points left for the short version


def layout_for(product: Product, *, photo: bool, qr: bool) -> Layout:
    fonts = poster_fonts()
    width = PAGE_W - 2 * MARGIN
    title_pt = TITLE_PT
    title_lines = _lines(product.title, fonts.bold, title_pt, width)
    if title_lines > 3:
        title_pt = TITLE_MIN_PT
        title_lines = _lines(product.title, fonts.bold, title_pt, width)
    used = HEADER_H + title_lines * title_pt * TITLE_LEADING + TITLE_GAP
    if photo:
        used += PHOTO_H + PHOTO_GAP
    return Layout(title_pt, PAGE_H - MARGIN - bottom_margin(qr=qr) - used)


def bottom_margin(*, qr: bool) -> float:
    """The page's bottom margin, which holds the footer (the QR code, or one line without)."""
    return MARGIN + (FOOTER_H if qr else FOOTER_H / 3)


def poster_capacity(product: Product, text: str, *, size: float, layout: Layout) -> int:
    """How many words of `text` fit in the body at `size` points (estimated from the font's
    widths: the lines available ÷ the lines this text needs × its words)."""
    fonts = poster_fonts()
    words = word_count(text)
    if not words:
        return 0
    width = PAGE_W - 2 * MARGIN
    available = math.floor(layout.body_height / (size * BODY_LEADING))
    needed = _lines(text, fonts.regular, size, width)
    if needed <= available:
        return words
    # Lines hold words at this text's own average: scale, less one line per paragraph end.
    paragraphs = len(_paragraphs(text))
    return max(0, math.floor(words * max(0, available - paragraphs + 1) / needed))


def product_url(product: Product) -> str:
    """The product's public page, absolute: what the QR code holds."""
    return settings.SITE_URL.rstrip("/") + product.get_absolute_url()


def qr_svg(url: str) -> bytes:
    """The poster's code: a narrow quiet zone, the page around it is white."""
    return core_qr_svg(url, border=2)


def poster_photo(product: Product) -> ProductMedia | None:
    if product.cover_id and product.cover and product.cover.kind == MediaKind.PHOTO:
        return product.cover
    if product.pk is None:
        return None
    return product.media.filter(kind=MediaKind.PHOTO).order_by("order", "pk").first()


def _photo_uri(media: ProductMedia | None) -> str:
    if media is None:
        return ""
    try:
        with media.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        return ""  # a missing file: the poster is made without the photo
    return data_uri(media.content_type or "image/jpeg", data)


def _html(product: Product, text: str, *, size: float, layout: Layout, photo: str) -> str:
    fonts = poster_fonts()
    qr = product_url(product) if product.is_public_visible else ""
    bottom = bottom_margin(qr=bool(qr))
    return render_to_string(
        "content/outputs/poster.html",
        {
            "product": product,
            "paragraphs": _paragraphs(text),
            "unit_name": product.unit.name,
            "date": vn_date(product.published_at or timezone.now()),
            "photo": photo,
            "qr_uri": data_uri("image/svg+xml", qr_svg(qr)) if qr else "",
            "qr_url": qr,
            **fonts.context(),
            "body_pt": size,
            "title_pt": layout.title_pt,
            "g": {
                "margin": MARGIN,
                "header": HEADER_H,
                "photo": PHOTO_H,
                "bottom": bottom,
                "body_leading": BODY_LEADING,
                "title_leading": TITLE_LEADING,
            },
        },
    )


def _render(html: str) -> weasyprint.Document:
    return render_html(html)


@dataclass(frozen=True)
class Poster:
    pdf: bytes
    body_pt: float
    words: int
    has_qr: bool


def poster_text(product: Product) -> str:
    return (product.summary or "").strip()


def product_poster(product: Product) -> Poster:
    """The poster's PDF; raises PosterTooLong (with the words to cut) or PosterFontMissing."""
    text = poster_text(product)
    words = word_count(text)
    media = poster_photo(product)
    photo = _photo_uri(media)
    layout = layout_for(product, photo=bool(photo), qr=product.is_public_visible)
    capacity = poster_capacity(product, text, size=MIN_BODY_PT, layout=layout)
    if words > capacity:
        raise PosterTooLong(words=words, capacity=capacity)
    for size in BODY_SIZES_PT:
        if poster_capacity(product, text, size=size, layout=layout) < words:
            continue
        document = _render(_html(product, text, size=size, layout=layout, photo=photo))
        if len(document.pages) == 1:
            return Poster(document.write_pdf(), size, words, product.is_public_visible)
    # The estimate said it fits, the page says not: count what fits exactly, by halving.
    raise PosterTooLong(words=words, capacity=_fitting_words(product, text, layout, photo))


def _fitting_words(product: Product, text: str, layout: Layout, photo: str) -> int:
    tokens = text.split(" ")
    low, high = 0, len(tokens)
    while low < high:
        middle = (low + high + 1) // 2
        html = _html(
            product, " ".join(tokens[:middle]), size=MIN_BODY_PT, layout=layout, photo=photo
        )
        if len(_render(html).pages) == 1:
            low = middle
        else:
            high = middle - 1
    return word_count(" ".join(tokens[:low]))
