"""RSS 2.0 and Atom feeds of public products: the whole site, one unit, one theme
(django.contrib.syndication). Only what `content.selectors.public_products` returns: published
and shared with the public, never a draft or a unit's internal product."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from congdoan.content import selectors
from congdoan.content.models import Product, Theme
from congdoan.orgs.models import Unit

FEED_ITEMS = 30


class SiteNewsFeed(Feed):
    """The latest public news of the deployment and its units."""

    def title(self) -> str:
        return _("Tin tức — Công Đoàn Số")

    def description(self) -> str:
        return _("Tin tức, chính sách pháp luật và hoạt động của tổ chức Công đoàn.")

    def link(self) -> str:
        return reverse("content_public:news_list")

    def products(self, obj: object) -> QuerySet[Product]:
        return selectors.public_products(limit=FEED_ITEMS)

    def items(self, obj: object = None) -> list[Product]:
        return list(self.products(obj))

    def item_title(self, item: Product) -> str:
        return item.title

    def item_description(self, item: Product) -> str:
        return item.summary

    def item_link(self, item: Product) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Product) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Product) -> datetime | None:
        return item.corrected_at or item.published_at

    def item_author_name(self, item: Product) -> str:
        return item.unit.name

    def item_categories(self, item: Product) -> list[str]:
        return [str(theme.name) for theme in item.themes.all()]


class SiteNewsAtom(SiteNewsFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()


class UnitNewsFeed(SiteNewsFeed):
    """One unit's public news (with its subtree's, as on its news page)."""

    def get_object(self, request: HttpRequest, code: str) -> Unit:
        return get_object_or_404(Unit, code=code, is_active=True)

    def title(self, obj: Unit) -> str:  # type: ignore[override]
        return _("Tin của %(unit)s") % {"unit": obj.name}

    def description(self, obj: Unit) -> str:  # type: ignore[override]
        return _("Tin tức công khai của %(unit)s.") % {"unit": obj.name}

    def link(self, obj: Unit) -> str:  # type: ignore[override]
        return reverse("content_public:unit_news", args=[obj.code])

    def products(self, obj: Unit) -> QuerySet[Product]:  # type: ignore[override]
        return selectors.public_products(unit=obj, limit=FEED_ITEMS)


class ThemeNewsFeed(SiteNewsFeed):
    """The public news of one of the plan's themes."""

    def get_object(self, request: HttpRequest, code: str) -> Theme:
        return get_object_or_404(Theme, code=code)

    def title(self, obj: Theme) -> str:  # type: ignore[override]
        return _("Chủ đề: %(theme)s — Công Đoàn Số") % {"theme": obj.label}

    def description(self, obj: Theme) -> str:  # type: ignore[override]
        return obj.description or _("Tin tức công khai về chủ đề %(theme)s.") % {"theme": obj.label}

    def link(self, obj: Theme) -> str:  # type: ignore[override]
        return reverse("content_public:theme", args=[obj.code])

    def products(self, obj: Theme) -> QuerySet[Product]:  # type: ignore[override]
        return selectors.public_products(theme=obj, limit=FEED_ITEMS)
