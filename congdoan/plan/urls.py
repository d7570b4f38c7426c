from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from congdoan.plan import views, views_import

app_name = "plan"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("tinh-lai/", views.replace_imported, name="replace_imported"),
    path("nhap-so-lieu/", views_import.upload, name="import_upload"),
    path("nhap-so-lieu/mau.xlsx", views_import.template, name="import_template"),
    path("nhap-so-lieu/xem-truoc/", views_import.preview, name="import_preview"),
    path("nhap-so-lieu/xac-nhan/", views_import.confirm, name="import_confirm"),
    path("<slug:code>/", views.indicator, name="indicator"),
    path("<slug:code>/bieu-do.svg", views.chart, name="chart"),
]
