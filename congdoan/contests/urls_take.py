"""The participant's pages under /cuoc-thi/ (included by urls.py after the officers' pages)."""

from __future__ import annotations

from django.urls import URLPattern, path

from congdoan.contests import views_take

urlpatterns: list[URLPattern] = [
    path("", views_take.index, name="index"),
    path("luot/<str:token>/", views_take.attempt_page, name="attempt"),
    path("luot/<str:token>/nop-bai/", views_take.finish, name="finish"),
    path("luot/<str:token>/ket-qua/", views_take.result, name="result"),
    path("<slug:slug>/", views_take.contest_page, name="contest"),
    path("<slug:slug>/tham-gia/", views_take.join_page, name="join"),
    path("<slug:slug>/vao-thi/", views_take.start, name="start"),
]
