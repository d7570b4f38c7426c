from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from congdoan.reports import views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.report_list, name="list"),
    path("<slug:code>/<str:period>/", views.report_detail, name="detail"),
    path("<slug:code>/<str:period>/duyet/", views.report_review, name="review"),
    path("<slug:code>/<str:period>/tong-hop/", views.report_consolidated, name="consolidated"),
    path("<slug:code>/<str:period>/tai/<str:fmt>/", views.report_download, name="download"),
]
