"""/cuoc-thi/: the officers' pages (urls_manage, under /cuoc-thi/quan-ly/, and the public
certificate check /cuoc-thi/chung-nhan/<code>/) before the participant's pages (urls_take),
whose /cuoc-thi/<slug>/ would otherwise catch "quan-ly" and "chung-nhan"."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from congdoan.contests import urls_manage, urls_take

app_name = "contests"
urlpatterns: list[URLPattern | URLResolver] = [
    *urls_manage.urlpatterns,
    *urls_take.urlpatterns,
]
