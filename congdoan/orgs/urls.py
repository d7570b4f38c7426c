from __future__ import annotations

from django.urls import path

from congdoan.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("them/", views.create, name="create"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/doi-ten/", views.rename, name="rename"),
    path("<slug:code>/chuyen/", views.move, name="move"),
    path("<slug:code>/sap-nhap/", views.merge, name="merge"),
]
