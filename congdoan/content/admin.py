"""The admin's view of products, themes, highlights and each unit's approval setting."""

from __future__ import annotations

from django.contrib import admin

from congdoan.content.models import (
    ContentSettings,
    Highlight,
    Product,
    ProductComment,
    ProductMedia,
    ProductVersion,
    Theme,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin[Theme]):
    list_display = ["code", "name", "order"]


@admin.register(Highlight)
class HighlightAdmin(admin.ModelAdmin[Highlight]):
    list_display = ["name", "month", "day", "unit", "theme", "remind_days_before"]
    list_filter = ["theme"]


class MediaInline(admin.TabularInline[ProductMedia, Product]):
    model = ProductMedia
    extra = 0


class VersionInline(admin.TabularInline[ProductVersion, Product]):
    model = ProductVersion
    extra = 0
    fields = ("number", "title", "reason", "created_by", "created_at")
    readonly_fields = ("number", "title", "reason", "created_by", "created_at")


class CommentInline(admin.TabularInline[ProductComment, Product]):
    model = ProductComment
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    list_display = ["title", "unit", "kind", "status", "sharing", "published_at"]
    list_filter = ["status", "kind", "sharing", "themes"]
    search_fields = ["title", "search_text"]
    raw_id_fields = ["unit", "author", "approver", "source", "cover", "highlight"]
    inlines = [MediaInline, VersionInline, CommentInline]


@admin.register(ContentSettings)
class ContentSettingsAdmin(admin.ModelAdmin[ContentSettings]):
    list_display = ["unit", "approval_by", "allow_self_approval"]
    raw_id_fields = ["unit"]
