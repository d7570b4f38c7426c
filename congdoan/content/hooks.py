"""What other apps want to hear from content, and what they add to its studio: small registries.

Content never imports the apps that act on its products (publishing, which posts them to the
channels); those apps register here from their `AppConfig.ready()`:

    from congdoan.content.hooks import register_on_published
    register_on_published(publish_to_channels)

and content calls each callback after the transaction that published (or corrected) the
product has committed, with the product as it is in the database then. A callback that
fails is logged and does not stop the others: publication has happened either way.

The studio's product page (`/noi-dung/<id>/`) shows what other apps add about a product, again
without content importing them:

- a **link** (`register_product_link(label, url, visible=…, order=…)`): a button under the
  product's own ones, e.g. publishing's "Chọn kênh đăng" → `/xuat-ban/<id>/`. `url` is a URL
  name reversed with the product's id, or a callable `url(product) -> str`; `visible(viewer,
  product)` decides who sees it (the app's own rule: content does not know it);
- a **panel** (`register_product_panel(template, context, order=…)`): a box on the page, drawn
  by the app's own template with what `context(viewer, product)` returns (a dict; None hides
  the panel for that viewer), e.g. the product's reach on each channel.

Both are read by `product_links(viewer, product)` / `product_panels(viewer, product)`; a
callable that fails is logged and its link or panel left out, the page is still drawn.

The public product page (`/<unit>/<slug>/`) shows a **public panel** the same way
(`register_public_product_panel(template, context, order=…)`, read by
`public_product_panels(product)`): `context(product)` takes no viewer, since the page is the
same for every reader and kept in the public page cache (an app whose panel changes must make
the cache forget: `core.page_cache.watch` its model), e.g. legal's "Căn cứ pháp lý".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse

from congdoan.content.models import Product
from congdoan.orgs.scoping import Viewer

logger = logging.getLogger(__name__)

Callback = Callable[[Product], None]

_ON_PUBLISHED: list[Callback] = []
_ON_CORRECTED: list[Callback] = []


def register_on_published(callback: Callback) -> None:
    """Call `callback(product)` after each product is published (once per callback)."""
    if callback not in _ON_PUBLISHED:
        _ON_PUBLISHED.append(callback)


def register_on_corrected(callback: Callback) -> None:
    """Call `callback(product)` after a published product is corrected."""
    if callback not in _ON_CORRECTED:
        _ON_CORRECTED.append(callback)


def unregister(callback: Callback) -> None:
    """Forget `callback` (tests that register their own)."""
    for registry in (_ON_PUBLISHED, _ON_CORRECTED):
        while callback in registry:
            registry.remove(callback)


Visible = Callable[[Viewer, Product], bool]
PanelContext = Callable[[Viewer, Product], "dict[str, Any] | None"]
PublicPanelContext = Callable[[Product], "dict[str, Any] | None"]


@dataclass(frozen=True)
class ProductLink:
    """A link another app adds to the studio's product page."""

    label: Any  # a (lazy) translated string
    url: str | Callable[[Product], str]  # a URL name taking the product's id, or a callable
    visible: Visible | None = None
    order: int = 100

    def href(self, product: Product) -> str:
        return self.url(product) if callable(self.url) else reverse(self.url, args=[product.pk])


@dataclass(frozen=True)
class ProductPanel:
    """A box another app adds to the studio's product page: its template, and its context."""

    template: str
    context: PanelContext
    order: int = 100


@dataclass(frozen=True)
class ShownLink:
    label: str
    url: str


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class PublicPanel:
    """A box another app adds to the public product page (the same for every reader)."""

    template: str
    context: PublicPanelContext
    order: int = 100


_LINKS: dict[str, ProductLink] = {}
_PANELS: dict[str, ProductPanel] = {}
_PUBLIC_PANELS: dict[str, PublicPanel] = {}


def _key(value: object) -> str:
    return value if isinstance(value, str) else f"{value!r}"


def register_product_link(
    label: Any,
    url: str | Callable[[Product], str],
    *,
    visible: Visible | None = None,
    order: int = 100,
) -> None:
    """Show a link on the studio's product page to those `visible(viewer, product)` lets
    (everyone who sees the product when None). Registering the same `url` again replaces it."""
    _LINKS[_key(url)] = ProductLink(label=label, url=url, visible=visible, order=order)


def register_product_panel(template: str, context: PanelContext, *, order: int = 100) -> None:
    """Draw `template` on the studio's product page with `context(viewer, product)` (a dict;
    None: not for this viewer or product). The template is included with only that context
    (and `product`). Registering the same template again replaces it."""
    _PANELS[template] = ProductPanel(template=template, context=context, order=order)


def register_public_product_panel(
    template: str, context: PublicPanelContext, *, order: int = 100
) -> None:
    """Draw `template` on the public product page with `context(product)` (a dict; None: not
    for this product). Registering the same template again replaces it."""
    _PUBLIC_PANELS[template] = PublicPanel(template=template, context=context, order=order)


def unregister_product_extra(key: str) -> None:
    """Forget a link (by its URL name) or a panel (by its template): tests."""
    _LINKS.pop(key, None)
    _PANELS.pop(key, None)
    _PUBLIC_PANELS.pop(key, None)


def product_links(viewer: Viewer, product: Product) -> list[ShownLink]:
    """The links other apps show this viewer on this product's studio page, in order."""
    shown = []
    for link in sorted(_LINKS.values(), key=lambda item: item.order):
        try:
            if link.visible is None or link.visible(viewer, product):
                shown.append(ShownLink(label=str(link.label), url=link.href(product)))
        except Exception:
            logger.exception("content product link %r failed for product %s", link, product.pk)
    return shown


def product_panels(viewer: Viewer, product: Product) -> list[ShownPanel]:
    """The panels other apps show this viewer on this product's studio page, in order."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda item: item.order):
        try:
            context = panel.context(viewer, product)
        except Exception:
            logger.exception("content panel %s failed for product %s", panel.template, product.pk)
            continue
        if context is not None:
            shown.append(
                ShownPanel(template=panel.template, context={"product": product, **context})
            )
    return shown


def public_product_panels(product: Product) -> list[ShownPanel]:
    """The panels other apps add to this product's public page, in order (one that fails is
    logged and left out)."""
    shown = []
    for panel in sorted(_PUBLIC_PANELS.values(), key=lambda item: item.order):
        try:
            context = panel.context(product)
        except Exception:
            logger.exception("public panel %s failed for product %s", panel.template, product.pk)
            continue
        if context is not None:
            shown.append(
                ShownPanel(template=panel.template, context={"product": product, **context})
            )
    return shown


def _run(registry: list[Callback], product_id: int) -> None:
    product = Product.objects.select_related("unit").filter(pk=product_id).first()
    if product is None:
        return
    for callback in list(registry):
        try:
            callback(product)
        except Exception:
            logger.exception("content hook %r failed for product %s", callback, product_id)


def published_on_commit(product_id: int) -> None:
    """Run the on-published callbacks once the current transaction commits."""
    transaction.on_commit(lambda: _run(_ON_PUBLISHED, product_id))


def corrected_on_commit(product_id: int) -> None:
    """Run the on-corrected callbacks once the current transaction commits."""
    transaction.on_commit(lambda: _run(_ON_CORRECTED, product_id))
