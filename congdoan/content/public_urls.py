"""The public site of products, included at the site's root: news, products, themes, feeds and
the sitemap (Vietnamese slugs; the officers' pages are under /noi-dung/, in urls.py)."""

from __future__ import annotations

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from congdoan.content import feeds, public_views
from congdoan.content.sitemaps import SITEMAPS

app_name = "content_public"
urlpatterns = [
    path("tin/", public_views.news_list, name="news_list"),
    path("tin/<slug:unit_code>/", public_views.unit_news, name="unit_news"),
    path("tin/<slug:unit_code>/<slug:slug>/", public_views.product_detail, name="product"),
    path(
        "tin/<slug:unit_code>/<slug:slug>/anh/<int:media_id>/",
        public_views.product_photo,
        name="product_photo",
    ),
    path("chu-de/<slug:code>/", public_views.theme_detail, name="theme"),
    path("chu-de/<slug:code>/rss.xml", feeds.ThemeNewsFeed(), name="theme_rss"),
    path("don-vi/<slug:code>/rss.xml", feeds.UnitNewsFeed(), name="unit_rss"),
    path("rss.xml", feeds.SiteNewsFeed(), name="rss"),
    path("atom.xml", feeds.SiteNewsAtom(), name="atom"),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
