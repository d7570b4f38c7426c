"""Helpers of content's tests: a product taken through the workflow."""

from __future__ import annotations

from typing import Any

from congdoan.content import services
from congdoan.content.models import Product


def published(product: Product, *, approver: Any, actor: Any) -> Product:
    """Take a draft through submit, approve and publish."""
    services.product_submit(actor=actor, product=product)
    services.product_approve(actor=approver, product=product)
    return services.product_publish(actor=actor, product=product)
