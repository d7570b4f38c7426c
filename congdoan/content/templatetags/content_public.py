"""Template tags that put public news on other apps' public pages: `{% unit_news unit %}`
on a union's public page (orgs), so that orgs, below content in the layers, imports nothing
of content (a template's `{% load %}` is not an import)."""

from __future__ import annotations

from typing import Any

from django import template

from congdoan.content import selectors
from congdoan.orgs.models import Unit

register = template.Library()

UNIT_NEWS_SHOWN = 5


@register.inclusion_tag("content/public/_unit_news.html")
def unit_news(unit: Unit) -> dict[str, Any]:
    """The unit's latest public news, with links to all of them and to its feed."""
    items = list(selectors.public_products(unit=unit, limit=UNIT_NEWS_SHOWN))
    return {"unit": unit, "unit_news": items}
