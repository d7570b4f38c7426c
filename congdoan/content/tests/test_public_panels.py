"""What other apps add to the public product page through content.hooks (legal's "Căn cứ pháp
lý"): a template with the context its callable returns, nothing when it returns None, and a
failing one left out without breaking the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from congdoan.content import hooks
from congdoan.content.models import Product, Sharing
from congdoan.content.tests.factories import published

pytestmark = pytest.mark.django_db

PANEL = "content/tests/_public_panel.html"
BROKEN = "content/tests/_broken_panel.html"


@pytest.fixture
def panel_template(settings: Any, tmp_path: Any) -> Iterator[None]:
    folder = tmp_path / "templates" / "content" / "tests"
    folder.mkdir(parents=True)
    (folder / "_public_panel.html").write_text(
        '<section id="test-public-panel">{{ panel.note }} · {{ panel.product.title }}</section>',
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
    hooks.unregister_product_extra(BROKEN)


@pytest.fixture
def public_product(cast: Any, make_product: Any) -> Product:
    product = make_product(title="Tin công khai", body="<p>Nội dung.</p>", sharing=Sharing.PUBLIC)
    return published(product, approver=cast.district_officer, actor=cast.officer_a)


def test_a_public_panel_is_drawn_below_the_text(
    client: Any, public_product: Product, panel_template: None
) -> None:
    hooks.register_public_product_panel(PANEL, lambda product: {"note": "Ghi chú"})
    page = client.get(public_product.get_absolute_url()).content.decode()
    assert '<section id="test-public-panel">Ghi chú · Tin công khai</section>' in page


def test_a_panel_returning_none_or_failing_is_left_out(
    client: Any, public_product: Product, panel_template: None
) -> None:
    def broken(product: Product) -> dict[str, Any]:
        raise RuntimeError("hỏng")

    hooks.register_public_product_panel(PANEL, lambda product: None)
    hooks.register_public_product_panel(BROKEN, broken)
    response = client.get(public_product.get_absolute_url())
    assert response.status_code == 200
    assert "test-public-panel" not in response.content.decode()
    shown = {p.template for p in hooks.public_product_panels(public_product)}
    assert not shown & {PANEL, BROKEN}
