"""What other apps want to hear from content: a small registry of callbacks.

Content never imports the apps that act on its products (publishing, which posts them to the
channels); those apps register here from their `AppConfig.ready()`:

    from congdoan.content.hooks import register_on_published
    register_on_published(publish_to_channels)

and content calls each callback after the transaction that published (or corrected) the
product has committed, with the product as it is in the database then. A callback that
fails is logged and does not stop the others: publication has happened either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

from congdoan.content.models import Product

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
