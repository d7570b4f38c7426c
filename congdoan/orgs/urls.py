from __future__ import annotations

from django.urls import path

from congdoan.orgs import views, views_import

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("them/", views.create, name="create"),
    path("cong-khai/<slug:code>/", views.public_detail, name="public_detail"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/doi-ten/", views.rename, name="rename"),
    path("<slug:code>/chuyen/", views.move, name="move"),
    path("<slug:code>/sap-nhap/", views.merge, name="merge"),
    path("<slug:code>/nhap-doan-vien/", views_import.upload, name="import_upload"),
    path("<slug:code>/nhap-doan-vien/tep-mau.xlsx", views_import.template, name="import_template"),
    path("<slug:code>/nhap-doan-vien/xem-truoc/", views_import.preview, name="import_preview"),
    path("<slug:code>/nhap-doan-vien/xac-nhan/", views_import.confirm, name="import_confirm"),
]
