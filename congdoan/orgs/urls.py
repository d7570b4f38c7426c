from __future__ import annotations

from django.urls import path

from congdoan.orgs import views, views_import, views_members

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("them/", views.create, name="create"),
    path("cong-khai/<slug:code>/", views.public_detail, name="public_detail"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/doi-ten/", views.rename, name="rename"),
    path("<slug:code>/chuyen/", views.move, name="move"),
    path("<slug:code>/sap-nhap/", views.merge, name="merge"),
    path("<slug:code>/doan-vien/them/", views_members.create, name="member_create"),
    path("<slug:code>/doan-vien/xuat.xlsx", views_members.export, name="member_export"),
    path("<slug:code>/doan-vien/<int:member_id>/", views_members.detail, name="member_detail"),
    path("<slug:code>/doan-vien/<int:member_id>/sua/", views_members.edit, name="member_edit"),
    path("<slug:code>/doan-vien/<int:member_id>/ket-thuc/", views_members.end, name="member_end"),
    path(
        "<slug:code>/doan-vien/<int:member_id>/tro-lai/", views_members.rejoin, name="member_rejoin"
    ),
    path("<slug:code>/nhap-doan-vien/", views_import.upload, name="import_upload"),
    path("<slug:code>/nhap-doan-vien/tep-mau.xlsx", views_import.template, name="import_template"),
    path("<slug:code>/nhap-doan-vien/xem-truoc/", views_import.preview, name="import_preview"),
    path("<slug:code>/nhap-doan-vien/xac-nhan/", views_import.confirm, name="import_confirm"),
]
