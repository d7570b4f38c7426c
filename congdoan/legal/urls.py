"""Pages of the legal app under /phap-luat/: the worker's questions and the laws (public, no
login), the curated answers, and the officers' pages (quan-ly/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from congdoan.legal import hooks_content
from congdoan.legal.views import officer, public

app_name = "legal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.ask, name="ask"),
    path("giup-ich/<int:asked_id>/", public.helpful, name="helpful"),
    path("gui-y-kien/<int:asked_id>/", public.to_concern, name="to_concern"),
    path("van-ban/", public.law_list, name="laws"),
    path("van-ban/<slug:slug>/", public.law_detail, name="law"),
    path("van-ban/<slug:slug>/dieu-<str:number>/", public.article_detail, name="article"),
    path("tra-loi/<int:pk>/", public.answer_detail, name="answer"),
    path("quan-ly/", officer.manage, name="manage"),
    path("quan-ly/tra-loi/moi/", officer.answer_create, name="answer_create"),
    path("quan-ly/tra-loi/<int:pk>/", officer.answer_edit, name="answer_edit"),
    path("quan-ly/tra-loi/<int:pk>/dang/", officer.answer_publish, name="answer_publish"),
    path("quan-ly/tra-loi/<int:pk>/go/", officer.answer_unpublish, name="answer_unpublish"),
    path("quan-ly/tra-loi/<int:pk>/da-ra-soat/", officer.answer_review, name="answer_review"),
    path("quan-ly/tra-loi/<int:pk>/xoa/", officer.answer_delete, name="answer_delete"),
    path("quan-ly/nhap/", officer.import_upload, name="import"),
    path("quan-ly/nhap/xac-nhan/", officer.import_confirm, name="import_confirm"),
]
# Citations of content products, from the studio's panel (legal/hooks_content.py).
urlpatterns += hooks_content.urlpatterns
