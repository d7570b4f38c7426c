"""/cuoc-thi/: the officers' pages (urls_manage, under /cuoc-thi/quan-ly/, and the public
certificate check) before the participant's pages (urls_take), whose /cuoc-thi/<slug>/ would
otherwise catch "quan-ly"."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from congdoan.contests import urls_manage

app_name = "contests"
urlpatterns: list[URLPattern | URLResolver] = [
    *urls_manage.urlpatterns,
]
