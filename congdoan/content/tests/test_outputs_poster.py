"""The A4 poster (Vietnamese text that survives into the PDF, the QR code to the public page,
the photo, the refusal of too much text) and the loudspeaker script page."""

from __future__ import annotations

import base64
import importlib
import io
from typing import Any

import pymupdf
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from congdoan.content import poster
from congdoan.content.models import MediaKind, Product, ProductMedia, ProductStatus, Sharing
from congdoan.content.poster import PosterTooLong, product_poster
from congdoan.testing import require_module

pytestmark = pytest.mark.django_db

SENTENCE = (
    "Người lao động được bảo đảm quyền lợi về tiền lương, thưởng và điều kiện làm việc an toàn."
)


def make_product(unit: Any, **fields: Any) -> Product:
    defaults: dict[str, Any] = {
        "title": "Hội nghị người lao động năm 2026: quyền lợi được bảo đảm",
        "slug": "hoi-nghi-nguoi-lao-dong",
        "summary": "Sáng 27/11, Công đoàn cơ sở tổ chức hội nghị người lao động.\n" + SENTENCE,
        "status": ProductStatus.PUBLISHED,
        "sharing": Sharing.PUBLIC,
        "published_at": timezone.now(),
    }
    defaults.update(fields)
    return Product.objects.create(unit=unit, **defaults)


def pdf_text(data: bytes) -> tuple[int, str]:
    with pymupdf.open(stream=data, filetype="pdf") as document:
        return document.page_count, "\n".join(page.get_text() for page in document)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def test_poster_prints_vietnamese_text_with_its_marks_on_one_page(cast):
    product = make_product(cast.unit_a)
    made = product_poster(product)
    pages, text = pdf_text(made.pdf)
    assert pages == 1
    flat = " ".join(text.split())
    assert "Hội nghị người lao động năm 2026: quyền lợi được bảo đảm" in flat
    assert "quyền lợi về tiền lương, thưởng và điều kiện làm việc an toàn." in flat
    assert cast.unit_a.name.upper() in flat.upper()
    assert "tháng" in flat  # the date, written the Vietnamese way
    assert made.body_pt == poster.BODY_SIZES_PT[0]  # a short text gets the largest size


def test_the_projects_font_is_embedded(cast):
    require_module("fontpkg_be_vietnam_pro")  # a dependency: `make install` brings it
    with pymupdf.open(stream=product_poster(make_product(cast.unit_a)).pdf) as document:
        fonts = {font[3] for font in document[0].get_fonts()}
    assert any("Be-Vietnam-Pro" in name for name in fonts), fonts


def test_qr_code_leads_to_the_public_page_of_the_product(cast):
    product = make_product(cast.unit_a)
    url = settings.SITE_URL.rstrip("/") + f"/tin/{cast.unit_a.code}/{product.slug}/"
    assert poster.product_url(product) == url
    made = product_poster(product)
    assert made.has_qr
    _, text = pdf_text(made.pdf)
    assert url in "".join(text.split())  # printed under the code, for those who type it
    decoder = _qr_decoder()
    with pymupdf.open(stream=made.pdf) as document:
        pixmap = document[0].get_pixmap(dpi=150)
    if decoder is not None:  # a real decoder reads the printed page
        image = Image.open(io.BytesIO(pixmap.tobytes("png")))
        assert url in [result.text for result in decoder.read_barcodes(image)]
    else:  # no decoder here: the page embeds the code of exactly this URL, drawn as paths
        layout = poster.layout_for(product, photo=False, qr=True)
        html = poster._html(product, product.summary, size=14.0, layout=layout, photo="")
        encoded = base64.b64encode(poster.qr_svg(url)).decode("ascii")
        assert f"data:image/svg+xml;base64,{encoded}" in html
        with pymupdf.open(stream=made.pdf) as document:
            assert len(document[0].get_drawings()) > 0


def _qr_decoder() -> Any:
    try:
        return importlib.import_module("zxingcpp")
    except ImportError:
        return None


def test_a_product_the_public_cannot_read_gets_no_qr_code(cast):
    made = product_poster(make_product(cast.unit_a, sharing=Sharing.UNIT))
    assert not made.has_qr
    _, text = pdf_text(made.pdf)
    assert "/tin/" not in text and "Ban Chấp hành" in text


def test_the_photo_is_printed(cast):
    product = make_product(cast.unit_a)
    ProductMedia.objects.create(
        product=product,
        kind=MediaKind.PHOTO,
        file=ContentFile(jpeg(), name="anh.jpg"),
        content_type="image/jpeg",
    )
    with pymupdf.open(stream=product_poster(product).pdf) as document:
        assert len(document[0].get_images()) == 1


def test_five_thousand_words_are_refused_with_the_words_to_cut(cast):
    product = make_product(cast.unit_a, summary=" ".join([SENTENCE] * 263))  # ≈ 5,000 words
    with pytest.raises(PosterTooLong) as refused:
        product_poster(product)
    error = refused.value
    assert error.words == poster.word_count(product.summary) > 4_900
    assert 100 < error.capacity < 1_000
    assert error.cut == error.words - error.capacity
    assert f"bớt ít nhất {error.cut} chữ" in str(error)


def test_text_just_within_the_capacity_still_prints_on_one_page(cast):
    product = make_product(cast.unit_a, summary=" ".join([SENTENCE] * 263))
    capacity = poster.poster_capacity(
        product,
        product.summary,
        size=poster.MIN_BODY_PT,
        layout=poster.layout_for(product, photo=False, qr=True),
    )
    words = product.summary.split()[:capacity]
    product.summary = " ".join(words)
    made = product_poster(product)
    assert made.body_pt == poster.MIN_BODY_PT and made.words == capacity
    assert pdf_text(made.pdf)[0] == 1
    # The estimate is conservative: a page holds at least what it promised, not much more.
    layout = poster.layout_for(product, photo=False, qr=True)
    exact = poster._fitting_words(product, " ".join([SENTENCE] * 40), layout, "")
    assert capacity <= exact <= capacity * 1.15


def test_a_photo_leaves_less_room_for_words(cast):
    product = make_product(cast.unit_a, summary=" ".join([SENTENCE] * 60))
    without = poster.layout_for(product, photo=False, qr=True)
    with_photo = poster.layout_for(product, photo=True, qr=True)
    kwargs = {"size": poster.MIN_BODY_PT}
    assert poster.poster_capacity(product, product.summary, layout=with_photo, **kwargs) < (
        poster.poster_capacity(product, product.summary, layout=without, **kwargs)
    )


# --- the views -------------------------------------------------------------------------


def test_officer_downloads_the_poster_and_others_do_not(cast, client, client_of):
    product = make_product(cast.unit_a, sharing=Sharing.UNIT)
    url = f"/noi-dung/{product.pk}/poster.pdf"
    response = client_of(cast.officer_a).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client_of(cast.officer_b).get(url).status_code == 404
    assert client_of(cast.member_user).get(url).status_code == 403
    assert client.get(url).status_code == 302  # to the login page


def test_poster_view_explains_a_refusal(cast, client_of):
    product = make_product(cast.unit_a, summary=" ".join([SENTENCE] * 263))
    response = client_of(cast.officer_a).get(f"/noi-dung/{product.pk}/poster.pdf")
    assert response.status_code == 422
    page = response.content.decode()
    assert "Không in được áp phích" in page and "bớt ít nhất" in page


def test_loudspeaker_script_reads_numbers_and_abbreviations_in_words(cast, client_of):
    product = make_product(
        cast.unit_a,
        title="Hỗ trợ NLĐ",
        summary="CĐCS hỗ trợ 1.250.000 đồng cho 21 NLĐ từ 7h30 ngày 27/11/2026.",
        sharing=Sharing.UNIT,
    )
    response = client_of(cast.officer_a).get(f"/noi-dung/{product.pk}/loa/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "một triệu hai trăm năm mươi nghìn đồng cho hai mươi mốt người lao động" in page
    assert "bảy giờ ba mươi phút ngày hai mươi bảy tháng mười một" in page
    assert "Thời gian đọc: khoảng" in page
    assert f"/noi-dung/{product.pk}/poster.pdf" in page
    assert client_of(cast.officer_b).get(f"/noi-dung/{product.pk}/loa/").status_code == 404


def test_the_poster_never_reaches_the_network():
    with pytest.raises(ValueError, match="local only"):
        poster._fetch_offline("https://fonts.example.com/font.woff2")
    data = poster._fetch_offline("data:text/plain;base64,eGlu")  # "xin"
    assert data is not None
