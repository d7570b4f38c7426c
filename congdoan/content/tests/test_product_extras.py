"""What other apps add to the studio's product page through content.hooks: links (publishing's
"Chọn kênh đăng") and panels (a template with its own context), shown only to whom the
registering app says, and a failing one left out without breaking the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from congdoan.content import hooks
from congdoan.content.models import Product

pytestmark = pytest.mark.django_db

PANEL = "content/tests/_panel.html"


@pytest.fixture
def panel_template(settings: Any, tmp_path: Any) -> Iterator[None]:
    folder = tmp_path / "templates" / "content" / "tests"
    folder.mkdir(parents=True)
    (folder / "_panel.html").write_text(
        '<section class="card" id="test-panel">Lượt tiếp cận: {{ panel.reached }} · '
        "{{ panel.product.title }}</section>",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [str(tmp_path / "templates"), *settings.TEMPLATES[0]["DIRS"]],
        }
    ]
    yield
    hooks.unregister_product_extra(PANEL)


def test_officer_of_the_unit_sees_the_link_to_choose_channels(
    cast: Any, client_of: Any, make_product: Any
) -> None:
    product: Product = make_product()
    text = client_of(cast.officer_a).get(f"/noi-dung/{product.pk}/").content.decode()
    assert f'href="/xuat-ban/{product.pk}/"' in text
    assert "Chọn kênh đăng" in text


def test_officer_who_cannot_manage_channels_sees_no_such_link(
    cast: Any, client_of: Any, make_product: Any
) -> None:
    product: Product = make_product()
    links = hooks.product_links(cast.officer_b, product)
    assert all(link.url != f"/xuat-ban/{product.pk}/" for link in links)
    assert [link.url for link in hooks.product_links(cast.officer_a, product)].count(
        f"/xuat-ban/{product.pk}/"
    ) == 1


def test_a_panel_is_drawn_with_its_own_context_for_whom_it_allows(
    cast: Any, client_of: Any, make_product: Any, panel_template: None
) -> None:
    product: Product = make_product(title="Tin có bảng số")

    def context(viewer: Any, shown: Product) -> dict[str, Any] | None:
        return {"reached": 42} if viewer.pk == cast.officer_a.pk else None

    hooks.register_product_panel(PANEL, context)
    text = client_of(cast.officer_a).get(f"/noi-dung/{product.pk}/").content.decode()
    assert "Lượt tiếp cận: 42 · Tin có bảng số" in text
    text = client_of(cast.district_officer).get(f"/noi-dung/{product.pk}/").content.decode()
    assert 'id="test-panel"' not in text


def test_a_failing_link_or_panel_is_left_out_and_the_page_still_answers(
    cast: Any, client_of: Any, make_product: Any, panel_template: None
) -> None:
    product: Product = make_product()

    def broken(viewer: Any, shown: Product) -> dict[str, Any] | None:
        raise RuntimeError("the reach figures are away")

    def broken_url(shown: Product) -> str:
        raise RuntimeError("no address")

    hooks.register_product_panel(PANEL, broken)
    hooks.register_product_link("Hỏng", broken_url)
    try:
        response = client_of(cast.officer_a).get(f"/noi-dung/{product.pk}/")
    finally:
        hooks.unregister_product_extra(repr(broken_url))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="test-panel"' not in text
    assert "Hỏng" not in text
    assert "Chọn kênh đăng" in text
