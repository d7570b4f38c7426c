"""RSS and Atom feeds of public documents (django.contrib.syndication)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from congdoan.library import selectors
from congdoan.library.models import Document


class PublicDocumentsFeed(Feed):
    title = _("Tài liệu công khai — Công Đoàn Số")
    description = _("Văn bản, kế hoạch, thông báo công đoàn công bố công khai.")

    def link(self) -> str:
        return reverse("library:public_list")

    def items(self) -> list[Document]:
        return list(selectors.public_documents().order_by("-published_at", "-id")[:50])

    def item_title(self, item: Document) -> str:
        return f"{item.number} — {item.display_title}" if item.number else item.display_title

    def item_description(self, item: Document) -> str:
        return item.text[:500]

    def item_link(self, item: Document) -> str:
        return reverse("library:public_detail", args=[item.pk])

    def item_pubdate(self, item: Document) -> datetime | None:
        return item.published_at or item.created_at


class PublicDocumentsAtom(PublicDocumentsFeed):
    feed_type = Atom1Feed
    subtitle = PublicDocumentsFeed.description
