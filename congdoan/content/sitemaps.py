"""The public site's sitemap (django.contrib.sitemaps): products, themes, and the units
whose news is public. Only what `content.selectors.public_products` shows."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from congdoan.content import selectors
from congdoan.content.models import Product, Theme
from congdoan.orgs.models import Unit


class ProductSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self) -> QuerySet[Product]:
        return selectors.public_products(limit=None)

    def location(self, item: Product) -> str:
        return item.get_absolute_url()

    def lastmod(self, item: Product) -> datetime | None:
        return item.corrected_at or item.published_at


class ThemeSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self) -> QuerySet[Theme]:
        return Theme.objects.order_by("order", "pk")

    def location(self, item: Theme) -> str:
        return reverse("content_public:theme", args=[item.code])


class UnitNewsSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self) -> QuerySet[Unit]:
        units = selectors.public_products(limit=None).order_by().values("unit_id")
        return Unit.objects.filter(pk__in=units, is_active=True).order_by("sort_key", "pk")

    def location(self, item: Unit) -> str:
        return reverse("content_public:unit_news", args=[item.code])


SITEMAPS = {"products": ProductSitemap, "themes": ThemeSitemap, "units": UnitNewsSitemap}
